import type { Logger, webApi } from '@slack/bolt';
import type { Assessment } from '../../domain/assessments/assessment.js';
import { announcementMessage } from './announcement-message.js';

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
  /** How long a try holds its announcement (CLAIM_LEASE_MS unless given). */
  claimLeaseMs?: number;
  now?: () => Date;
}

const DEFAULT_MAX_ATTEMPTS = 8;
/** Longer than one try can take (Slack's own timeouts), so a live try is never taken over. */
const CLAIM_LEASE_MS = 60_000;

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
    this.maxAttempts = deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
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
    const leaseMs = deps.claimLeaseMs ?? CLAIM_LEASE_MS;
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
      const reason = describe(error);
      const attempt = assessment.announceAttempts + 1;
      // An uninstalled workspace will not come back by waiting: settled at once, with the reason.
      if (attempt >= this.maxAttempts || isNotInstalled(error)) {
        deps.logger.error(`Gave up announcing assessment ${assessment.id} after ${attempt} attempts: ${reason}`);
        await deps.assessments.markAnnounced(assessment.id, this.now(), reason);
        return;
      }
      const retryAfterMs = rateLimitDelayMs(error) ?? Math.min(5 * 60_000, 2_000 * 2 ** (attempt - 1));
      deps.logger.warn(
        `Announcing assessment ${assessment.id} failed (${reason}); trying again in ${retryAfterMs} ms.`,
      );
      await deps.assessments.markAnnounceRetry(assessment.id, reason, new Date(this.now().getTime() + retryAfterMs));
      return;
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

function describe(error: unknown): string {
  if (error && typeof error === 'object' && 'data' in error) {
    const data = (error as { data?: { error?: unknown } }).data;
    if (typeof data?.error === 'string') return data.error;
  }
  return error instanceof Error ? error.message : String(error);
}
