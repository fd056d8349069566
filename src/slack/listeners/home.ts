import type { Logger, webApi } from '@slack/bolt';
import { workspaceOption } from '../../domain/identities/admin-commands.js';
import type { SyncReport } from '../../domain/identities/identity-sync.js';
import type { SlackUser } from '../../domain/identities/slack-user.js';
import { FlexError, logArgs } from '../../flex/errors.js';
import { safeErrorMessage } from '../../logging/redaction.js';
import { questionnaireSyncNotice } from '../scorecards/questionnaire-home.js';
import { type HomeData, homeView } from '../views/identity-views.js';
import { whoAmI } from './commands/self-service.js';
import type { ListenerServices } from './services.js';

const RECENT_ASSESSMENTS = 20;

/** Builds and publishes someone's Home tab; `admin` overrides add a notice or the syncing state. */
/** What the admin sections show beyond the data: a sync under way, or how the last one ended. */
interface AdminHomeState {
  notice?: string;
  syncing?: boolean;
  questionnaires?: { notice?: string; syncing?: boolean };
}

export async function publishHome(
  services: ListenerServices,
  client: webApi.WebClient,
  slackUser: SlackUser,
  adminState: AdminHomeState = {},
): Promise<void> {
  const who = await whoAmI(services, slackUser);
  const identity = await services.people.identityOf(slackUser);
  const data: HomeData = {
    who,
    assessments: identity ? await services.people.recentAssessments(identity.id, RECENT_ASSESSMENTS) : [],
    ...(services.feedback ? { feedback: await services.feedback.homeBlocks(slackUser) } : {}),
  };
  if (identity?.role === 'admin') {
    const { questionnaires: questionnaireState, ...identityState } = adminState;
    data.admin = {
      lastSync: await services.people.lastSyncReport(slackUser.workspaceId),
      ...(services.people.syncFromFlex
        ? {}
        : {
            syncUnavailable:
              'Syncing from Flex needs TASKROUTER_WORKSPACE_SID in the app’s settings (see docs/twilio-flex.md).',
          }),
      ...identityState,
      ...(services.scoring
        ? {
            questionnaires: {
              rows: await services.scoring.list(slackUser.workspaceId),
              workspaceId: slackUser.workspaceId,
              ...questionnaireState,
            },
          }
        : {}),
      ...(services.workspaceSettings
        ? { settings: await services.workspaceSettings.adminHomeBlocks(slackUser.workspaceId) }
        : {}),
    };
  }
  await client.views.publish({ user_id: slackUser.userId, view: homeView(data) });
}

/** The admins' Sync from Flex button: runs the sync, then shows its outcome on the Home tab. */
export async function syncFromHome(
  services: ListenerServices,
  client: webApi.WebClient,
  logger: Logger,
  slackUser: SlackUser,
): Promise<void> {
  const sync = services.people.syncFromFlex;
  await adminSyncFromHome(services, client, logger, slackUser, {
    run:
      sync &&
      (async () => syncNotice(await sync(slackUser.workspaceId, `slack:${slackUser.userId}`), slackUser.workspaceId)),
    what: { log: 'Sync from Flex failed', shown: 'The sync' },
    show: (state) => state,
  });
}

function syncNotice(report: SyncReport, workspaceId: string | undefined): string {
  return `:white_check_mark: Synced: added ${report.added.length}, updated ${report.updated.length}, deactivated ${report.deactivated.length}, unchanged ${report.unchanged}. For the full report run \`npm run identities -- sync${workspaceOption(workspaceId)} --dry-run\`.`;
}

/** The admins' Sync from Flex button for questionnaires: runs `questionnaires -- sync`, then shows the outcome. */
export async function syncQuestionnairesFromHome(
  services: ListenerServices,
  client: webApi.WebClient,
  logger: Logger,
  slackUser: SlackUser,
): Promise<void> {
  const scoring = services.scoring;
  await adminSyncFromHome(services, client, logger, slackUser, {
    run: scoring && (async () => questionnaireSyncNotice(await scoring.sync(slackUser.workspaceId))),
    what: { log: 'Syncing questionnaires from Flex failed', shown: 'The questionnaire sync' },
    show: (state) => ({ questionnaires: state }),
  });
}

/**
 * A Home tab sync button, for QM admins only: "syncing" at once, then the outcome (or why it failed, with
 * nothing changed). Anyone else (or a sync this app cannot run) gets their Home tab as it is, nothing synced.
 */
async function adminSyncFromHome(
  services: ListenerServices,
  client: webApi.WebClient,
  logger: Logger,
  slackUser: SlackUser,
  sync: {
    run: (() => Promise<string>) | undefined;
    what: { log: string; shown: string };
    show: (state: { syncing?: boolean; notice?: string }) => AdminHomeState;
  },
): Promise<void> {
  const identity = await services.people.identityOf(slackUser);
  if (identity?.role !== 'admin' || !sync.run) {
    await publishHome(services, client, slackUser);
    return;
  }
  await publishHome(services, client, slackUser, sync.show({ syncing: true }));
  let notice: string;
  try {
    notice = await sync.run();
  } catch (error) {
    logger.error(...logArgs(sync.what.log, error));
    const reason = error instanceof FlexError ? error.forAdmins : safeErrorMessage(error);
    notice = `:warning: ${sync.what.shown} failed: ${reason} Nothing was changed.`;
  }
  await publishHome(services, client, slackUser, sync.show({ notice }));
}
