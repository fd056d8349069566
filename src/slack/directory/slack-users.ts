import { type Logger, webApi } from '@slack/bolt';
import { z } from 'zod';
import type { SlackUserRef } from '../../domain/identities/identity-sync.js';
import { withTimeout } from '../../support/with-timeout.js';

const EMAIL_LOOKUP_TIMEOUT_MS = 1_500;

/** The user's Slack profile email (scope users:read.email), or undefined when Slack will not say in time. */
export async function slackEmailOf(client: webApi.WebClient, userId: string): Promise<string | undefined> {
  try {
    const response = await withTimeout(client.users.info({ user: userId }), EMAIL_LOOKUP_TIMEOUT_MS, 'users.info');
    return response.user?.profile?.email ?? undefined;
  } catch {
    return undefined;
  }
}

const lookupAnswer = z.object({
  user: z
    .object({
      id: z.string(),
      team_id: z.string().optional(),
      deleted: z.boolean().optional(),
      is_bot: z.boolean().optional(),
    })
    .loose(),
});

const usergroupAnswer = z.object({ users: z.array(z.string()) }).loose();

/**
 * A client for work that may wait on Slack's rate limits (the sync's `users.lookupByEmail`, Tier 3):
 * on a 429 WebClient pauses, waits Retry-After and tries again.
 */
export function patientSlackClient(token: string, apiUrl: string, logger?: Logger): webApi.WebClient {
  return new webApi.WebClient(token, {
    slackApiUrl: apiUrl,
    retryConfig: { retries: 8, factor: 1.5, minTimeout: 200, maxTimeout: 5_000 },
    maxRequestConcurrency: 4,
    ...(logger ? { logger } : {}),
  });
}

/** The active human Slack user with this email, or null (`users_not_found`, deactivated, a bot). */
export function slackUserByEmail(client: webApi.WebClient, fallbackTeamId = '') {
  return async (email: string): Promise<SlackUserRef | null> => {
    try {
      const answer = lookupAnswer.parse(await client.users.lookupByEmail({ email }));
      if (answer.user.deleted || answer.user.is_bot) return null;
      return { teamId: answer.user.team_id ?? fallbackTeamId, userId: answer.user.id };
    } catch (error) {
      if (error instanceof webApi.WebAPIPlatformError && error.data.error === 'users_not_found') return null;
      throw error;
    }
  };
}

/** Who is in the reviewers' Slack user group, asked at most once a minute (`usergroups.users.list`). */
export class UsergroupMembers {
  private cached: { at: number; members: Set<string> } | undefined;
  private loading: Promise<Set<string>> | undefined;

  constructor(
    private readonly client: webApi.WebClient,
    private readonly usergroupId: string,
    private readonly logger: Logger,
    private readonly ttlMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  async has(userId: string): Promise<boolean> {
    return (await this.members()).has(userId);
  }

  private async members(): Promise<Set<string>> {
    if (this.cached && this.now() - this.cached.at < this.ttlMs) return this.cached.members;
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async load(): Promise<Set<string>> {
    try {
      const answer = usergroupAnswer.parse(await this.client.usergroups.users.list({ usergroup: this.usergroupId }));
      const members = new Set(answer.users);
      this.cached = { at: this.now(), members };
      return members;
    } catch (error) {
      // A wrong REVIEWER_USERGROUP or a missing usergroups:read scope must not stop roles from working.
      this.logger.warn(
        { err: error },
        `Could not read the members of REVIEWER_USERGROUP ${this.usergroupId}; only identity roles count until it works.`,
      );
      return this.cached?.members ?? new Set();
    }
  }
}
