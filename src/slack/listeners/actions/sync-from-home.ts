import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { syncFromHome, syncQuestionnairesFromHome } from '../home.js';
import type { ListenerServices } from '../services.js';
import { slackUserOf } from '../slack-user.js';

/** A Home tab button that runs `sync` for the person who clicked it. */
function homeSyncButton(services: ListenerServices, sync: typeof syncFromHome) {
  return async ({
    ack,
    body,
    client,
    context,
    logger,
  }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>): Promise<void> => {
    await ack();
    await sync(
      services,
      client,
      logger,
      slackUserOf(services, context, body.team?.id ?? body.user.team_id ?? '', body.user.id),
    );
  };
}

/** The Home tab's Sync from Flex button. */
export const syncFromHomeButton = (services: ListenerServices) => homeSyncButton(services, syncFromHome);

/** The Home tab's Sync from Flex button for questionnaires (admins only). */
export const syncQuestionnairesButton = (services: ListenerServices) =>
  homeSyncButton(services, syncQuestionnairesFromHome);
