import type { Logger, webApi } from '@slack/bolt';
import { buildCommentModal, type CommentModalValues } from '../views/comment-modal.js';
import type { ModalMetadata } from '../views/modal-metadata.js';
import { refineOpenedModal } from './commands/refine-opened-modal.js';
import type { ListenerServices } from './services.js';

/**
 * Opens the comment form at once (the trigger lives 3 seconds), then, when the call is known, adds
 * what Flex says about it. Every way into the form (command, shortcut, preview button) comes here.
 */
export async function openCommentModal(
  services: ListenerServices,
  client: webApi.WebClient,
  logger: Logger,
  triggerId: string,
  metadata: ModalMetadata,
  extra: { notice?: string; values?: CommentModalValues } = {},
  workspaceId: string | undefined = undefined,
): Promise<void> {
  const segmentId = metadata.segmentId;
  const opened = await client.views.open({
    trigger_id: triggerId,
    view: services.modalMetadata.sealView(
      buildCommentModal({
        categories: services.catalog.current(workspaceId ?? null),
        scoreButton: services.scoring?.offered(workspaceId) ?? false,
        metadata,
        lookingUpCall: Boolean(segmentId),
        ...extra,
      }),
    ),
  });
  if (segmentId && opened.view?.id) {
    await refineOpenedModal(
      services,
      client,
      logger,
      { id: opened.view.id, hash: opened.view.hash },
      { ...metadata, segmentId },
      workspaceId,
      extra,
    );
  }
}
