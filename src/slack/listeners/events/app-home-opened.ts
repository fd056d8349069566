import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { publishHome } from '../home.js';
import type { ListenerServices } from '../services.js';
import { slackUserOf } from '../slack-user.js';

/** Opening the app's Home tab publishes it fresh: identity, role, last assessments and, for admins, the sync. */
export function appHomeOpened(services: ListenerServices) {
  return async ({ event, body, client, context }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_home_opened'>) => {
    if (event.tab !== 'home') return;
    await publishHome(services, client, slackUserOf(services, context, body.team_id, event.user));
  };
}
