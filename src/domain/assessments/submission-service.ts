import {
  accessProblem,
  type ReviewerDirectory,
  type ReviewerIdentity,
  resolveReviewer,
} from '../identities/reviewer-resolver.js';
import type { Assessment, AssessmentSource, SlackOrigin } from './assessment.js';
import { type CommentFormInput, type FieldErrors, type KnownCall, validateCommentForm } from './comment-form.js';
import type { SubmissionObserver } from './delivery-observer.js';
import type { DeliveryReservation } from './delivery-service.js';
import type { AssessmentStore } from './ports.js';

/** A call as Flex Insights describes it; shown to the reviewer so they know which call they comment on. */
export interface CallContext {
  segmentId: string;
  agentId: string | null;
  agentName: string | null;
  agentTeamName: string | null;
  customerName: string | null;
  queue: string | null;
  date: Date | null;
}

export interface CallDirectory {
  /** Undefined when Flex could not be asked (down, slow, refusing); null when it does not know the call. */
  findCall(segmentId: string): Promise<CallContext | null | undefined>;
  /**
   * When the last look-up failed because Flex refused the app's own credentials: what to tell the
   * reviewer (that, and whom to tell), instead of "Flex did not answer".
   */
  refusal?(): string | undefined;
}

export interface CategoryLookup {
  /** A category the workspace offers (null: the single workspace). */
  findActive(id: string, workspaceId: string | null): Promise<{ id: string; name: string } | null>;
}

export interface Submission {
  form: CommentFormInput;
  known: KnownCall;
  /** The call link the modal was opened from, if any. */
  callUrl?: string | undefined;
  submissionKey: string;
  source: AssessmentSource;
  origin: SlackOrigin;
  /** The submitter's Slack profile email, asked only when they are not mapped yet. */
  lookupEmail: () => Promise<string | undefined>;
  /** The scorecard whose form carried this comment, when it is one's closing comment. */
  scorecardId?: string | undefined;
}

export type SubmissionResult =
  | {
      kind: 'accepted';
      assessment: Assessment;
      created: boolean;
      reviewer: ReviewerIdentity;
      linkedNow: boolean;
      /** Held when the new assessment was stored claimed for delivery now: deliver it or release this. */
      reservation: DeliveryReservation | undefined;
    }
  | { kind: 'invalid'; errors: FieldErrors }
  /** The agent could not be learned from Flex: the form must ask for it. */
  | { kind: 'agent_needed'; segmentId: string; reason: 'not_found' | 'unavailable'; errors: FieldErrors };

export interface SubmissionServiceDeps {
  store: AssessmentStore;
  reviewers: ReviewerDirectory;
  /** Members of the reviewers' Slack user group may comment whatever their identity's role. */
  inReviewerGroup?: (userId: string) => Promise<boolean>;
  categories: CategoryLookup;
  calls: CallDirectory;
  /** Admin-defined call link forms, for a link typed into the form. */
  callLinkPatterns?: readonly RegExp[];
  /** When given, a new assessment is stored claimed for delivery right away whenever Flex has room. */
  delivery?: { reserve(): DeliveryReservation | undefined };
  /** Told of every assessment stored (not of a repeated submission). */
  observer?: SubmissionObserver;
  now?: () => Date;
}

/** Turns a submitted form into a stored, pending assessment, or says exactly which field needs fixing. */
export class SubmissionService {
  private readonly now: () => Date;

  constructor(private readonly deps: SubmissionServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async submit(submission: Submission): Promise<SubmissionResult> {
    const validation = validateCommentForm(submission.form, submission.known, this.deps.callLinkPatterns);
    if (!validation.ok) return { kind: 'invalid', errors: validation.errors };
    const form = validation.value;

    const { workspaceId, teamId, userId } = submission.origin;
    const slackUser = { workspaceId, teamId, userId };
    const reviewer = await resolveReviewer(
      this.deps.reviewers,
      slackUser,
      submission.lookupEmail,
      this.deps.inReviewerGroup,
    );
    const problem = accessProblem(reviewer, slackUser);
    if (problem !== undefined || reviewer.kind !== 'reviewer') {
      return {
        kind: 'invalid',
        errors: { comment: `${problem ?? 'You may not post QM comments.'} Your comment stays here.` },
      };
    }

    const category = await this.deps.categories.findActive(form.categoryId, submission.origin.workspaceId ?? null);
    if (!category) {
      return {
        kind: 'invalid',
        errors: { category: 'That category is no longer available in Flex. Choose another one.' },
      };
    }

    let agentId = form.agentId;
    if (!agentId) {
      const call = await this.deps.calls.findCall(form.segmentId);
      if (call?.agentId) agentId = call.agentId;
      else {
        const reason = call === undefined ? 'unavailable' : 'not_found';
        const message =
          reason === 'unavailable'
            ? (this.deps.calls.refusal?.() ??
              'Flex did not answer when asked who handled this call. Enter the agent id.')
            : 'Flex does not know an agent for this call. Check the segment id, or enter the agent id.';
        return { kind: 'agent_needed', segmentId: form.segmentId, reason, errors: { agent: message } };
      }
    }

    const reservation = this.deps.delivery?.reserve();
    const stored = await this.deps.store
      .createPending(
        {
          submissionKey: submission.submissionKey,
          reviewerId: reviewer.identity.id,
          categoryId: category.id,
          categoryName: category.name,
          comment: form.comment,
          segmentId: form.segmentId,
          agentId,
          offsetSeconds: form.offsetSeconds,
          callUrl: form.callUrl ?? submission.callUrl,
          source: submission.source,
          origin: submission.origin,
          ...(submission.scorecardId ? { scorecardId: submission.scorecardId } : {}),
        },
        this.now(),
        reservation ? { claimLeaseMs: reservation.leaseMs } : {},
      )
      .catch((error: unknown) => {
        reservation?.release();
        throw error;
      });
    // A repeat of a stored submission was not stored (nor claimed) again.
    if (!stored.created) reservation?.release();
    else this.deps.observer?.submitted(stored.assessment);
    return {
      kind: 'accepted',
      assessment: stored.assessment,
      created: stored.created,
      reviewer: reviewer.identity,
      linkedNow: reviewer.linkedNow,
      reservation: stored.created ? reservation : undefined,
    };
  }
}
