import type { Assessment, CommentContent } from './assessment.js';
import { describeFailure } from './delivery-failure.js';
import type { DeliveryAttemptResult, DeliveryObserver } from './delivery-observer.js';
import type { AssessmentStore, CommentGateway, DeliveryFailure, ReviewerCredentials } from './ports.js';
import { delayBeforeNextAttempt, type RetryPolicy } from './retry-policy.js';

/** How one delivery attempt ended, for whoever tells the reviewer. */
export type DeliveryOutcome =
  /** `reviewerClaimed`: this attempt holds the one right to tell the reviewer it is posted. */
  | { kind: 'posted'; assessment: Assessment; reviewerClaimed: boolean }
  | { kind: 'rejected'; assessment: Assessment; message: string }
  | { kind: 'gave_up'; assessment: Assessment; message: string }
  | { kind: 'will_retry'; assessment: Assessment; message: string; nextAttemptAt: Date };

export interface DeliveryServiceDeps {
  store: AssessmentStore;
  gateway: CommentGateway;
  credentials: ReviewerCredentials;
  policy: RetryPolicy;
  /** How long one attempt may hold an assessment before another may take it over. */
  claimLeaseMs: number;
  /**
   * After an attempt whose outcome is unknown (a timeout, a reset after sending), how long before the
   * call's comments are listed to settle it. A request Flex has not yet processed when the client gives up
   * may still be processed later; listing at once would miss it and send the comment a second time.
   */
  unknownOutcomeSettleMs?: number;
  /**
   * Attempts under way at once, at most. Past it, an assessment waits in the database for the worker
   * instead of queueing in memory, where its timeout would run out before it was even sent.
   */
  maxConcurrent?: number;
  /**
   * True while the process is overloaded (its event loop runs late): attempts under way are then held to
   * `overloadedConcurrent`, and a new submission is stored for the worker instead of sent at once, so the
   * CPU goes first to answering Slack within its 3 seconds. The backlog waits safely in the database.
   */
  overloaded?: () => boolean;
  overloadedConcurrent?: number;
  /** Called when room comes free after an assessment was left pending for lack of it (the worker takes it then). */
  onRoom?: () => void;
  /** Told of every attempt and how it ended (the app logs and counts them). */
  observer?: DeliveryObserver;
  now?: () => Date;
  /** Milliseconds for measuring an attempt's duration; performance.now by default. */
  clock?: () => number;
  random?: () => number;
}

/** What the submitter was found to be when the submission was read; saves reading it again. */
export interface KnownReviewer {
  id: string;
  /** False when they have no Flex Authorization of their own, so none needs reading. */
  hasFlexAuthorization?: boolean | undefined;
}

/** A slot for an assessment stored already claimed for `leaseMs`, so its first attempt needs no claim. */
export interface DeliveryReservation {
  readonly leaseMs: number;
  /** Gives the slot back (idempotent); the assessment, if stored, is then the worker's once the lease lapses. */
  release(): void;
}

/** Sends one stored assessment to Flex and records what happened; never sends a comment Flex already has. */
export class DeliveryService {
  private readonly now: () => Date;
  private readonly clock: () => number;
  private inFlight = 0;
  /** An assessment was left pending for lack of room since room last came free. */
  private deferred = false;

  constructor(private readonly deps: DeliveryServiceDeps) {
    this.now = deps.now ?? (() => new Date());
    this.clock = deps.clock ?? (() => performance.now());
  }

  /**
   * Holds a slot for an assessment about to be stored: stored claimed, its first attempt skips the
   * claim's write. Undefined when Flex is as busy as allowed (it is then stored for the worker).
   */
  reserve(): DeliveryReservation | undefined {
    if (this.room() === 0) {
      this.deferred = true;
      return undefined;
    }
    return this.hold();
  }

  /** Takes a slot, room or not. */
  private hold(): DeliveryReservation {
    this.inFlight += 1;
    let held = true;
    return {
      leaseMs: this.deps.claimLeaseMs,
      release: () => {
        if (!held) return;
        held = false;
        this.freeSlot();
      },
    };
  }

  /**
   * Claims for delivery up to `limit` due assessments (no more than Flex has room for now), each with
   * the slot its attempt will use: deliver each with `deliverReserved`. No slot is held while the
   * database is asked, so a submission arriving meanwhile still gets one and is sent at once.
   */
  async claimDue(limit: number): Promise<Array<{ assessment: Assessment; reservation: DeliveryReservation }>> {
    const count = Math.min(limit, this.room());
    if (count <= 0) {
      this.deferred = true;
      return [];
    }
    const claimed = await this.deps.store.claimDue(this.now(), count, this.deps.claimLeaseMs);
    // Claimed is claimed: each gets its slot even if submissions took the room meanwhile (a few over).
    return claimed.map((assessment) => ({ assessment, reservation: this.hold() }));
  }

