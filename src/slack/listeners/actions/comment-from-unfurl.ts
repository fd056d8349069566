import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { readPreviewButtonClick } from '../../links/preview-button-click.js';
import type { ModalMetadata } from '../../views/modal-metadata.js';
import { refusalFor } from '../access-gate.js';
import { formDidNotOpenText, openOrSayTooLate } from '../expired-trigger.js';
import { openCommentModal } from '../open-comment-modal.js';
import type { ListenerServices } from '../services.js';
import { slackUserOf } from '../slack-user.js';

/** The Comment button on a call's preview: the form for that call, answered in the message's thread. */
export function commentFromUnfurl(services: ListenerServices) {
  return async ({
    ack,
    body,
    action,
    client,
    context,
    logger,
  }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>): Promise<void> => {
    await ack();
    const click = readPreviewButtonClick(body, action.value);
    if (!click) {
      logger.warn('A Comment button carried a value this app did not write; ignored.');
      return;
    }
    const { channelId } = click;
    const refusal = await refusalFor(
      services,
      client,
      slackUserOf(services, context, body.team?.id ?? body.user.team_id ?? '', body.user.id),
    );
    if (refusal) {
      // A button in a preview has no response_url: the refusal goes to the clicker alone, in the channel.
      if (channelId) {
        await client.chat
          .postEphemeral({ channel: channelId, user: body.user.id, text: refusal })
          .catch((error: unknown) => logger.warn('Could not tell someone why they may not comment', error));
      }
      return;
    }
    const metadata: ModalMetadata = {
      v: 1,
      source: 'unfurl',
      ...(channelId ? { channelId } : {}),
      ...(click.thread ? { thread: click.thread } : {}),
      ...click.call,
    };
    await openOrSayTooLate(
      logger,
      () =>
        openCommentModal(services, client, logger, body.trigger_id, metadata, {}, services.workspaces.keyOf(context)),
      async () => {
        if (!channelId) return;
        const text = formDidNotOpenText('Press Comment on the call’s preview again.');
        await client.chat
          .postEphemeral({ channel: channelId, user: body.user.id, text })
          .catch((failure: unknown) => logger.warn('Could not tell someone their form did not open', failure));
      },
    );
  };
}
