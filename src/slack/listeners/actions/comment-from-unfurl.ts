import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { readPreviewButtonClick, tellClicker } from '../../links/preview-button-click.js';
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
    const clicker = { channelId, userId: body.user.id };
    if (refusal) {
      await tellClicker(client, logger, clicker, refusal, 'Could not tell someone why they may not comment');
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
      () =>
        tellClicker(
          client,
          logger,
          clicker,
          formDidNotOpenText('Press Comment on the call’s preview again.'),
          'Could not tell someone their form did not open',
        ),
    );
  };
}
