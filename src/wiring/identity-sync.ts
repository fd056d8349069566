import type { webApi } from '@slack/bolt';
import type { IdentityRepository } from '../db/repositories/identity-repository.js';
import { type SyncReport, syncIdentities } from '../domain/identities/identity-sync.js';
import type { TaskRouterClient } from '../flex/taskrouter-client.js';
import { slackUserByEmail } from '../slack/directory/slack-users.js';

/**
 * One sync of one workspace's identities with the real adapters: TaskRouter's workers, Slack's users by
 * email (asked with that workspace's bot token), the workspace's rows of the Identity table.
 */
export function runIdentitySync(deps: {
  taskRouter: TaskRouterClient;
  identities: IdentityRepository;
  /** The workspace synced: team id, or org id of an org-wide install; undefined: SLACK_BOT_TOKEN's. */
  workspaceId: string | undefined;
  /** A client with the workspace's bot token. */
  slack: webApi.WebClient;
  dryRun: boolean;
  /** cli, or slack:<user id> for the Home tab's button. */
  startedBy: string;
}): Promise<SyncReport> {
  return syncIdentities(
    {
      listWorkers: () => deps.taskRouter.listWorkers(),
      listIdentities: () => deps.identities.listForSync(deps.workspaceId),
      lookupSlackUser: slackUserByEmail(deps.slack, deps.workspaceId?.startsWith('T') ? deps.workspaceId : ''),
      apply: (changes, deactivateIds, report) =>
        deps.identities.applySync(deps.workspaceId, changes, deactivateIds, report, deps.startedBy),
    },
    { dryRun: deps.dryRun },
  );
}
