import type { DeliveryFailure, ReviewerCredentials } from '../assessments/ports.js';
import { delayBeforeNextAttempt, type RetryPolicy } from '../assessments/retry-policy.js';
import type { AnswerToDeliver, Scorecard } from './scorecard.js';

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
  now?: () => Date;
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

  constructor(private readonly deps: AnswerDeliveryDeps) {
    this.now = deps.now ?? (() => new Date());
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

  private async attempt(answer: AnswerToDeliver): Promise<void> {
    const { store, gateway, credentials } = this.deps;
    const authorization = await credentials.flexAuthorizationOf(answer.reviewerId);
    const options = { authorization };
    try {
      let sid = answer.flexAssessmentSid;
      let heldAnswerId = answer.flexAnswerId;
      if (!sid && answer.outcomeUnknown) {
        // An earlier create may have reached Flex: look before sending again.
        const held = (await gateway.listAnswers(answer.segmentId, options)).find(
          (a) => a.questionnaireSid === answer.questionnaireSid && a.questionSid === answer.questionSid,
        );
        if (held) {
          sid = held.assessmentSid;
          heldAnswerId = held.answerId;
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
        sid = created.assessmentSid;
      } else if (heldAnswerId !== answer.answerId) {
        await gateway.updateAnswer(
          sid,
          { offsetSeconds: answer.offsetSeconds, answerText: answer.answerText, answerId: answer.answerId },
          options,
        );
      }
      await store.markPosted(answer, sid, this.now());
    } catch (error) {
      const failure = asFailure(error);
      const { policy } = this.deps;
      if (failure.retryable && answer.attempts < policy.maxAttempts) {
        const delay = delayBeforeNextAttempt(policy, answer.attempts, failure.retryAfterMs);
        await store.markRetry(answer.id, {
          error: failure.message,
          outcomeUnknown: failure.outcomeUnknown,
          nextAttemptAt: new Date(this.now().getTime() + delay),
        });
      } else {
        await store.markFailed(answer.id, failure.message);
      }
    }
  }
}

function asFailure(error: unknown): DeliveryFailure {
  if (
    error instanceof Error &&
    'retryable' in error &&
    typeof error.retryable === 'boolean' &&
    'outcomeUnknown' in error &&
    typeof error.outcomeUnknown === 'boolean'
  ) {
    const retryAfterMs =
      'retryAfterMs' in error && typeof error.retryAfterMs === 'number' ? error.retryAfterMs : undefined;
    return { message: error.message, retryable: error.retryable, outcomeUnknown: error.outcomeUnknown, retryAfterMs };
  }
  return { message: error instanceof Error ? error.message : String(error), retryable: true, outcomeUnknown: true };
}
