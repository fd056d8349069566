import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { isUuid } from '../../../domain/calls/segment-id.js';
import { parseJsonText } from '../../../support/json-text.js';
import { tellClicker } from '../../links/preview-button-click.js';
import { callHistoryRefusedView } from '../../views/call-history-view.js';
import { refusalFor } from '../access-gate.js';
import { openOrSayTooLate } from '../expired-trigger.js';
import { showCallHistory } from '../history/show-call-history.js';
import type { ListenerServices } from '../services.js';
import { slackUserOf } from '../slack-user.js';

const buttonValue = z.object({ s: z.string().max(64).refine(isUuid) });
const container = z.object({ type: z.string(), channel_id: z.string().optional() }).loose();

/**
 * "Show them" beside "3 comments already on this call": in the comment form the list is pushed on top (and
 * closes back to the form); in a call link's preview it opens on its own. Only those who may use /qm see it.
 */
export function callHistoryButton(services: ListenerServices) {
  return async ({
    ack,
    body,
    action,
    client,
    context,
    logger,
  }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>): Promise<void> => {
    await ack();
    const value = buttonValue.safeParse(parseJsonText(action.value));
    if (!value.success) {
      logger.warn('A call history button carried a value this app did not write; ignored.');
      return;
    }
    const where = container.safeParse(body.container);
    const inForm = where.success && where.data.type === 'view';
    const channelId = body.channel?.id ?? (where.success ? where.data.channel_id : undefined);
    const viewer = slackUserOf(services, context, body.team?.id ?? body.user.team_id ?? '', body.user.id);
    const refusal = await refusalFor(services, client, viewer);
    if (refusal) {
      if (inForm) {
        await client.views
          .push({
            trigger_id: body.trigger_id,
            view: callHistoryRefusedView(refusal),
          })
          .catch((error: unknown) => logger.warn('Could not tell someone why they may not see a call history', error));
      } else {
        // A preview's button has no response_url: the refusal goes to the clicker alone, in the channel.
        await tellClicker(
          client,
          logger,
          { channelId, userId: body.user.id },
          refusal,
          'Could not tell someone why they may not see a call history',
        );
      }
      return;
    }
    await openOrSayTooLate(
      logger,
      () =>
        showCallHistory(services, client, logger, {
          triggerId: body.trigger_id,
          segmentId: value.data.s,
          viewer,
          over: inForm ? 'form' : 'nothing',
        }),
      () =>
        tellClicker(
          client,
          logger,
          { channelId, userId: body.user.id },
          'The call history did not open: the app took longer than Slack allows (3 seconds). Press *Show them* again.',
          'Could not tell someone the call history did not open',
        ),
    );
  };
}
