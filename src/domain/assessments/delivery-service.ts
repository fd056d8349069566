import type { Assessment, CommentContent } from './assessment.js';
import { describeFailure } from './delivery-failure.js';
import type { AssessmentStore, CommentGateway, ReviewerCredentials } from './ports.js';
import { delayBeforeNextAttempt, type RetryPolicy } from './retry-policy.js';

/** How one delivery attempt ended, for whoever tells the reviewer. */
export type DeliveryOutcome =
  | { kind: 'posted'; assessment: Assessment }
  | { kind: 'rejected'; assessment: Assessment; message: string }
  | { kind: 'gave_up'; assessment: Assessment; message: string }
  | { kind: 'will_retry'; assessment: Assessment; message: string; nextAttemptAt: Date }
  /** Another attempt holds it, or it is already settled: nothing was sent. */
  | { kind: 'not_due'; assessment: Assessment | null };

export interface DeliveryServiceDeps {
  store: AssessmentStore;
  gateway: CommentGateway;
  credentials: ReviewerCredentials;
  policy: RetryPolicy;
  /** How long one attempt may hold an assessment before another may take it over. */
  claimLeaseMs: number;
  /**
   * Attempts under way at once, at most. Past it, an assessment waits in the database for the worker
   * instead of queueing in memory, where its timeout would run out before it was even sent.
   */
  maxConcurrent?: number;
  /** Called when room comes free after an assessment was left pending for lack of it (the worker takes it then). */
  onRoom?: () => void;
  now?: () => Date;
  random?: () => number;
}

/** Sends one stored assessment to Flex and records what happened; never sends a comment Flex already has. */
export class DeliveryService {
  private readonly now: () => Date;
  private inFlight = 0;
  /** An assessment was left pending for lack of room since room last came free. */
  private deferred = false;

  constructor(private readonly deps: DeliveryServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * Delivers now when there is room, else leaves the assessment pending for the worker (undefined).
   * `reviewer` is what the caller read of the submitter a moment ago: when they have no Flex
   * Authorization of their own, it is not read again.
   */
  async deliverIfRoom(
    assessmentId: string,
    reviewer?: { id: string; hasFlexAuthorization?: boolean | undefined },
  ): Promise<DeliveryOutcome | undefined> {
    if (this.room() === 0) {
      this.deferred = true;
      return undefined;
    }
    return this.deliver(assessmentId, reviewer);
  }

  /** How many more attempts may start now. */
  room(): number {
    return Math.max(0, (this.deps.maxConcurrent ?? Number.POSITIVE_INFINITY) - this.inFlight);
  }

  async deliver(
    assessmentId: string,
    reviewer?: { id: string; hasFlexAuthorization?: boolean | undefined },
  ): Promise<DeliveryOutcome> {
    this.inFlight += 1;
    try {
      return await this.attempt(assessmentId, reviewer);
    } finally {
      this.inFlight -= 1;
      if (this.deferred) {
        this.deferred = false;
        this.deps.onRoom?.();
      }
    }
  }

  private async attempt(
    assessmentId: string,
    reviewer?: { id: string; hasFlexAuthorization?: boolean | undefined },
  ): Promise<DeliveryOutcome> {
    const { store, gateway, credentials } = this.deps;
    const assessment = await store.claim(assessmentId, this.now(), this.deps.claimLeaseMs);
    if (!assessment) return { kind: 'not_due', assessment: await store.find(assessmentId) };
    const knownWithout = reviewer?.id === assessment.reviewerId && reviewer.hasFlexAuthorization === false;
    const authorization = knownWithout ? undefined : await credentials.flexAuthorizationOf(assessment.reviewerId);
    const options = authorization === undefined ? {} : { authorization };
    try {
      if (assessment.outcomeUnknown) {
        // The last attempt may have reached Flex: look before sending again, or the comment appears twice.
        const existing = await this.findExisting(assessment, options);
        if (existing) {
          return { kind: 'posted', assessment: await store.markPosted(assessment.id, existing, this.now()) };
        }
      }
      const created = await gateway.createComment(contentOf(assessment), options);
      return { kind: 'posted', assessment: await store.markPosted(assessment.id, created, this.now()) };
    } catch (error) {
      return this.recordFailure(assessment, error);
    }
  }

  private async findExisting(
    assessment: Assessment,
    options: { authorization?: string },
  ): Promise<{ assessmentSid: string; responseBody: null } | undefined> {
    const comments = await this.deps.gateway.listComments(
      { segmentId: assessment.segmentId, agentId: assessment.agentId },
      options,
    );
    const match = comments.find(
      (c) =>
        c.assessmentSid !== null &&
        c.text === assessment.comment &&
        c.categoryId === assessment.categoryId &&
        c.offsetSeconds !== null &&
        Math.abs(c.offsetSeconds - assessment.offsetSeconds) < 0.001,
    );
    return match?.assessmentSid ? { assessmentSid: match.assessmentSid, responseBody: null } : undefined;
  }

  private async recordFailure(assessment: Assessment, error: unknown): Promise<DeliveryOutcome> {
    const { store, policy } = this.deps;
    const failure = describeFailure(error);
    if (!failure.retryable) {
      const failed = await store.markFailed(assessment.id, failure.message, failure.responseBody ?? null);
      return { kind: 'rejected', assessment: failed, message: failure.message };
    }
    if (assessment.attempts >= policy.maxAttempts) {
      const message = `Flex could not be reached after ${assessment.attempts} attempts (last: ${failure.message})`;
      const failed = await store.markFailed(assessment.id, message, failure.responseBody ?? null);
      return { kind: 'gave_up', assessment: failed, message };
    }
    const delay = delayBeforeNextAttempt(policy, assessment.attempts, failure.retryAfterMs, this.deps.random);
    const nextAttemptAt = new Date(this.now().getTime() + delay);
    const pending = await store.markRetry(assessment.id, {
      error: failure.message,
      // Once unknown, it stays unknown until a later attempt settles it.
      outcomeUnknown: assessment.outcomeUnknown || failure.outcomeUnknown,
      nextAttemptAt,
    });
    return { kind: 'will_retry', assessment: pending, message: failure.message, nextAttemptAt };
  }
}

function contentOf(assessment: Assessment): CommentContent {
  return {
    categoryId: assessment.categoryId,
    categoryName: assessment.categoryName,
    comment: assessment.comment,
    segmentId: assessment.segmentId,
    agentId: assessment.agentId,
    offsetSeconds: assessment.offsetSeconds,
  };
}
