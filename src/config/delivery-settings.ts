import { z } from 'zod';
import { wholeNumber } from './env-values.js';

/** How comments that Flex did not take are sent again; the worker looks for due ones this often. */
export interface DeliverySettings {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  pollIntervalMs: number;
  /**
   * Past this much event-loop lag the app is overloaded: it answers Slack first and leaves the sending
   * to the worker, a few at a time (0: never).
   */
  overloadLagMs: number;
  /**
   * After an attempt whose outcome is unknown (a timeout, a connection reset after sending), how long
   * before the call's comments are listed to settle it; unset: twice FLEX_TIMEOUT_MS (see wiring/delivery.ts).
   */
  unknownOutcomeWaitMs: number | undefined;
}

export const deliveryEnv = {
  DELIVERY_MAX_ATTEMPTS: wholeNumber('attempts', 1, 100).default(8),
  DELIVERY_RETRY_BASE_MS: wholeNumber('milliseconds', 10, 3_600_000).default(2_000),
  DELIVERY_RETRY_MAX_MS: wholeNumber('milliseconds', 10, 86_400_000).default(300_000),
  DELIVERY_POLL_MS: wholeNumber('milliseconds', 10, 600_000).default(2_000),
  OVERLOAD_LAG_MS: wholeNumber('milliseconds', 0, 10_000).default(50),
  // Empty means unset, as for the other optional settings.
  DELIVERY_UNKNOWN_OUTCOME_WAIT_MS: z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    wholeNumber('milliseconds', 0, 3_600_000).optional(),
  ),
};

export function deliveryFrom(e: {
  DELIVERY_MAX_ATTEMPTS: number;
  DELIVERY_RETRY_BASE_MS: number;
  DELIVERY_RETRY_MAX_MS: number;
  DELIVERY_POLL_MS: number;
  OVERLOAD_LAG_MS: number;
  DELIVERY_UNKNOWN_OUTCOME_WAIT_MS?: number | undefined;
}): DeliverySettings {
  return {
    maxAttempts: e.DELIVERY_MAX_ATTEMPTS,
    baseDelayMs: e.DELIVERY_RETRY_BASE_MS,
    maxDelayMs: Math.max(e.DELIVERY_RETRY_MAX_MS, e.DELIVERY_RETRY_BASE_MS),
    pollIntervalMs: e.DELIVERY_POLL_MS,
    overloadLagMs: e.OVERLOAD_LAG_MS,
    unknownOutcomeWaitMs: e.DELIVERY_UNKNOWN_OUTCOME_WAIT_MS,
  };
}
