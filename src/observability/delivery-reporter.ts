import type { Assessment } from '../domain/assessments/assessment.js';
import type { DeliveryAttempt, DeliveryObserver, SubmissionObserver } from '../domain/assessments/delivery-observer.js';
import type { AnswerAttempt, AnswerAttemptObserver } from '../domain/scorecards/answer-delivery.js';
import type { AppLogger } from '../logging/logger.js';
import type { AppMetrics } from './metrics.js';

/**
 * One log line for every delivery attempt, and the counters behind /metrics. The line carries ids and
 * codes only: never the comment, the reviewer's name or email, or the response_url.
 *
 * {"level":"warn","time":"…","msg":"Delivery attempt 2 of assessment 3f2c…: will retry at 2026-…",
 *  "event":"delivery_attempt","assessmentId":"3f2c…","workspace":"T0123","segmentId":"…","attempt":2,
 *  "result":"will_retry","next":"retry","retryAt":"…","httpStatus":503,"twilioErrorCode":20500,"durationMs":112,
 *  "error":"Flex answered with a server error (HTTP 503, Twilio error 20500)"}
 */
export class DeliveryReporter implements DeliveryObserver, SubmissionObserver, AnswerAttemptObserver {
  constructor(
    private readonly log: AppLogger,
    private readonly metrics: AppMetrics,
    private readonly now: () => Date = () => new Date(),
  ) {}

  submitted(assessment: Assessment): void {
    this.metrics.submissions.inc({ source: assessment.source });
  }

  attempted(attempt: DeliveryAttempt): void {
    const { assessment } = attempt;
    this.report(
      attempt,
      {
        attempts: this.metrics.deliveryAttempts,
        outcomes: this.metrics.deliveryOutcomes,
        onPosted: () => {
          const since = (this.now().getTime() - assessment.createdAt.getTime()) / 1000;
          if (since >= 0) this.metrics.submissionToFlex.observe(since);
        },
      },
      () => {
        const sid = assessment.flexAssessmentSid ?? '?';
        return {
          event: 'delivery_attempt',
          about: {
            assessmentId: assessment.id,
            ...(assessment.flexAssessmentSid ? { flexAssessmentSid: assessment.flexAssessmentSid } : {}),
            workspace: assessment.origin.workspaceId ?? assessment.origin.teamId,
            segmentId: assessment.segmentId,
            source: assessment.source,
          },
          what: `Delivery attempt ${attempt.attempt} of assessment ${assessment.id}`,
          posted: `posted to Flex as ${sid}`,
          settled: `Flex already had it (found by listing after an attempt of unknown outcome) as ${sid}`,
        };
      },
    );
  }

  /**
   * One line per attempt to send a scorecard answer, as for comments: ids, codes and the question's SID,
   * never the answer or the question's text.
   *
   * {"level":"info","msg":"Delivery attempt 1 of scorecard answer 9b1e… (scorecard 41aa…): posted to Flex as FM…",
   *  "event":"answer_delivery_attempt","scorecardId":"41aa…","answerId":"9b1e…","questionSid":"GE…",
   *  "questionnaireSid":"GM…","segmentId":"…","attempt":1,"result":"posted","next":"posted","durationMs":96}
   */
  answerAttempted(attempt: AnswerAttempt): void {
    const { answer } = attempt;
    this.report(attempt, { attempts: this.metrics.answerAttempts, outcomes: this.metrics.answerOutcomes }, () => {
      const sid = attempt.assessmentSid ?? '?';
      return {
        event: 'answer_delivery_attempt',
        about: {
          scorecardId: answer.scorecardId,
          answerId: answer.id,
          questionSid: answer.questionSid,
          questionnaireSid: answer.questionnaireSid,
          ...(attempt.assessmentSid ? { flexAssessmentSid: attempt.assessmentSid } : {}),
          segmentId: answer.segmentId,
        },
        ...(attempt.updated ? { how: { call: 'update' } } : {}),
        what: `Delivery attempt ${attempt.attempt} of scorecard answer ${answer.id} (scorecard ${answer.scorecardId})`,
        posted: `${attempt.updated ? 'updated in' : 'posted to'} Flex as ${sid}`,
        settled: `Flex already had it (found by listing) as ${sid}`,
      };
    });
  }

