import type { Logger, webApi } from '@slack/bolt';
import type { Feedback, FeedbackSubject } from '../../domain/feedback/feedback.js';
import {
  nextSlackSend,
  SLACK_SEND_CLAIM_LEASE_MS,
  SLACK_SEND_MAX_ATTEMPTS,
} from '../notifications/slack-send-retry.js';
import { agentFeedbackDm } from './feedback-views.js';

export interface FeedbackDmSenderDeps {
  /** Clients with the bot token of the feedback's workspace that report 429s instead of waiting. */
  clients: { of(workspaceId: string | undefined): Promise<webApi.WebClient> };
  feedback: {
    dueNotifications(now: Date, limit: number): Promise<Feedback[]>;
    claimNotification(feedback: Feedback, now: Date, leaseMs: number): Promise<boolean>;
    markNotified(feedback: Feedback, dm: { channelId: string; ts: string }, now: Date): Promise<void>;
    markNotifyRetry(id: string, error: string, nextAttemptAt: Date): Promise<void>;
    markNotifySettled(id: string, reason: string): Promise<void>;
    subjectOf(feedback: Feedback): Promise<FeedbackSubject | null>;
    isMuted(teamId: string, slackUserId: string): Promise<boolean>;
  };
  logger: Logger;
  maxAttempts?: number;
  /** How long a try holds what it sends (SLACK_SEND_CLAIM_LEASE_MS unless given: ANNOUNCE_CLAIM_LEASE_MS). */
  claimLeaseMs?: number;
  now?: () => Date;
}

/**
 * Sends each feedback's DM to its agent from the database, as announcements are sent: claimed by one
 * instance at a time, tried again after Slack's Retry-After or a backoff, given up after a few tries, and
 * taken up again after a restart. An agent who muted the DMs is not sent one; the feedback stays on their
 * Home tab.
 */
export class FeedbackDmSender {
  private readonly now: () => Date;
  private readonly maxAttempts: number;

  constructor(private readonly deps: FeedbackDmSenderDeps) {
    this.now = deps.now ?? (() => new Date());
    this.maxAttempts = deps.maxAttempts ?? SLACK_SEND_MAX_ATTEMPTS;
  }

  /**
   * One pass over what is due; returns how many this instance took, so that a caller looping while there is
   * work stops when others hold what is left (counting what was merely due would spin on their claims).
   */
  async runOnce(limit = 20): Promise<number> {
    const due = await this.deps.feedback.dueNotifications(this.now(), limit);
    let taken = 0;
    for (const feedback of due) if (await this.send(feedback)) taken += 1;
    return taken;
  }

  private async send(feedback: Feedback): Promise<boolean> {
    const store = this.deps.feedback;
    if (!(await store.claimNotification(feedback, this.now(), this.deps.claimLeaseMs ?? SLACK_SEND_CLAIM_LEASE_MS)))
      return false;
    await this.deliver(feedback);
    return true;
  }

  private async deliver(feedback: Feedback): Promise<void> {
    const store = this.deps.feedback;
    const agent = feedback.agentSlackUserId;
    if (!agent) {
      await store.markNotifySettled(feedback.id, 'no_slack_user');
      return;
    }
    try {
      if (await store.isMuted(feedback.teamId, agent)) {
        await store.markNotifySettled(feedback.id, 'muted');
        return;
      }
      const subject = await store.subjectOf(feedback);
      if (!subject) {
        await store.markNotifySettled(feedback.id, 'subject_gone');
        return;
      }
      const client = await this.deps.clients.of(feedback.workspaceId);
      const posted = await client.chat.postMessage({ channel: agent, ...agentFeedbackDm(feedback, subject) });
      await store.markNotified(
        feedback,
        { channelId: String(posted.channel ?? agent), ts: String(posted.ts) },
        this.now(),
      );
    } catch (error) {
      const next = nextSlackSend(error, feedback.notifyAttempts, this.maxAttempts, this.now());
      if (next.kind === 'give_up') {
        this.deps.logger.error(
          { err: error },
          `Gave up sending feedback ${feedback.id} to its agent after ${next.attempt} attempts`,
        );
        await store.markNotifySettled(feedback.id, next.reason);
        return;
      }
      this.deps.logger.warn(
        { err: error },
        `Sending feedback ${feedback.id} to its agent failed; trying again in ${next.delayMs} ms.`,
      );
      await store.markNotifyRetry(feedback.id, next.reason, next.at);
    }
  }
}
