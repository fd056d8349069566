import type { Config } from '../config/config.js';
import type { AssessmentRepository } from '../db/repositories/assessment-repository.js';
import type { IdentityRepository } from '../db/repositories/identity-repository.js';
import { DeliveryService } from '../domain/assessments/delivery-service.js';
import { DeliveryWorker, type DeliveryWorkerOptions } from '../domain/assessments/delivery-worker.js';
import type { RetryPolicy } from '../domain/assessments/retry-policy.js';
import type { FlexClient } from '../flex/flex-client.js';
import type { DeliveryReporter } from '../observability/delivery-reporter.js';
import { EventLoopLag } from '../support/event-loop-lag.js';

/**
 * Sending comments to Flex: the delivery service (attempts, retries, the overload rule) and the worker that
 * sends what is due and reports each outcome.
 */
export function wireDelivery(deps: {
  config: Config;
  assessments: AssessmentRepository;
  identities: IdentityRepository;
  flex: FlexClient;
  reporter: DeliveryReporter;
  retryPolicy?: RetryPolicy;
  /** Replaces the event-loop lag check that decides whether the app is overloaded (tests). */
  overloaded?: () => boolean;
  pollIntervalMs?: number;
  onOutcome: DeliveryWorkerOptions['onOutcome'];
  onError: DeliveryWorkerOptions['onError'];
}) {
  const { config } = deps;
  // Overloaded, Slack is answered first: new comments wait in the database for the worker, 16 sent at a time.
  // The lag is only measured when it decides something (not with OVERLOAD_LAG_MS=0, nor when a test decides).
  const loopLag = deps.overloaded || config.delivery.overloadLagMs === 0 ? undefined : new EventLoopLag();
  const overloaded = deps.overloaded ?? (loopLag && (() => loopLag.current() > config.delivery.overloadLagMs));
  const service = new DeliveryService({
    store: deps.assessments,
    gateway: deps.flex,
    credentials: deps.identities,
    policy: deps.retryPolicy ?? {
      maxAttempts: config.delivery.maxAttempts,
      baseDelayMs: config.delivery.baseDelayMs,
      maxDelayMs: config.delivery.maxDelayMs,
    },
    claimLeaseMs: config.flex.timeoutMs * 2 + 5_000,
    // By default twice the client's timeout: a request still queued in front of Flex when the client gave up.
    unknownOutcomeSettleMs: config.delivery.unknownOutcomeWaitMs ?? config.flex.timeoutMs * 2,
    // The Flex client's connection pool holds 64; more at once would only wait in its queue.
    maxConcurrent: 64,
    ...(overloaded ? { overloaded } : {}),
    overloadedConcurrent: 16,
    // What a busy Flex left pending is taken by the worker as soon as an attempt ends, not at its next poll.
    onRoom: () => worker.wake(),
    observer: deps.reporter,
  });
  const worker = new DeliveryWorker({
    service,
    onOutcome: deps.onOutcome,
    pollIntervalMs: deps.pollIntervalMs ?? config.delivery.pollIntervalMs,
    // Flex attempts are bounded by the delivery service (64); this also covers the reports to Slack after them.
    concurrency: 128,
    onError: deps.onError,
  });
  return { service, worker, loopLag };
}
