import type { Assessment } from './assessment.js';
import type { DeliveryFailure } from './ports.js';

/**
 * How one attempt to send an assessment to Flex ended:
 * - posted: Flex took it;
 * - settled_by_listing: an earlier attempt's outcome was unknown and Flex's list showed it had the comment;
 * - will_retry: Flex did not take it this time (5xx, 429, timeout, unreachable); it is sent again later;
 * - rejected: Flex refused it (4xx), so it failed for good;
 * - gave_up: it could not be delivered within the attempts allowed, so it failed for good;
 * - not_recorded: the outcome could not be written down (the database failed); the claim's lease lapses
 *   and the attempt is made again, with its outcome unknown.
 */
export type DeliveryAttemptResult =
  | 'posted'
  | 'settled_by_listing'
  | 'will_retry'
  | 'rejected'
  | 'gave_up'
  | 'not_recorded';

export interface DeliveryAttempt {
  /** The assessment as the attempt left it (as claimed, when not_recorded). */
  assessment: Assessment;
  /** 1 for the first attempt. */
  attempt: number;
  result: DeliveryAttemptResult;
  /** From the claim to the outcome written down, Flex's answer included. */
  durationMs: number;
  /** What went wrong, unless posted. */
  failure?: DeliveryFailure | undefined;
  /** When it is sent again (will_retry). */
  nextAttemptAt?: Date | undefined;
}

/** Told of every delivery attempt; the app logs each one and counts them for /metrics. */
export interface DeliveryObserver {
  attempted(attempt: DeliveryAttempt): void;
}

/** Told of every new assessment a submission stored. */
export interface SubmissionObserver {
  submitted(assessment: Assessment): void;
}
