import type { Logger, webApi } from '@slack/bolt';
import { toModalCallContext } from '../../views/call-context.js';
import { buildCommentModal, type CommentModalValues } from '../../views/comment-modal.js';
import type { ModalMetadata } from '../../views/modal-metadata.js';
import type { ListenerServices } from '../services.js';

/**
 * After the modal is open (the trigger is spent in time), asks Flex whose call this is: when Flex
 * knows, the modal shows the call and stops asking for the agent; when not, it asks.
 */
export async function refineOpenedModal(
  services: ListenerServices,
  client: webApi.WebClient,
  logger: Logger,
  view: { id: string; hash: string | undefined },
  metadata: ModalMetadata & { segmentId: string },
  workspaceId: string | undefined,
  /** What the form opened with (a notice, values typed in the command), kept when it is rebuilt. */
  opened: { notice?: string; values?: CommentModalValues } = {},
): Promise<void> {
  // Asked at once, so the count costs the form no time beyond Flex's slower answer (each bounded).
  const [call, commentCount] = await Promise.all([
    services.calls.findCall(metadata.segmentId),
    services.history.countComments(metadata.segmentId),
  ]);
  const known = call?.agentId ? call : undefined;
  const lookupNotice =
    call === undefined
      ? (services.calls.refusal?.() ??
        'Flex did not answer when asked about this call, so enter the agent id yourself.')
      : known
        ? undefined
        : 'Flex does not know this call or who handled it. Check the segment id, or enter the agent id.';
  const notice = [opened.notice, lookupNotice].filter(Boolean).join('\n') || undefined;
  const refined: ModalMetadata = known
    ? { ...metadata, agentId: known.agentId ?? undefined, context: toModalCallContext(known) }
    : metadata;
  try {
    await client.views.update({
      view_id: view.id,
      ...(view.hash ? { hash: view.hash } : {}),
      view: services.modalMetadata.sealView(
        buildCommentModal({
          categories: services.catalog.current(workspaceId ?? null),
          scoreButton: services.scoring?.offered(workspaceId) ?? false,
          metadata: refined,
          askAgent: !known,
          notice,
          // "No comments yet" only of a call Flex knows: of one it does not, it says nothing.
          ...(commentCount && (call || commentCount.count > 0 || commentCount.more) ? { commentCount } : {}),
          ...(opened.values ? { values: opened.values } : {}),
        }),
      ),
    });
  } catch (error) {
    // hash_conflict: the reviewer already submitted or the modal changed; the submission looks Flex up itself.
    logger.debug(`Could not add the call's details to modal ${view.id}`, error);
  }
}
