import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { findCallLinks } from '../../../domain/calls/call-links.js';
import { metadataForCall } from '../../views/call-metadata.js';
import { buildChooseCallModal, buildNoCallModal, callsForMetadata } from '../../views/choose-call-modal.js';
import type { ModalMetadata } from '../../views/modal-metadata.js';
import { refusalFor } from '../access-gate.js';
import { noCategoriesText } from '../commands/qm-command.js';
import { formDidNotOpenText, openOrSayTooLate } from '../expired-trigger.js';
import { openCommentModal } from '../open-comment-modal.js';
import type { ListenerServices } from '../services.js';
import { slackUserOf } from '../slack-user.js';

export const COMMENT_ON_CALL_CALLBACK_ID = 'comment_on_call';

/**
 * "Comment on this call" on a message: the message's call link fills in the call, several links
 * ask which one, none explains what counts; the confirmation goes to the message's thread.
 */
export function commentOnCallShortcut(services: ListenerServices) {
  return async ({
    shortcut,
    ack,
    client,
    context,
    logger,
    respond,
  }: AllMiddlewareArgs & SlackShortcutMiddlewareArgs<MessageShortcut>): Promise<void> => {
    await ack();
    const workspaceId = services.workspaces.keyOf(context);
    const refusal = await refusalFor(
      services,
      client,
      slackUserOf(services, context, shortcut.team?.id ?? shortcut.user.team_id ?? '', shortcut.user.id),
    );
    if (refusal) {
      logger.info(`Comment on this call refused to Slack user ${shortcut.user.id}: not a reviewer.`);
      await respond({ response_type: 'ephemeral', text: refusal });
      return;
    }
    const categories = services.catalog.current(workspaceId ?? null);
    if (categories.length === 0) {
      await respond({ response_type: 'ephemeral', text: noCategoriesText(workspaceId) });
      return;
    }
    const calls = findCallLinks(shortcut.message, services.callLinkPatterns);
    const base: ModalMetadata = {
      v: 1,
      source: 'shortcut',
      channelId: shortcut.channel.id,
      thread: {
        channelId: shortcut.channel.id,
        messageTs: shortcut.message.ts,
        threadTs: typeof shortcut.message.thread_ts === 'string' ? shortcut.message.thread_ts : shortcut.message.ts,
      },
    };
    const [only] = calls;
    const open = () =>
      calls.length === 1 && only
        ? openCommentModal(services, client, logger, shortcut.trigger_id, metadataForCall(base, only), {}, workspaceId)
        : client.views.open({
            trigger_id: shortcut.trigger_id,
            view: services.modalMetadata.sealView(
              calls.length > 1
                ? buildChooseCallModal(calls, { ...base, calls: callsForMetadata(calls) })
                : buildNoCallModal(base),
            ),
          });
    await openOrSayTooLate(logger, open, () =>
      respond({
        response_type: 'ephemeral',
        text: formDidNotOpenText('Use “Comment on this call” on the message again.'),
      }),
    );
  };
}
