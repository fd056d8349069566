import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { isUuid } from '../../../domain/calls/segment-id.js';
import { parseJsonText } from '../../../support/json-text.js';
import { CALL_HISTORY_CALLBACK_ID, callHistoryRefusedView } from '../../views/call-history-view.js';
import { refusalFor } from '../access-gate.js';
import { fillCallHistory } from '../history/show-call-history.js';
import type { ListenerServices } from '../services.js';
import { slackUserOf } from '../slack-user.js';

const pageValue = z.object({ s: z.string().max(64).refine(isUuid), p: z.number().int().min(0).max(1000) });

/** "← Newer" and "Older →" in a long call history: the same view shows that page, read afresh from Flex. */
export function callHistoryPage(services: ListenerServices) {
  return async ({
    ack,
    body,
    action,
    client,
    context,
    logger,
  }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>): Promise<void> => {
    await ack();
    const value = pageValue.safeParse(parseJsonText(action.value));
    const viewId = body.view?.id;
    if (!value.success || !viewId || body.view?.callback_id !== CALL_HISTORY_CALLBACK_ID) {
      logger.warn('A call history page button carried a value this app did not write; ignored.');
      return;
    }
    const viewer = slackUserOf(services, context, body.team?.id ?? body.user.team_id ?? '', body.user.id);
    // Whoever clicks is asked again: access may have been taken away since the list opened.
    const refusal = await refusalFor(services, client, viewer);
    if (refusal) {
      await client.views
        .update({
          view_id: viewId,
          view: callHistoryRefusedView(refusal),
        })
        .catch((error: unknown) => logger.warn('Could not tell someone why they may not see a call history', error));
      return;
    }
    await fillCallHistory(services, client, logger, { viewId, segmentId: value.data.s, viewer, page: value.data.p });
  };
}
