import type { Logger, webApi } from '@slack/bolt';
import type { Config } from '../config/config.js';
import type { IdentityRepository } from '../db/repositories/identity-repository.js';
import { type SyncReport, syncIdentities } from '../domain/identities/identity-sync.js';
import { createTaskRouterClient, type TaskRouterClient } from '../flex/taskrouter-client.js';
import { patientSlackClient, slackUserByEmail } from '../slack/directory/slack-users.js';
import type { SlackWorkspaces } from '../slack/workspaces.js';

/**
 * The Home tab's "sync from Flex", when TASKROUTER_WORKSPACE_SID is set. Every Slack workspace syncs from
 * the one TaskRouter workspace (one Flex account behind them all), into its own identities, matching people
 * with its own bot token. Two admins clicking at once share one run.
 */
export function wireIdentitySync(deps: {
  config: Config;
  identities: IdentityRepository;
  workspaces: SlackWorkspaces;
  logger: Logger;
}): {
  syncFromFlex: ((workspaceId: string | undefined, startedBy: string) => Promise<SyncReport>) | undefined;
  close(): Promise<void>;
} {
  const { config, identities, workspaces, logger } = deps;
  const workspaceSid = config.taskRouter.workspaceSid;
  const taskRouter = workspaceSid
    ? createTaskRouterClient({
        baseUrl: config.taskRouter.baseUrl,
        workspaceSid,
        credentials: { username: config.flex.username, password: config.flex.password },
        timeoutMs: config.flex.timeoutMs,
      })
    : undefined;
  const syncing = new Map<string, Promise<SyncReport>>();
  const syncFromFlex = taskRouter
    ? (workspaceId: string | undefined, startedBy: string) => {
        const key = workspaceId ?? '';
        let run = syncing.get(key);
        if (!run) {
          run = workspaces
            .botTokenOf(workspaceId)
            .then((token) =>
              runIdentitySync({
                taskRouter,
                identities,
                workspaceId,
                slack: patientSlackClient(token, config.slack.apiUrl, logger),
                dryRun: false,
                startedBy,
                logger,
              }),
            )
            .finally(() => syncing.delete(key));
          syncing.set(key, run);
        }
        return run;
      }
    : undefined;
  return {
    syncFromFlex,
    async close() {
      await taskRouter?.close();
    },
  };
}

/**
 * One sync of one workspace's identities with the real adapters: TaskRouter's workers, Slack's users by
 * email (asked with that workspace's bot token), the workspace's rows of the Identity table.
 */
export async function runIdentitySync(deps: {
  taskRouter: TaskRouterClient;
  identities: IdentityRepository;
  /** The workspace synced: team id, or org id of an org-wide install; undefined: SLACK_BOT_TOKEN's. */
  workspaceId: string | undefined;
  /** A client with the workspace's bot token. */
  slack: webApi.WebClient;
  dryRun: boolean;
  /** cli, or slack:<user id> for the Home tab's button. */
  startedBy: string;
  /** Where the run's counts are logged (never its people: the report lists emails and names). */
  logger?: { info(fields: Record<string, unknown>, message: string): void };
}): Promise<SyncReport> {
  const report = await syncIdentities(
    {
      listWorkers: () => deps.taskRouter.listWorkers(),
      listIdentities: () => deps.identities.listForSync(deps.workspaceId),
      lookupSlackUser: slackUserByEmail(deps.slack, deps.workspaceId?.startsWith('T') ? deps.workspaceId : ''),
      apply: (changes, deactivateIds, report) =>
        deps.identities.applySync(deps.workspaceId, changes, deactivateIds, report, deps.startedBy),
    },
    { dryRun: deps.dryRun },
  );
  deps.logger?.info(
    { event: 'identity_sync', workspace: deps.workspaceId, startedBy: deps.startedBy, ...syncCounts(report) },
    deps.dryRun ? 'Identity sync from Flex tried (dry run, nothing changed)' : 'Identities synced from Flex',
  );
  return report;
}

/** A sync's counts, never its people. */
export function syncCounts(report: SyncReport): Record<string, number | boolean> {
  return {
    dryRun: report.dryRun,
    workers: report.workers,
    matched: report.matched.length,
    added: report.added.length,
    updated: report.updated.length,
    deactivated: report.deactivated.length,
    flexWithoutSlack: report.flexWithoutSlack.length,
    notInFlex: report.notInFlex.length,
    ambiguous: report.ambiguous.length,
    unchanged: report.unchanged,
  };
}
