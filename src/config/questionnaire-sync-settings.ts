import { z } from 'zod';

export interface QuestionnaireSyncSettings {
  /** How often each workspace's questionnaires are read from Flex again; 0: never (only by `questionnaires -- sync`). */
  intervalMinutes: number;
}

export const questionnaireSyncEnvShape = {
  QUESTIONNAIRE_SYNC_INTERVAL_MINUTES: z.coerce
    .number({ error: 'must be a whole number of minutes (0 turns the scheduled refresh off)' })
    .int('must be a whole number of minutes (0 turns the scheduled refresh off)')
    .min(0, 'must be 0 (off) or more')
    .max(7 * 24 * 60, 'must be at most a week (10080)')
    .default(60),
};

export function questionnaireSyncFrom(e: { QUESTIONNAIRE_SYNC_INTERVAL_MINUTES: number }): QuestionnaireSyncSettings {
  return { intervalMinutes: e.QUESTIONNAIRE_SYNC_INTERVAL_MINUTES };
}
