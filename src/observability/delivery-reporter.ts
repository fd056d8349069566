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
    const { assessment, result, failure } = attempt;
    const twilioCode = failure?.twilioCode;
    this.metrics.deliveryAttempts.inc({
      result,
      http_status: failure?.httpStatus === undefined ? '' : String(failure.httpStatus),
      twilio_error_code: twilioCode === undefined ? '' : String(twilioCode),
    });
    const posted = result === 'posted' || result === 'settled_by_listing';
    const failedForGood = result === 'rejected' || result === 'gave_up';
    if (posted) {
      this.metrics.deliveryOutcomes.inc({ outcome: 'posted' });
      const since = (this.now().getTime() - assessment.createdAt.getTime()) / 1000;
      if (since >= 0) this.metrics.submissionToFlex.observe(since);
    } else if (failedForGood) {
      this.metrics.deliveryOutcomes.inc({ outcome: 'failed' });
    }

    // Posted comments log at info; at LOG_LEVEL=warn or above their line is not even built.
    if (posted && !this.log.isLevelEnabled('info')) return;
    const next = posted
      ? result === 'settled_by_listing'
        ? 'settled_by_listing'
        : 'posted'
      : result === 'will_retry'
        ? 'retry'
        : failedForGood
          ? 'failed'
          : 'retry_when_claim_lapses';
    const fields = {
      event: 'delivery_attempt',
      assessmentId: assessment.id,
      ...(assessment.flexAssessmentSid ? { flexAssessmentSid: assessment.flexAssessmentSid } : {}),
      workspace: assessment.origin.workspaceId ?? assessment.origin.teamId,
      segmentId: assessment.segmentId,
      source: assessment.source,
      attempt: attempt.attempt,
      result,
      next,
      ...(attempt.nextAttemptAt ? { retryAt: attempt.nextAttemptAt.toISOString() } : {}),
      ...(failure?.httpStatus === undefined ? {} : { httpStatus: failure.httpStatus }),
      ...(twilioCode === undefined ? {} : { twilioErrorCode: twilioCode }),
      ...(failure?.errorCode ? { errorCode: failure.errorCode } : {}),
      durationMs: Math.round(attempt.durationMs),
      ...(failure ? { error: failure.message } : {}),
    };
    const what = `Delivery attempt ${attempt.attempt} of assessment ${assessment.id}`;
    switch (next) {
      case 'posted':
        this.log.info(fields, `${what}: posted to Flex as ${assessment.flexAssessmentSid ?? '?'}`);
        return;
      case 'settled_by_listing':
        this.log.info(
          fields,
          `${what}: Flex already had it (found by listing after an attempt of unknown outcome) as ${assessment.flexAssessmentSid ?? '?'}`,
        );
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

  /**
   * One line per attempt to send a scorecard answer, as for comments: ids, codes and the question's SID,
   * never the answer or the question's text.
   *
   * {"level":"info","msg":"Delivery attempt 1 of scorecard answer 9b1e… (scorecard 41aa…): posted to Flex as FM…",
   *  "event":"answer_delivery_attempt","scorecardId":"41aa…","answerId":"9b1e…","questionSid":"GE…",
   *  "questionnaireSid":"GM…","segmentId":"…","attempt":1,"result":"posted","next":"posted","durationMs":96}
   */
  answerAttempted(attempt: AnswerAttempt): void {
    const { answer, result, failure } = attempt;
    const twilioCode = failure?.twilioCode;
    this.metrics.answerAttempts.inc({
      result,
      http_status: failure?.httpStatus === undefined ? '' : String(failure.httpStatus),
      twilio_error_code: twilioCode === undefined ? '' : String(twilioCode),
    });
    const posted = result === 'posted' || result === 'settled_by_listing';
    const failedForGood = result === 'rejected' || result === 'gave_up';
    if (posted) this.metrics.answerOutcomes.inc({ outcome: 'posted' });
    else if (failedForGood) this.metrics.answerOutcomes.inc({ outcome: 'failed' });
    if (posted && !this.log.isLevelEnabled('info')) return;
    const next = posted
      ? result
      : result === 'will_retry'
        ? 'retry'
        : failedForGood
          ? 'failed'
          : 'retry_when_claim_lapses';
    const fields = {
      event: 'answer_delivery_attempt',
      scorecardId: answer.scorecardId,
      answerId: answer.id,
      questionSid: answer.questionSid,
      questionnaireSid: answer.questionnaireSid,
      ...(attempt.assessmentSid ? { flexAssessmentSid: attempt.assessmentSid } : {}),
      segmentId: answer.segmentId,
      attempt: attempt.attempt,
      result,
      next,
      ...(attempt.updated ? { call: 'update' } : {}),
      ...(attempt.nextAttemptAt ? { retryAt: attempt.nextAttemptAt.toISOString() } : {}),
      ...(failure?.httpStatus === undefined ? {} : { httpStatus: failure.httpStatus }),
      ...(twilioCode === undefined ? {} : { twilioErrorCode: twilioCode }),
      ...(failure?.errorCode ? { errorCode: failure.errorCode } : {}),
      durationMs: Math.round(attempt.durationMs),
      ...(failure ? { error: failure.message } : {}),
    };
    const what = `Delivery attempt ${attempt.attempt} of scorecard answer ${answer.id} (scorecard ${answer.scorecardId})`;
    switch (next) {
      case 'posted':
        this.log.info(
          fields,
          `${what}: ${attempt.updated ? 'updated in' : 'posted to'} Flex as ${attempt.assessmentSid ?? '?'}`,
        );
        return;
      case 'settled_by_listing':
        this.log.info(fields, `${what}: Flex already had it (found by listing) as ${attempt.assessmentSid ?? '?'}`);
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