  /**
   * Counts an attempt (a comment's or a scorecard answer's) and writes its line: the same results, the same
   * next steps, the same codes; `line` says only what the attempt was for, and is not even called when the
   * line would not be written (a posted one at LOG_LEVEL=warn or above).
   */
  private report(attempt: Attempt, counters: AttemptCounters, line: () => AttemptLine): void {
    const { result, failure } = attempt;
    const twilioCode = failure?.twilioCode;
    counters.attempts.inc({
      result,
      http_status: failure?.httpStatus === undefined ? '' : String(failure.httpStatus),
      twilio_error_code: twilioCode === undefined ? '' : String(twilioCode),
    });
    const posted = result === 'posted' || result === 'settled_by_listing';
    const failedForGood = result === 'rejected' || result === 'gave_up';
    if (posted) {
      counters.outcomes.inc({ outcome: 'posted' });
      counters.onPosted?.();
    } else if (failedForGood) {
      counters.outcomes.inc({ outcome: 'failed' });
    }

    // Posted ones log at info; at LOG_LEVEL=warn or above their line is not even built.
    if (posted && !this.log.isLevelEnabled('info')) return;
    const next = posted
      ? result
      : result === 'will_retry'
        ? 'retry'
        : failedForGood
          ? 'failed'
          : 'retry_when_claim_lapses';
    const { event, about, how, what, ...said } = line();
    const fields = {
      event,
      ...about,
      attempt: attempt.attempt,
      result,
      next,
      ...how,
      ...(attempt.nextAttemptAt ? { retryAt: attempt.nextAttemptAt.toISOString() } : {}),
      ...(failure?.httpStatus === undefined ? {} : { httpStatus: failure.httpStatus }),
      ...(twilioCode === undefined ? {} : { twilioErrorCode: twilioCode }),
      ...(failure?.errorCode ? { errorCode: failure.errorCode } : {}),
      durationMs: Math.round(attempt.durationMs),
      ...(failure ? { error: failure.message } : {}),
    };
    switch (next) {
      case 'posted':
        this.log.info(fields, `${what}: ${said.posted}`);
        return;
      case 'settled_by_listing':
        this.log.info(fields, `${what}: ${said.settled}`);
        return;
      case 'retry':
        this.log.warn(
          fields,
          `${what}: not taken (${failure?.message ?? 'unknown'}); retry at ${fields.retryAt ?? '?'}`,
        );
        return;
      case 'failed':
        this.log.error(fields, `${what}: failed for good (${failure?.message ?? 'unknown'})`);
        return;
      default:
        this.log.error(
          fields,
          `${what}: its outcome could not be recorded (${failure?.message ?? 'unknown'}); it is sent again when its claim lapses`,
        );
    }
  }
}

/** What a comment's and a scorecard answer's attempts have in common. */
type Attempt = Pick<DeliveryAttempt, 'attempt' | 'result' | 'durationMs' | 'failure' | 'nextAttemptAt'>;

/** Where an attempt is counted: the comments' counters or the answers'. */
interface AttemptCounters {
  attempts: AppMetrics['deliveryAttempts'];
  outcomes: AppMetrics['deliveryOutcomes'];
  /** Besides the count, when Flex has it (the comments' time from submission to Flex). */
  onPosted?: () => void;
}

/** What one kind of attempt's line says of it; the outcome, codes and timing are the same for both. */
interface AttemptLine {
  event: 'delivery_attempt' | 'answer_delivery_attempt';
  /** The ids that say what was sent, first in the line. */
  about: Record<string, string>;
  /** After `next`: how it was sent, when that differs (an answer updated in Flex). */
  how?: Record<string, string>;
  /** The message's start: which attempt of what. */
  what: string;
  /** The message's end when Flex took it, and when a listing showed Flex had it already. */
  posted: string;
  settled: string;
}
