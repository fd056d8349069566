import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { publishHome } from '../home.js';
import type { ListenerServices } from '../services.js';

/** Opening the app's Home tab publishes it fresh: identity, role, last assessments and, for admins, the sync. */
export function appHomeOpened(services: ListenerServices) {
  return async ({ event, body, client }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_home_opened'>) => {
    if (event.tab !== 'home') return;
    await publishHome(services, client, { teamId: body.team_id, userId: event.user });
  };
}
