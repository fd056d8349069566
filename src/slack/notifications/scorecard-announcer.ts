import type { Logger, webApi } from '@slack/bolt';
import type { Scorecard } from '../../domain/scorecards/scorecard.js';
import { scorecardAnnouncement } from '../scorecards/score-announcement.js';

export interface ScorecardAnnouncerDeps {
  clients: { of(workspaceId: string | undefined): Promise<webApi.WebClient> };
  scorecards: {
    dueAnnouncements(now: Date, limit: number): Promise<Scorecard[]>;
    claimAnnouncement(scorecard: Scorecard, now: Date, leaseMs: number): Promise<boolean>;
    markAnnounced(scorecard: Scorecard, error?: string | null): Promise<void>;
    markAnnounceRetry(id: string, error: string, nextAttemptAt: Date): Promise<number>;
  };
  /** The channel a category names for its announcements (NOTIFY_CHANNEL otherwise). */
  channelOfCategory: (categoryId: string, workspaceId: string | undefined) => Promise<string | undefined>;
  slackUserOfAgent: (agentId: string, workspaceId: string | undefined) => Promise<string | undefined>;
  /** NOTIFY_CHANNEL. */
  defaultChannelId: string | undefined;
  logger: Logger;
  maxAttempts?: number;
  now?: () => Date;
}

const DEFAULT_MAX_ATTEMPTS = 8;
const CLAIM_LEASE_MS = 60_000;

/**
 * Announces scorecards as comments are announced (src/slack/notifications/announcer.ts): once every answer
 * of a revision is in Flex, in the channel each of its categories would announce a comment in (a category's
 * own channel, else NOTIFY_CHANNEL), once per channel; with neither, nowhere. Failures are retried with
 * backoff (Slack's Retry-After when rate-limited) and given up after `maxAttempts`, never undoing anything.
 */
export class ScorecardAnnouncer {
  private readonly now: () => Date;
  private readonly maxAttempts: number;

  constructor(private readonly deps: ScorecardAnnouncerDeps) {
    this.now = deps.now ?? (() => new Date());
    this.maxAttempts = deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  }

  async runOnce(limit = 20): Promise<number> {
    const due = await this.deps.scorecards.dueAnnouncements(this.now(), limit);
    for (const scorecard of due) await this.announce(scorecard);
    return due.length;
  }

  /** Where this scorecard is announced: each category's channel or the default, each once. */
  private async channelsOf(scorecard: Scorecard): Promise<string[]> {
    const workspaceId = scorecard.workspaceId ?? undefined;
    const channels = new Set<string>();
    for (const categorySid of new Set(scorecard.answers.map((a) => a.categorySid))) {
      const channel = (await this.deps.channelOfCategory(categorySid, workspaceId)) ?? this.deps.defaultChannelId;
      if (channel) channels.add(channel);
    }
    return [...channels];
  }

  private async announce(scorecard: Scorecard): Promise<void> {
    const { deps } = this;
    if (!(await deps.scorecards.claimAnnouncement(scorecard, this.now(), CLAIM_LEASE_MS))) return;
    try {
      const workspaceId = scorecard.workspaceId ?? undefined;
      const channels = await this.channelsOf(scorecard);
      if (channels.length > 0) {
        const message = scorecardAnnouncement(scorecard, await deps.slackUserOfAgent(scorecard.agentId, workspaceId));
        const client = await deps.clients.of(workspaceId);
        // A retry after a failure part-way may post again in the channels that already had it: Slack has no
        // idempotency key for chat.postMessage. Channels are few (usually one), so this is rare and harmless.
        for (const channel of channels) await client.chat.postMessage({ channel, ...message });
      }
      await deps.scorecards.markAnnounced(scorecard);
    } catch (error) {
      const reason = describe(error);
      const attempt = scorecard.announceAttempts + 1;
      if (attempt >= this.maxAttempts || isNotInstalled(error)) {
        deps.logger.error(`Gave up announcing scorecard ${scorecard.id} after ${attempt} attempts: ${reason}`);
        await deps.scorecards.markAnnounced(scorecard, reason);
        return;
      }
      const retryAfterMs = rateLimitDelayMs(error) ?? Math.min(5 * 60_000, 2_000 * 2 ** (attempt - 1));
      deps.logger.warn(`Announcing scorecard ${scorecard.id} failed (${reason}); trying again in ${retryAfterMs} ms.`);
      await deps.scorecards.markAnnounceRetry(scorecard.id, reason, new Date(this.now().getTime() + retryAfterMs));
    }
  }
}

function isNotInstalled(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'workspace_not_installed';
}

function rateLimitDelayMs(error: unknown): number | undefined {
  if (error && typeof error === 'object' && 'retryAfter' in error && typeof error.retryAfter === 'number') {
    return error.retryAfter * 1000;
  }
  return undefined;
}

function describe(error: unknown): string {
  if (error && typeof error === 'object' && 'data' in error) {
    const data = (error as { data?: { error?: unknown } }).data;
    if (typeof data?.error === 'string') return data.error;
  }
  return error instanceof Error ? error.message : String(error);
}
