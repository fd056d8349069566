import type { SlackUser } from '../../domain/identities/slack-user.js';
import type { RequestWorkspace } from '../workspaces.js';
import type { ListenerServices } from './services.js';

/** The person behind a request, with the workspace whose identities they are looked up among. */
export function slackUserOf(
  services: Pick<ListenerServices, 'workspaces'>,
  context: RequestWorkspace,
  teamId: string,
  userId: string,
): SlackUser {
  return { workspaceId: services.workspaces.keyOf(context), teamId, userId };
}
