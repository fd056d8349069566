import type { Logger, webApi } from '@slack/bolt';
import type { Feedback, FeedbackSubject } from '../../domain/feedback/feedback.js';
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
  now?: () => Date;
}

const DEFAULT_MAX_ATTEMPTS = 8;
/** Longer than one try can take (Slack's own timeouts), so a live try is never taken over. */
const CLAIM_LEASE_MS = 60_000;

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
    this.maxAttempts = deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
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
    if (!(await store.claimNotification(feedback, this.now(), CLAIM_LEASE_MS))) return false;
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
      const reason = describe(error);
      const attempt = feedback.notifyAttempts + 1;
      if (attempt >= this.maxAttempts || isNotInstalled(error)) {
        this.deps.logger.error(
          `Gave up sending feedback ${feedback.id} to its agent after ${attempt} attempts: ${reason}`,
        );
        await store.markNotifySettled(feedback.id, reason);
        return;
      }
      const retryAfterMs = rateLimitDelayMs(error) ?? Math.min(5 * 60_000, 2_000 * 2 ** (attempt - 1));
      this.deps.logger.warn(
        `Sending feedback ${feedback.id} to its agent failed (${reason}); trying again in ${retryAfterMs} ms.`,
      );
      await store.markNotifyRetry(feedback.id, reason, new Date(this.now().getTime() + retryAfterMs));
    }
  }
}

function isNotInstalled(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'workspace_not_installed';
}

/** Slack's Retry-After, from the WebClient's rate-limit error. */
function rateLimitDelayMs(error: unknown): number | undefined {
  if (error && typeof error === 'object' && 'retryAfter' in error && typeof error.retryAfter === 'number') {
    return error.retryAfter * 1000;
  }
  return undefined;
}

/** Slack's error code, or the error's message: never the message's content. */
function describe(error: unknown): string {
  if (error && typeof error === 'object' && 'data' in error) {
    const data = (error as { data?: { error?: unknown } }).data;
    if (typeof data?.error === 'string') return data.error;
  }
  return error instanceof Error ? error.message : String(error);
}
