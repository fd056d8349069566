import type { Logger } from '@slack/bolt';
import type { Config } from '../config/config.js';
import { QuestionnaireRepository } from '../db/repositories/questionnaire-repository.js';
import { QuestionnaireSyncScheduleRepository } from '../db/repositories/questionnaire-sync-schedule-repository.js';
import { QuestionnaireRefresh } from '../domain/scorecards/questionnaire-refresh.js';
import { logArgs } from '../flex/errors.js';
import type { ScorecardCalls } from '../flex/scorecard-client.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { PollingLoop } from '../support/polling-loop.js';

/** How often an instance looks whether a workspace's refresh is due (the interval itself is in minutes). */
const CHECK_EVERY_MS = 60_000;

/**
 * The scheduled questionnaire refresh (QUESTIONNAIRE_SYNC_INTERVAL_MINUTES; 0: none): each workspace's
 * questionnaires are read from Flex with the app's one Flex client, by one instance per interval.
 */
export function wireQuestionnaireRefresh(deps: {
  config: Config;
  prisma: PrismaClient;
  flex: Pick<ScorecardCalls, 'listQuestionnaires' | 'fetchAnswerSets'>;
  logger: Logger;
  checkIntervalMs?: number | undefined;
  now?: (() => Date) | undefined;
}) {
  const { config, logger } = deps;
  const intervalMs = config.questionnaireSync.intervalMinutes * 60_000;
  if (intervalMs === 0) return undefined;
  const now = deps.now ?? (() => new Date());
  const questionnaires = new QuestionnaireRepository(deps.prisma);
  const refresh = new QuestionnaireRefresh({
    schedule: new QuestionnaireSyncScheduleRepository(deps.prisma, !config.slack.oauth),
    intervalMs,
    now,
    async sync(workspaceId) {
      const [listed, sets] = await Promise.all([
        deps.flex.listQuestionnaires({ includeInactive: true }),
        deps.flex.fetchAnswerSets(),
      ]);
      const report = await questionnaires.syncFromFlex(listed, sets, workspaceId, now());
      const summary = `added ${report.added}, updated ${report.updated}, deactivated ${report.deactivated}, unchanged ${report.unchanged}`;
      logger.info(`Questionnaires of workspace ${workspaceId ?? '(single)'} refreshed from Flex: ${summary}.`);
      return summary;
    },
    onError: (workspaceId, error) =>
      logger.warn(
        ...logArgs(
          `Refreshing the questionnaires of workspace ${workspaceId ?? '(single)'} from Flex failed (tried again at the next interval; \`npm run questionnaires -- sync\` runs it now)`,
          error,
        ),
      ),
  });
  const loop = new PollingLoop(
    () => refresh.runOnce(),
    Math.min(deps.checkIntervalMs ?? CHECK_EVERY_MS, intervalMs),
    (error) => logger.warn(...logArgs('Looking for a due questionnaire refresh failed', error)),
  );
  return {
    refresh,
    start: () => loop.start(),
    stop: (deadlineMs: number) => loop.stop(deadlineMs),
  };
}