  /** The first attempt of an assessment stored claimed under `reservation`, which it releases. */
  async deliverReserved(
    assessment: Assessment,
    reservation: DeliveryReservation,
    reviewer?: KnownReviewer,
  ): Promise<DeliveryOutcome> {
    try {
      return await this.send(assessment, reviewer);
    } finally {
      reservation.release();
    }
  }

  /** How many more attempts may start now. */
  room(): number {
    const limit = this.deps.maxConcurrent ?? Number.POSITIVE_INFINITY;
    const allowed = this.deps.overloaded?.() ? Math.min(limit, this.deps.overloadedConcurrent ?? 4) : limit;
    return Math.max(0, allowed - this.inFlight);
  }

  private freeSlot(): void {
    this.inFlight -= 1;
    if (this.deferred) {
      this.deferred = false;
      this.deps.onRoom?.();
    }
  }

  /** One attempt at an assessment this process has claimed, told to the observer however it ends. */
  private async send(assessment: Assessment, reviewer?: KnownReviewer): Promise<DeliveryOutcome> {
    const started = this.clock();
    let attempt: { outcome: DeliveryOutcome; settledByListing?: boolean; failure?: DeliveryFailure };
    try {
      attempt = await this.attempt(assessment, reviewer);
    } catch (error) {
      this.report(assessment, 'not_recorded', started, describeFailure(error));
      throw error;
    }
    const { outcome } = attempt;
    const result = attempt.settledByListing ? 'settled_by_listing' : outcome.kind;
    this.report(
      outcome.assessment,
      result,
      started,
      attempt.failure,
      outcome.kind === 'will_retry' ? outcome.nextAttemptAt : undefined,
    );
    return outcome;
  }

  private report(
    assessment: Assessment,
    result: DeliveryAttemptResult,
    started: number,
    failure?: DeliveryFailure,
    nextAttemptAt?: Date,
  ): void {
    this.deps.observer?.attempted({
      assessment,
      attempt: assessment.attempts,
      result,
      durationMs: this.clock() - started,
      failure,
      nextAttemptAt,
    });
  }

  private async attempt(
    assessment: Assessment,
    reviewer?: KnownReviewer,
  ): Promise<{ outcome: DeliveryOutcome; settledByListing?: boolean; failure?: DeliveryFailure }> {
    const { store, gateway, credentials } = this.deps;
    const knownWithout = reviewer?.id === assessment.reviewerId && reviewer.hasFlexAuthorization === false;
    const authorization = knownWithout ? undefined : await credentials.flexAuthorizationOf(assessment.reviewerId);
    const options = authorization === undefined ? {} : { authorization };
    try {
      if (assessment.outcomeUnknown) {
        // The last attempt may have reached Flex: look before sending again, or the comment appears twice.
        const existing = await this.findExisting(assessment, options);
        if (existing) {
          const posted = await store.markPosted(assessment, existing, this.now());
          return { outcome: { kind: 'posted', ...posted }, settledByListing: true };
        }
      }
      const created = await gateway.createComment(contentOf(assessment), options);
      return { outcome: { kind: 'posted', ...(await store.markPosted(assessment, created, this.now())) } };
    } catch (error) {
      const failure = describeFailure(error);
      return { outcome: await this.recordFailure(assessment, failure), failure };
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

  private async recordFailure(assessment: Assessment, failure: DeliveryFailure): Promise<DeliveryOutcome> {
    const { store, policy } = this.deps;
    if (!failure.retryable) {
      const failed = await store.markFailed(assessment.id, failure.message, failure.responseBody ?? null);
      return { kind: 'rejected', assessment: failed, message: failure.message };
    }
    if (assessment.attempts >= policy.maxAttempts) {
      const message = `Flex could not be reached after ${assessment.attempts} attempts (last: ${failure.message})`;
      const failed = await store.markFailed(assessment.id, message, failure.responseBody ?? null);
      return { kind: 'gave_up', assessment: failed, message };
    }
    const backoff = delayBeforeNextAttempt(policy, assessment.attempts, failure.retryAfterMs, this.deps.random);
    const delay = failure.outcomeUnknown ? Math.max(backoff, this.deps.unknownOutcomeSettleMs ?? 0) : backoff;
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
