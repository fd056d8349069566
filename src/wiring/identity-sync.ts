import type { webApi } from '@slack/bolt';
import type { IdentityRepository } from '../db/repositories/identity-repository.js';
import { type SyncReport, syncIdentities } from '../domain/identities/identity-sync.js';
import type { TaskRouterClient } from '../flex/taskrouter-client.js';
import { slackUserByEmail } from '../slack/directory/slack-users.js';

/** One sync with the real adapters: TaskRouter's workers, Slack's users by email, the Identity table. */
export function runIdentitySync(deps: {
  taskRouter: TaskRouterClient;
  identities: IdentityRepository;
  slack: webApi.WebClient;
  dryRun: boolean;
  /** cli, or slack:<user id> for the Home tab's button. */
  startedBy: string;
}): Promise<SyncReport> {
  return syncIdentities(
    {
      listWorkers: () => deps.taskRouter.listWorkers(),
      listIdentities: () => deps.identities.listForSync(),
      lookupSlackUser: slackUserByEmail(deps.slack),
      apply: (changes, deactivateIds, report) =>
        deps.identities.applySync(changes, deactivateIds, report, deps.startedBy),
    },
    { dryRun: deps.dryRun },
  );
}
