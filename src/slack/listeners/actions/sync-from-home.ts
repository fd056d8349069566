import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { syncFromHome } from '../home.js';
import type { ListenerServices } from '../services.js';

/** The Home tab's Sync from Flex button. */
export function syncFromHomeButton(services: ListenerServices) {
  return async ({
    ack,
    body,
    client,
    logger,
  }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>): Promise<void> => {
    await ack();
    await syncFromHome(services, client, logger, {
      teamId: body.team?.id ?? body.user.team_id ?? '',
      userId: body.user.id,
    });
  };
}
