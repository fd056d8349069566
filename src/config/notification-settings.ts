import { z } from 'zod';
import { optionalString } from './env-values.js';

export interface NotificationSettings {
  /** Where every posted assessment is announced, unless its category names its own channel. */
  channelId: string | undefined;
  /** Also tell the agent, by DM, when they are mapped to a Slack user. */
  agentDm: boolean;
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
};

export function notificationsFrom(e: {
  NOTIFY_CHANNEL?: string | undefined;
  NOTIFY_AGENT_DM: boolean;
}): NotificationSettings {
  return { channelId: e.NOTIFY_CHANNEL, agentDm: e.NOTIFY_AGENT_DM };
}
