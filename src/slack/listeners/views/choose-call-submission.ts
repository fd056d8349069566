import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { metadataForCall } from '../../views/call-metadata.js';
import { CHOOSE_CALL_BLOCK } from '../../views/choose-call-modal.js';
import { buildCommentModal } from '../../views/comment-modal.js';
import { formUnreadableView } from '../../views/status-views.js';
import { refineOpenedModal } from '../commands/refine-opened-modal.js';
import type { ListenerServices } from '../services.js';

const choice = z.object({ selected_option: z.object({ value: z.string() }).nullish() }).loose();

/** The reviewer chose one of the message's calls (or chose to go on without one): on to the form. */
export function chooseCallSubmission(services: ListenerServices) {
  return async ({
    ack,
    body,
    view,
    client,
    context,
    logger,
  }: AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>): Promise<void> => {
    const workspaceId = services.workspaces.keyOf(context);
    const base = services.modalMetadata.open(view.private_metadata);
    if (!base) {
      logger.warn(`A call choice from ${body.user.id} came back with private_metadata that fails its seal; refused.`);
      await ack({ response_action: 'update', view: formUnreadableView() });
      return;
    }
    const selected = choice.safeParse(view.state.values[CHOOSE_CALL_BLOCK.blockId]?.[CHOOSE_CALL_BLOCK.actionId]);
    const segmentId = selected.success ? selected.data.selected_option?.value : undefined;
    const call = base.calls?.find((c) => c.segmentId === segmentId);
    const metadata = metadataForCall(base, call);
    await ack({
      response_action: 'update',
      view: services.modalMetadata.sealView(
        buildCommentModal({
          categories: services.catalog.current(workspaceId ?? null),
          scoreButton: services.scoring?.offered(workspaceId) ?? false,
          metadata,
          lookingUpCall: Boolean(call && !call.agentId),
        }),
      ),
    });
    if (call && !call.agentId) {
      // The view keeps its id through response_action: update.
      await refineOpenedModal(
        services,
        client,
        logger,
        { id: view.id, hash: undefined },
        { ...metadata, segmentId: call.segmentId },
        workspaceId,
      );
    }
  };
}
