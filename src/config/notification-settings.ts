import { z } from 'zod';
import { optionalString, wholeNumber } from './env-values.js';

export interface NotificationSettings {
  /** Where every posted assessment is announced, unless its category names its own channel. */
  channelId: string | undefined;
  /** Also tell the agent, by DM, when they are mapped to a Slack user. */
  agentDm: boolean;
  /**
   * How long an instance holds an announcement it is making; one that died holding it is taken up by
   * another instance after this. Longer than one try can take, so a live try is never taken over.
   */
  claimLeaseMs: number;
}

export const notificationEnv = {
  NOTIFY_CHANNEL: optionalString.pipe(
    z
      .string()
      .regex(/^[CG][A-Z0-9]+$/, 'must be a channel id such as C0123ABCD (channel details → bottom of the About tab)')
      .optional(),
  ),
  NOTIFY_AGENT_DM: z
    .enum(['true', 'false', ''], { error: 'must be true or false' })
    .default('false')
    .transform((value) => value === 'true'),
  ANNOUNCE_CLAIM_LEASE_MS: wholeNumber('milliseconds', 1_000, 3_600_000).default(60_000),
};

export function notificationsFrom(e: {
  NOTIFY_CHANNEL?: string | undefined;
  NOTIFY_AGENT_DM: boolean;
  ANNOUNCE_CLAIM_LEASE_MS: number;
}): NotificationSettings {
  return { channelId: e.NOTIFY_CHANNEL, agentDm: e.NOTIFY_AGENT_DM, claimLeaseMs: e.ANNOUNCE_CLAIM_LEASE_MS };
}
