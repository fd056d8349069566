import { describeFailure } from '../assessments/delivery-failure.js';
import type { DeliveryAttemptResult } from '../assessments/delivery-observer.js';
import type { DeliveryFailure, ReviewerCredentials } from '../assessments/ports.js';
import { delayBeforeNextAttempt, type RetryPolicy } from '../assessments/retry-policy.js';
import type { AnswerToDeliver, Scorecard } from './scorecard.js';

/** How one attempt to send an answer ended: as for comments (src/domain/assessments/delivery-observer.ts). */
export interface AnswerAttempt {
  /** The answer as claimed: ids, never its text. */
  answer: AnswerToDeliver;
  /** 1 for the first attempt. */
  attempt: number;
  result: DeliveryAttemptResult;
  /** The assessment Flex holds, when posted. */
  assessmentSid?: string | undefined;
  /** An answer Flex held already was changed with the update call. */
  updated?: boolean;
  durationMs: number;
  failure?: DeliveryFailure | undefined;
  nextAttemptAt?: Date | undefined;
}

/** Told of every answer delivery attempt; the app logs each one and counts them for /metrics. */
export interface AnswerAttemptObserver {
  answerAttempted(attempt: AnswerAttempt): void;
}

/** Sends answers to Flex; the scorecard client implements it. */
export interface AnswerGateway {
  createAnswer(
    answer: {
      categorySid: string;
      categoryName: string;
      segmentId: string;
      agentId: string;
      offsetSeconds: number;
      questionSid: string;
      questionText: string;
      answerText: string;
      answerId: string;
      questionnaireSid: string;
    },
    options?: { authorization?: string | undefined },
  ): Promise<{ assessmentSid: string }>;
  updateAnswer(
    assessmentSid: string,
    change: { offsetSeconds: number; answerText: string; answerId: string },
    options?: { authorization?: string | undefined },
  ): Promise<{ assessmentSid: string }>;
  listAnswers(
    segmentId: string,
    options?: { authorization?: string | undefined },
  ): Promise<
    Array<{
      assessmentSid: string;
      answerId: string | null;
      questionnaireSid: string | null;
      questionSid: string | null;
    }>
  >;
}

export interface AnswerStore {
  claimDue(now: Date, limit: number, leaseMs: number): Promise<AnswerToDeliver[]>;
  markPosted(answer: AnswerToDeliver, assessmentSid: string, now: Date): Promise<void>;
  markRetry(id: string, failure: { error: string; outcomeUnknown: boolean; nextAttemptAt: Date }): Promise<void>;
  markFailed(id: string, error: string): Promise<void>;
  claimNotification(scorecardId: string): Promise<Scorecard | null>;
}

export interface AnswerDeliveryDeps {
  store: AnswerStore;
  gateway: AnswerGateway;
  credentials: ReviewerCredentials;
  policy: RetryPolicy;
  leaseMs: number;
  /** Answers sent at once. */
  concurrency: number;
  /** A scorecard none of whose answers is pending any more, once per revision. */
  onSettled: (scorecard: Scorecard) => Promise<void>;
  onError: (error: unknown) => void;
  observer?: AnswerAttemptObserver | undefined;
  now?: () => Date;
  clock?: () => number;
}

/**
 * Delivers scorecard answers as comments are delivered: each answer is stored first, claimed for one
 * attempt at a time, retried with backoff, and created in Flex exactly once. An attempt whose outcome
 * is unknown (a timeout, a dropped connection or a 5xx after a create; a claim that lapsed) is settled
 * by listing the call's assessments before anything is sent again; an answer Flex holds is changed
 * with the update call, never created a second time.
 */
export class AnswerDelivery {
  private readonly now: () => Date;
  private readonly clock: () => number;

  constructor(private readonly deps: AnswerDeliveryDeps) {
    this.now = deps.now ?? (() => new Date());
    this.clock = deps.clock ?? (() => performance.now());
  }

