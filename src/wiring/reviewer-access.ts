import type { Logger, webApi } from '@slack/bolt';
import type { Config } from '../config/config.js';
import type { IdentityRepository } from '../db/repositories/identity-repository.js';
import { ReviewerAccess } from '../domain/identities/reviewer-access.js';
import { UsergroupMembers } from '../slack/directory/slack-users.js';
import { withTimeout } from '../support/with-timeout.js';

/** Who may comment: identities with the reviewer role, admins, and members of REVIEWER_USERGROUP. */
export function wireReviewerAccess(deps: {
  config: Config;
  client: webApi.WebClient;
  identities: IdentityRepository;
  logger: Logger;
}) {
  const { config, identities, logger } = deps;
  // Group membership is asked inside Slack's 3-second window, so a slow answer counts as "not a member".
  const usergroup = config.reviewerUsergroupId
    ? new UsergroupMembers(deps.client, config.reviewerUsergroupId, logger)
    : undefined;
  const inReviewerGroup = usergroup
    ? (userId: string) =>
        withTimeout(usergroup.has(userId), 1_500, 'usergroups.users.list').catch((error: unknown) => {
          logger.warn({ err: error }, 'Reviewer user group check failed');
          return false;
        })
    : undefined;
  const access = new ReviewerAccess({
    directory: identities,
    adminSlackUsers: async (workspaceId) =>
      (await identities.admins(workspaceId)).flatMap((admin) => (admin.slackUserId ? [admin.slackUserId] : [])),
    inReviewerGroup,
    reviewerGroupId: config.reviewerUsergroupId,
  });
  return { access, inReviewerGroup };
}
