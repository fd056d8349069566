import type { Logger, webApi } from '@slack/bolt';
import type { Assessment } from '../../domain/assessments/assessment.js';
import { announcementMessage } from './announcement-message.js';
import { nextSlackSend, SLACK_SEND_CLAIM_LEASE_MS, SLACK_SEND_MAX_ATTEMPTS } from './slack-send-retry.js';

export interface AnnouncerDeps {
  /**
   * Clients, with the bot token of the assessment's workspace, that report 429s instead of waiting,
   * so a rate limit reschedules rather than blocks.
   */
  clients: { of(workspaceId: string | undefined): Promise<webApi.WebClient> };
  assessments: {
    dueAnnouncements(now: Date, maxAttempts: number, limit: number): Promise<Assessment[]>;
    claimAnnouncement(id: string, now: Date, leaseMs: number): Promise<boolean>;
    markAnnounced(id: string, now: Date, error?: string | null): Promise<void>;
    markAnnounceRetry(id: string, error: string, nextAttemptAt: Date): Promise<void>;
  };
  channelOfCategory: (categoryId: string, workspaceId: string | undefined) => Promise<string | undefined>;
  /** The agent's Slack user among the identities of the comment's workspace. */
  slackUserOfAgent: (agentId: string, workspaceId: string | undefined) => Promise<string | undefined>;
  defaultChannelId: string | undefined;
  /**
   * Records the agent's feedback, which is sent to them by DM from the database (src/wiring/feedback.ts);
   * before the channel hears, so a failure is tried again with the announcement and nothing is lost.
   */
  recordFeedback?: (assessment: Assessment, agentSlackUserId: string | undefined) => Promise<void>;
  logger: Logger;
  maxAttempts?: number;
  /** How long a try holds its announcement (SLACK_SEND_CLAIM_LEASE_MS unless given). */
  claimLeaseMs?: number;
  now?: () => Date;
}

/**
 * Announces posted assessments to the team's channel (the category's own, or the default), and records
 * the agent's feedback, which src/wiring/feedback.ts sends them by DM. Runs after the comment is in Flex and never undoes it: a failure is
 * logged and tried again later, after Slack's Retry-After when Slack rate-limits.
 */
export class Announcer {
  private readonly now: () => Date;
  private readonly maxAttempts: number;

  constructor(private readonly deps: AnnouncerDeps) {
    this.now = deps.now ?? (() => new Date());
    this.maxAttempts = deps.maxAttempts ?? SLACK_SEND_MAX_ATTEMPTS;
  }

  /** One pass over what is due; returns how many were looked at. */
  async runOnce(limit = 20): Promise<number> {
    const due = await this.deps.assessments.dueAnnouncements(this.now(), this.maxAttempts, limit);
    for (const assessment of due) await this.announce(assessment);
    return due.length;
  }

  private async announce(assessment: Assessment): Promise<void> {
    const { deps } = this;
    // Several instances may see it due at once; the one that claims it announces it.
    const leaseMs = deps.claimLeaseMs ?? SLACK_SEND_CLAIM_LEASE_MS;
    if (!(await deps.assessments.claimAnnouncement(assessment.id, this.now(), leaseMs))) return;
    try {
      const { workspaceId } = assessment.origin;
      const agentSlackUser = await deps.slackUserOfAgent(assessment.agentId, workspaceId);
      await deps.recordFeedback?.(assessment, agentSlackUser);
      const channel = (await deps.channelOfCategory(assessment.categoryId, workspaceId)) ?? deps.defaultChannelId;
      if (channel) {
        const client = await deps.clients.of(workspaceId);
        await client.chat.postMessage({ channel, ...announcementMessage(assessment, agentSlackUser) });
      }
      await deps.assessments.markAnnounced(assessment.id, this.now());
    } catch (error) {
      const next = nextSlackSend(error, assessment.announceAttempts, this.maxAttempts, this.now());
      if (next.kind === 'give_up') {
        deps.logger.error(
          { err: error },
          `Gave up announcing assessment ${assessment.id} after ${next.attempt} attempts`,
        );
        await deps.assessments.markAnnounced(assessment.id, this.now(), next.reason);
        return;
      }
      deps.logger.warn(
        { err: error },
        `Announcing assessment ${assessment.id} failed; trying again in ${next.delayMs} ms.`,
      );
      await deps.assessments.markAnnounceRetry(assessment.id, next.reason, next.at);
    }
  }
}