  /** One pass: claims what is due and delivers it; resolves when those attempts have ended. */
  async runOnce(): Promise<number> {
    const { store, concurrency, leaseMs } = this.deps;
    const claimed = await store.claimDue(this.now(), concurrency, leaseMs);
    const touched = new Set<string>();
    await Promise.all(
      claimed.map(async (answer) => {
        touched.add(answer.scorecardId);
        await this.attempt(answer).catch(this.deps.onError);
      }),
    );
    for (const scorecardId of touched) {
      const settled = await store.claimNotification(scorecardId);
      if (settled) await this.deps.onSettled(settled).catch(this.deps.onError);
    }
    return claimed.length;
  }

  /** One attempt, told to the observer however it ends. */
  private async attempt(answer: AnswerToDeliver): Promise<void> {
    const started = this.clock();
    const report = (result: DeliveryAttemptResult, more: Partial<AnswerAttempt> = {}) =>
      this.deps.observer?.answerAttempted({
        answer,
        attempt: answer.attempts,
        result,
        durationMs: this.clock() - started,
        ...more,
      });
    let failure: DeliveryFailure | undefined;
    try {
      const sent = await this.send(answer);
      if ('assessmentSid' in sent) {
        await this.deps.store.markPosted(answer, sent.assessmentSid, this.now());
        report(sent.settledByListing ? 'settled_by_listing' : 'posted', {
          assessmentSid: sent.assessmentSid,
          updated: sent.updated,
        });
        return;
      }
      failure = sent.failure;
      const { policy, store } = this.deps;
      if (failure.retryable && answer.attempts < policy.maxAttempts) {
        const delay = delayBeforeNextAttempt(policy, answer.attempts, failure.retryAfterMs);
        const nextAttemptAt = new Date(this.now().getTime() + delay);
        await store.markRetry(answer.id, {
          error: failure.message,
          outcomeUnknown: failure.outcomeUnknown,
          nextAttemptAt,
        });
        report('will_retry', { failure, nextAttemptAt });
      } else {
        await store.markFailed(answer.id, failure.message);
        report(failure.retryable ? 'gave_up' : 'rejected', { failure });
      }
    } catch (error) {
      // The outcome could not be written down: the claim lapses and the answer is tried again, outcome unknown.
      report('not_recorded', { failure: failure ?? describeFailure(error) });
      throw error;
    }
  }

  /** Flex's side of an attempt: the assessment Flex holds afterwards, or why there is none. */
  private async send(
    answer: AnswerToDeliver,
  ): Promise<{ assessmentSid: string; settledByListing: boolean; updated: boolean } | { failure: DeliveryFailure }> {
    const { gateway, credentials } = this.deps;
    const authorization = await credentials.flexAuthorizationOf(answer.reviewerId);
    const options = { authorization };
    try {
      let sid = answer.flexAssessmentSid;
      let heldAnswerId = answer.flexAnswerId;
      let settledByListing = false;
      if (!sid && answer.outcomeUnknown) {
        // An earlier create may have reached Flex: look before sending again.
        const held = (await gateway.listAnswers(answer.segmentId, options)).find(
          (a) => a.questionnaireSid === answer.questionnaireSid && a.questionSid === answer.questionSid,
        );
        if (held) {
          sid = held.assessmentSid;
          heldAnswerId = held.answerId;
          settledByListing = true;
        }
      }
      if (!sid) {
        const created = await gateway.createAnswer(
          {
            categorySid: answer.categorySid,
            categoryName: answer.categoryName,
            segmentId: answer.segmentId,
            agentId: answer.agentId,
            offsetSeconds: answer.offsetSeconds,
            questionSid: answer.questionSid,
            questionText: answer.questionText,
            answerText: answer.answerText,
            answerId: answer.answerId,
            questionnaireSid: answer.questionnaireSid,
          },
          options,
        );
        return { assessmentSid: created.assessmentSid, settledByListing: false, updated: false };
      }
      if (heldAnswerId !== answer.answerId) {
        await gateway.updateAnswer(
          sid,
          { offsetSeconds: answer.offsetSeconds, answerText: answer.answerText, answerId: answer.answerId },
          options,
        );
        return { assessmentSid: sid, settledByListing, updated: true };
      }
      return { assessmentSid: sid, settledByListing, updated: false };
    } catch (error) {
      return { failure: describeFailure(error) };
    }
  }
}
