import type { Assessment, AssessmentDraft, CommentContent } from './assessment.js';

/** Sends comments to Flex; the Flex client implements it. */
export interface CommentGateway {
  createComment(
    content: CommentContent,
    options?: { authorization?: string },
  ): Promise<{ assessmentSid: string; responseBody: string }>;
  listComments(
    filter: { segmentId: string; agentId: string },
    options?: { authorization?: string },
  ): Promise<
    Array<{
      assessmentSid: string | null;
      text: string | null;
      categoryId: string | null;
      offsetSeconds: number | null;
    }>
  >;
}

/** Where assessments live between submission and Flex's answer. */
export interface AssessmentStore {
  /** With `claimLeaseMs`, a new assessment is stored already claimed for its first attempt, as `claimDue` would. */
  createPending(
    draft: AssessmentDraft,
    now: Date,
    options?: { claimLeaseMs?: number },
  ): Promise<{ assessment: Assessment; created: boolean }>;
  find(id: string): Promise<Assessment | null>;
  /**
   * Claims up to `limit` pending assessments that are due and that nobody holds, oldest first, each for
   * one attempt; a lapsed claim is taken over with its outcome marked unknown.
   */
  claimDue(now: Date, limit: number, leaseMs: number): Promise<Assessment[]>;
  /**
   * Records the comment Flex holds and, in the same write, takes the one right to tell the reviewer
   * (as `markReviewerNotified` does) unless someone has it; `reviewerClaimed` says whether it was taken.
   */
  markPosted(
    assessment: Assessment,
    result: { assessmentSid: string; responseBody: string | null },
    now: Date,
  ): Promise<{ assessment: Assessment; reviewerClaimed: boolean }>;
  markRetry(id: string, failure: { error: string; outcomeUnknown: boolean; nextAttemptAt: Date }): Promise<Assessment>;
  markFailed(id: string, error: string, flexResponse: string | null): Promise<Assessment>;
  markReviewerNotified(id: string, now: Date): Promise<boolean>;
}

/** The Flex Authorization value a reviewer's comments are sent with, when they have one. */
export interface ReviewerCredentials {
  flexAuthorizationOf(identityId: string): Promise<string | undefined>;
}

/**
 * What the app needs to know of a failed call, whatever raised it. Flex client errors carry these
 * properties; anything else is treated as a failure whose outcome is unknown.
 */
export interface DeliveryFailure {
  message: string;
  retryable: boolean;
  outcomeUnknown: boolean;
  retryAfterMs?: number | undefined;
  responseBody?: string | undefined;
  /** Flex's HTTP status, when it answered. */
  httpStatus?: number | undefined;
  /** Twilio's error code from the answer (e.g. 20003 for refused credentials), when it gave one. */
  twilioCode?: number | undefined;
  /** The error's own code (flex_network, flex_rejected, …), when it has one. */
  errorCode?: string | undefined;
}
