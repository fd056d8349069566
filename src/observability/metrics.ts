import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { QueueStats } from '../db/queue-stats.js';

/** Seconds; Slack wants an answer within 3. */
const ACK_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5];
/** Seconds; FLEX_TIMEOUT_MS is 10 by default. */
const FLEX_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Seconds from submission to Flex holding the comment, retries included. */
const DELIVERY_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

/**
 * Every metric of one app instance, in a registry of its own (not prom-client's global one), so that
 * several apps in one process (the tests) each count their own.
 */
export class AppMetrics {
  readonly registry = new Registry();

  readonly submissions = new Counter({
    name: 'flexqm_submissions_total',
    help: 'Comments stored for delivery, by where they came from (command: /qm, shortcut: message shortcut, unfurl: Comment button on a call link).',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });

  readonly deliveryAttempts = new Counter({
    name: 'flexqm_delivery_attempts_total',
    help: 'Attempts to send a comment to Flex, by result (posted, settled_by_listing, will_retry, rejected, gave_up, not_recorded), HTTP status and Twilio error code ("" when none).',
    labelNames: ['result', 'http_status', 'twilio_error_code'] as const,
    registers: [this.registry],
  });

  readonly deliveryOutcomes = new Counter({
    name: 'flexqm_delivery_outcomes_total',
    help: 'Comments settled by this instance: posted (Flex has it) or failed (for good; the reviewer has a Retry button).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly answerAttempts = new Counter({
    name: 'flexqm_scorecard_answer_attempts_total',
    help: 'Attempts to send a scorecard answer to Flex, by result (as flexqm_delivery_attempts_total), HTTP status and Twilio error code ("" when none).',
    labelNames: ['result', 'http_status', 'twilio_error_code'] as const,
    registers: [this.registry],
  });

  readonly answerOutcomes = new Counter({
    name: 'flexqm_scorecard_answer_outcomes_total',
    help: 'Scorecard answers settled by this instance: posted (Flex has it) or failed (for good; the reviewer has a Retry button).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly pending = new Gauge({
    name: 'flexqm_assessments_pending',
    help: 'Comments waiting to be sent to Flex, in the shared database (all instances).',
    registers: [this.registry],
  });

  readonly failed = new Gauge({
    name: 'flexqm_assessments_failed',
    help: 'Comments that failed for good and were not retried, in the shared database (all instances).',
    registers: [this.registry],
  });

  readonly oldestPendingAge = new Gauge({
    name: 'flexqm_oldest_pending_assessment_age_seconds',
    help: 'How long ago the oldest pending comment was submitted (0 when none is pending).',
    registers: [this.registry],
  });

  readonly databaseUp = new Gauge({
    name: 'flexqm_database_up',
    help: '1 when the database answered the queue query of this scrape, 0 when it did not (the queue gauges are then stale).',
    registers: [this.registry],
  });

  readonly slackAck = new Histogram({
    name: 'flexqm_slack_ack_duration_seconds',
    help: 'From a Slack request arriving to its acknowledgement being sent (HTTP mode), by payload type.',
    labelNames: ['type'] as const,
    buckets: ACK_BUCKETS,
    registers: [this.registry],
  });

  readonly flexRequests = new Histogram({
    name: 'flexqm_flex_request_duration_seconds',
    help: 'Calls to the Flex API, by operation and status (the HTTP status; ok on success; timeout, not_connected, connection_lost or cancelled without an answer).',
    labelNames: ['operation', 'status'] as const,
    buckets: FLEX_BUCKETS,
    registers: [this.registry],
  });

  readonly submissionToFlex = new Histogram({
    name: 'flexqm_submission_to_flex_seconds',
    help: 'From a comment being submitted in Slack to Flex holding it, retries included.',
    buckets: DELIVERY_BUCKETS,
    registers: [this.registry],
  });

  readonly slackApiErrors = new Counter({
    name: 'flexqm_slack_api_errors_total',
    help: 'Slack Web API calls that failed, by method and error (Slack’s error code, http_<status>, or request_failed).',
    labelNames: ['method', 'error'] as const,
    registers: [this.registry],
  });

  constructor() {
    // process_* and nodejs_* (CPU, memory, handles, GC, and event-loop lag: nodejs_eventloop_lag_seconds and
    // its percentiles), read when scraped.
    collectDefaultMetrics({ register: this.registry });
  }

  setQueue(stats: QueueStats | undefined, now: Date): void {
    this.databaseUp.set(stats ? 1 : 0);
    if (!stats) return;
    this.pending.set(stats.pending);
    this.failed.set(stats.failed);
    this.oldestPendingAge.set(
      stats.oldestPendingSince ? Math.max(0, (now.getTime() - stats.oldestPendingSince.getTime()) / 1000) : 0,
    );
  }
}
