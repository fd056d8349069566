import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { syncFromHome, syncQuestionnairesFromHome } from '../home.js';
import type { ListenerServices } from '../services.js';
import { slackUserOf } from '../slack-user.js';

/** The Home tab's Sync from Flex button. */
export function syncFromHomeButton(services: ListenerServices) {
  return async ({
    ack,
    body,
    client,
    context,
    logger,
  }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>): Promise<void> => {
    await ack();
    await syncFromHome(
      services,
      client,
      logger,
      slackUserOf(services, context, body.team?.id ?? body.user.team_id ?? '', body.user.id),
    );
  };
}

/** The Home tab's Sync from Flex button for questionnaires (admins only). */
export function syncQuestionnairesButton(services: ListenerServices) {
  return async ({
    ack,
    body,
    client,
    context,
    logger,
  }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>): Promise<void> => {
    await ack();
    await syncQuestionnairesFromHome(
      services,
      client,
      logger,
      slackUserOf(services, context, body.team?.id ?? body.user.team_id ?? '', body.user.id),
    );
  };
}
