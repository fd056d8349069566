import type { webApi } from '@slack/bolt';
import type { SlackUser } from '../../domain/identities/slack-user.js';
import { slackEmailOf } from '../directory/slack-users.js';
import { refusalText } from '../views/access-messages.js';
import type { ListenerServices } from './services.js';

/**
 * The first touch (command, shortcut) asks whether this person may comment: undefined when they may
 * (an unmapped person whose Slack email matches an unlinked identity is linked on the way), else
 * what to tell them, naming the admins.
 */
export async function refusalFor(
  services: ListenerServices,
  client: webApi.WebClient,
  slackUser: SlackUser,
): Promise<string | undefined> {
  const resolution = await services.access.resolve(slackUser, () => slackEmailOf(client, slackUser.userId));
  if (resolution.kind === 'reviewer') return undefined;
  return refusalText(
    resolution,
    await services.access.adminSlackUsers(slackUser.workspaceId),
    services.access.reviewerGroupId,
    slackUser.workspaceId,
  );
}
