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
export async function publishHome(
  services: ListenerServices,
  client: webApi.WebClient,
  slackUser: SlackUser,
  adminState: { notice?: string; syncing?: boolean; questionnaires?: { notice?: string; syncing?: boolean } } = {},
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
  const identity = await services.people.identityOf(slackUser);
  const sync = services.people.syncFromFlex;
  if (identity?.role !== 'admin' || !sync) {
    await publishHome(services, client, slackUser);
    return;
  }
  await publishHome(services, client, slackUser, { syncing: true });
  let notice: string;
  try {
    notice = syncNotice(await sync(slackUser.workspaceId, `slack:${slackUser.userId}`), slackUser.workspaceId);
  } catch (error) {
    logger.error(...logArgs('Sync from Flex failed', error));
    const reason = error instanceof FlexError ? error.forAdmins : safeErrorMessage(error);
    notice = `:warning: The sync failed: ${reason} Nothing was changed.`;
  }
  await publishHome(services, client, slackUser, { notice });
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
  const identity = await services.people.identityOf(slackUser);
  const scoring = services.scoring;
  if (identity?.role !== 'admin' || !scoring) {
    // Not (or no longer) an admin: the Home tab is shown as it is for them, and nothing is synced.
    await publishHome(services, client, slackUser);
    return;
  }
  await publishHome(services, client, slackUser, { questionnaires: { syncing: true } });
  let notice: string;
  try {
    notice = questionnaireSyncNotice(await scoring.sync(slackUser.workspaceId));
  } catch (error) {
    logger.error(...logArgs('Syncing questionnaires from Flex failed', error));
    const reason = error instanceof FlexError ? error.forAdmins : safeErrorMessage(error);
    notice = `:warning: The questionnaire sync failed: ${reason} Nothing was changed.`;
  }
  await publishHome(services, client, slackUser, { questionnaires: { notice } });
}
