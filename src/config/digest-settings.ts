import { Cron } from 'croner';
import { z } from 'zod';
import { optionalString, wholeNumber } from './env-values.js';

/** The week in Slack: the digest to a channel, per team when identities carry one, and agents' own summaries. */
export interface DigestSettings {
  /** Where the workspace's digest goes; unset: no digests (agents' summaries may still be on). */
  channelId: string | undefined;
  /** When a week ends and its digest is sent: a cron expression (5 fields, or 6 with seconds first). */
  cron: string;
  /** The IANA time zone the cron expression is read in (the workspace's zone; Slack does not tell an app one). */
  timeZone: string;
  /** A team's own channel (team name as Flex gives it → channel id); a team without one gets a section. */
  teamChannels: ReadonlyMap<string, string>;
  /** Each agent linked to a Slack user gets their own week by DM (off unless the admin turns it on). */
  agentSummaries: boolean;
  /** Attach a chart image (scores per agent over the last weeks, comments per category). */
  chart: boolean;
  /** How long an instance holds a digest it is sending before another may take it over. */
  leaseMs: number;
  /** A week whose scheduled time passed longer ago than this (the app was down) is not sent late. */
  catchUpMs: number;
  /** How often each instance looks for a digest that is due. */
  pollMs: number;
}

const channelId = z.string().regex(/^[CG][A-Z0-9]+$/, 'must be a channel id such as C0123ABCD');

const cronExpression = z
  .string()
  .trim()
  .default('0 9 * * 1')
  .refine(
    (value) => {
      try {
        new Cron(value, { paused: true });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'must be a cron expression such as "0 9 * * 1" (minute hour day-of-month month day-of-week)' },
  );

const timeZone = z
  .string()
  .trim()
  .default('UTC')
  .refine(
    (value) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: value });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'must be an IANA time zone such as Europe/Berlin or America/New_York' },
  );

/** `Team name=C…` pairs separated by `;` (a team name may hold commas, and never holds `;` or `=` in practice). */
const teamChannels = optionalString.transform((value, ctx) => {
  const map = new Map<string, string>();
  for (const pair of (value ?? '').split(';')) {
    if (pair.trim() === '') continue;
    const at = pair.lastIndexOf('=');
    const name = pair.slice(0, at).trim();
    const channel = pair.slice(at + 1).trim();
    if (at < 1 || name === '' || !channelId.safeParse(channel).success) {
      ctx.addIssue({
        code: 'custom',
        message: `must be "Team name=C…" pairs separated by ";" (got "${pair.trim()}")`,
      });
      return z.NEVER;
    }
    map.set(name, channel);
  }
  return map;
});

const flag = (fallback: 'true' | 'false') =>
  z
    .enum(['true', 'false', ''], { error: 'must be true or false' })
    .default(fallback)
    .transform((value) => (value === '' ? fallback === 'true' : value === 'true'));

export const digestEnv = {
  DIGEST_CHANNEL: optionalString.pipe(channelId.optional()),
  DIGEST_CRON: cronExpression,
  DIGEST_TIME_ZONE: timeZone,
  DIGEST_TEAM_CHANNELS: teamChannels,
  DIGEST_AGENT_SUMMARIES: flag('false'),
  DIGEST_CHART: flag('true'),
  DIGEST_LEASE_MS: wholeNumber('milliseconds', 1_000, 3_600_000).default(120_000),
  DIGEST_CATCH_UP_HOURS: wholeNumber('hours', 0, 168).default(12),
  DIGEST_POLL_MS: wholeNumber('milliseconds', 100, 3_600_000).default(30_000),
};

export function digestsFrom(e: {
  DIGEST_CHANNEL?: string | undefined;
  DIGEST_CRON: string;
  DIGEST_TIME_ZONE: string;
  DIGEST_TEAM_CHANNELS: Map<string, string>;
  DIGEST_AGENT_SUMMARIES: boolean;
  DIGEST_CHART: boolean;
  DIGEST_LEASE_MS: number;
  DIGEST_CATCH_UP_HOURS: number;
  DIGEST_POLL_MS: number;
}): DigestSettings {
  return {
    channelId: e.DIGEST_CHANNEL,
    cron: e.DIGEST_CRON,
    timeZone: e.DIGEST_TIME_ZONE,
    teamChannels: e.DIGEST_TEAM_CHANNELS,
    agentSummaries: e.DIGEST_AGENT_SUMMARIES,
    chart: e.DIGEST_CHART,
    leaseMs: e.DIGEST_LEASE_MS,
    catchUpMs: e.DIGEST_CATCH_UP_HOURS * 3_600_000,
    pollMs: e.DIGEST_POLL_MS,
  };
}
