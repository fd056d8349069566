import { workspaceOption } from '../identities/admin-commands.js';
import type { ReviewerDirectory } from '../identities/reviewer-resolver.js';
import type { SlackUser } from '../identities/slack-user.js';
import type { Scorecard } from './scorecard.js';

/** Where a scorecard's failed answers can be put back in the queue. */
export interface ScorecardRetryStore {
  find(id: string): Promise<Scorecard | null>;
  /** Failed answers → pending with fresh attempts (their Flex SIDs and unknown outcomes kept); how many. */
  retryFailed(scorecardId: string, now: Date): Promise<number>;
}

export type ScorecardRetryResult =
  | { kind: 'queued'; count: number; scorecard: Scorecard }
  /** Nothing failed any more: an earlier click queued them, or they reached Flex meanwhile. */
  | { kind: 'nothing_failed'; scorecard: Scorecard }
  | { kind: 'not_found' }
  | { kind: 'not_allowed'; reason: string };

/**
 * Sends a scorecard's failed answers again on request (the Retry button, `npm run scorecards -- retry`).
 * Only its reviewer (still allowed to review) or a QM admin may: the answers go to Flex in the reviewer's
 * name. They are delivered as before: listed first where an earlier attempt's outcome is unknown, updated
 * where Flex holds them, created only where Flex has none, so each answer is in Flex once.
 */
export class ScorecardRetry {
  private readonly now: () => Date;

  constructor(
    private readonly deps: {
      store: ScorecardRetryStore;
      reviewers: Pick<ReviewerDirectory, 'findBySlackUser'>;
      /** Starts delivering at once rather than at the next poll. */
      wake?: () => void;
      now?: () => Date;
    },
  ) {
    this.now = deps.now ?? (() => new Date());
  }

  async retry(scorecardId: string, clicker: SlackUser): Promise<ScorecardRetryResult> {
    const scorecard = await this.deps.store.find(scorecardId);
    // Another workspace's scorecard is none of the clicker's business.
    if (!scorecard || (scorecard.workspaceId ?? undefined) !== clicker.workspaceId) return { kind: 'not_found' };
    const identity = await this.deps.reviewers.findBySlackUser(clicker);
    const isReviewer = identity !== null && identity.id === scorecard.reviewerId && identity.role !== 'none';
    const isAdmin = identity?.role === 'admin';
    if (!isReviewer && !isAdmin) {
      return {
        kind: 'not_allowed',
        reason: identity
          ? `Only <@${scorecard.slackUserId}>, who scored this call, or a QM admin can send its answers again. Ask one of them, or a QM admin to run \`npm run scorecards -- retry ${scorecard.id}\`.`
          : `You are not linked to a Flex identity, so you cannot send scorecards. Ask a QM admin to add you (\`npm run identities -- add${workspaceOption(clicker.workspaceId)}\`), or ask <@${scorecard.slackUserId}>, who scored this call.`,
      };
    }
    return this.requeue(scorecard);
  }

  /** For an admin at the command line: no Slack user to check. */
  async retryAsAdmin(scorecardId: string): Promise<ScorecardRetryResult> {
    const scorecard = await this.deps.store.find(scorecardId);
    return scorecard ? this.requeue(scorecard) : { kind: 'not_found' };
  }

  private async requeue(scorecard: Scorecard): Promise<ScorecardRetryResult> {
    const count = await this.deps.store.retryFailed(scorecard.id, this.now());
    const current = (await this.deps.store.find(scorecard.id)) ?? scorecard;
    if (count === 0) return { kind: 'nothing_failed', scorecard: current };
    this.deps.wake?.();
    return { kind: 'queued', count, scorecard: current };
  }
}
