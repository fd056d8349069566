import { workspaceOption } from '../identities/admin-commands.js';
import type { ReviewerDirectory } from '../identities/reviewer-resolver.js';
import type { SlackUser } from '../identities/slack-user.js';
import type { Assessment } from './assessment.js';

/** Where a failed assessment can be put back in the queue. */
export interface RetryStore {
  find(id: string): Promise<Assessment | null>;
  /** Failed → pending with fresh attempts; false when it was not failed (already queued, or posted). */
  requeue(id: string, now: Date): Promise<boolean>;
}

export type RetryResult =
  | { kind: 'queued'; assessment: Assessment }
  /** Someone (or an earlier click) queued it already, or it reached Flex meanwhile. */
  | { kind: 'not_failed'; assessment: Assessment }
  | { kind: 'not_found' }
  | { kind: 'not_allowed'; reason: string };

/**
 * Sends a failed comment again on request. Only its author (still a reviewer) or a QM admin may:
 * a retry posts to Flex in the author's name.
 */
export class RetryService {
  private readonly now: () => Date;

  constructor(
    private readonly deps: {
      store: RetryStore;
      reviewers: Pick<ReviewerDirectory, 'findBySlackUser'>;
      now?: () => Date;
    },
  ) {
    this.now = deps.now ?? (() => new Date());
  }

  async retry(assessmentId: string, clicker: SlackUser): Promise<RetryResult> {
    const assessment = await this.deps.store.find(assessmentId);
    // A comment of another workspace is none of the clicker's business.
    if (!assessment || (assessment.origin.workspaceId ?? undefined) !== clicker.workspaceId)
      return { kind: 'not_found' };
    const identity = await this.deps.reviewers.findBySlackUser(clicker);
    const isAuthor = identity !== null && identity.id === assessment.reviewerId && identity.role !== 'none';
    const isAdmin = identity?.role === 'admin';
    if (!isAuthor && !isAdmin) {
      return {
        kind: 'not_allowed',
        reason: identity
          ? `Only <@${assessment.origin.userId}>, who wrote this comment, or a QM admin can send it again. Ask one of them, or a QM admin to run \`npm run assessments -- retry ${assessment.id}\`.`
          : `You are not linked to a Flex identity, so you cannot send QM comments. Ask a QM admin to add you (\`npm run identities -- add${workspaceOption(clicker.workspaceId)}\`), or ask <@${assessment.origin.userId}>, who wrote this comment.`,
      };
    }
    if (await this.deps.store.requeue(assessment.id, this.now())) {
      const queued = await this.deps.store.find(assessment.id);
      return { kind: 'queued', assessment: queued ?? assessment };
    }
    const current = await this.deps.store.find(assessment.id);
    return { kind: 'not_failed', assessment: current ?? assessment };
  }
}
