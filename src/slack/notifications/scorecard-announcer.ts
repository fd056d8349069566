import type { Logger, webApi } from '@slack/bolt';
import type { Scorecard } from '../../domain/scorecards/scorecard.js';
import { scorecardAnnouncement } from '../scorecards/score-announcement.js';
import { nextSlackSend, SLACK_SEND_CLAIM_LEASE_MS, SLACK_SEND_MAX_ATTEMPTS } from './slack-send-retry.js';

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
  /** How long a try holds what it sends (SLACK_SEND_CLAIM_LEASE_MS unless given: ANNOUNCE_CLAIM_LEASE_MS). */
  claimLeaseMs?: number;
  now?: () => Date;
}

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
    this.maxAttempts = deps.maxAttempts ?? SLACK_SEND_MAX_ATTEMPTS;
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
    if (
      !(await deps.scorecards.claimAnnouncement(
        scorecard,
        this.now(),
        this.deps.claimLeaseMs ?? SLACK_SEND_CLAIM_LEASE_MS,
      ))
    )
      return;
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
      const next = nextSlackSend(error, scorecard.announceAttempts, this.maxAttempts, this.now());
      if (next.kind === 'give_up') {
        deps.logger.error(
          { err: error },
          `Gave up announcing scorecard ${scorecard.id} after ${next.attempt} attempts`,
        );
        await deps.scorecards.markAnnounced(scorecard, next.reason);
        return;
      }
      deps.logger.warn(
        { err: error },
        `Announcing scorecard ${scorecard.id} failed; trying again in ${next.delayMs} ms.`,
      );
      await deps.scorecards.markAnnounceRetry(scorecard.id, next.reason, next.at);
    }
  }
}
