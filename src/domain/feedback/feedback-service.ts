import {
  ACT_FROM,
  alreadyText,
  FEEDBACK_NOTE_MAX,
  type Feedback,
  type FeedbackAct,
  type FeedbackEventKind,
  type FeedbackState,
  mayAct,
  type Resolution,
  refusalOf,
} from './feedback.js';

export interface FeedbackStore {
  find(id: string): Promise<Feedback | null>;
  /**
   * Moves the feedback from one of `from` to `to` (or to what `to` makes of it as it is at that moment) with
   * its event, as one conditional change; null when it is in none of `from` by then.
   */
  step(
    id: string,
    from: readonly FeedbackState[],
    to: FeedbackState | ((now: Feedback) => FeedbackState),
    change: {
      acknowledgedAt?: Date;
      disputedAt?: Date;
      disputeReason?: string;
      resolvedAt?: Date;
      resolvedBySlackUserId?: string;
      resolution?: Resolution;
      resolutionNote?: string | null;
      revisedByAssessmentId?: string;
    },
    event: { kind: FeedbackEventKind; slackUserId: string; note?: string | null; at: Date },
  ): Promise<Feedback | null>;
}

export type ActOutcome =
  | { kind: 'done'; feedback: Feedback }
  /** Not theirs to do, or not in a state it can be done from: nothing changed; `text` says why. */
  | { kind: 'refused'; text: string; feedback?: Feedback };

/**
 * The agent's and the reviewers' acts on feedback: each is checked against who asks and the state it is
 * in now, and recorded with its event; anything else changes nothing and says why.
 */
export class FeedbackService {
  private readonly now: () => Date;

  constructor(
    private readonly deps: {
      store: FeedbackStore;
      /** An active QM admin of the feedback's workspace. */
      isAdmin(feedback: Feedback, userId: string): Promise<boolean>;
      now?: () => Date;
    },
  ) {
    this.now = deps.now ?? (() => new Date());
  }

  /** Whether `userId` may do `act` on the feedback now, without changing it (to open a form). */
  async check(id: string, userId: string, act: FeedbackAct): Promise<ActOutcome> {
    const feedback = await this.deps.store.find(id);
    if (!feedback)
      return { kind: 'refused', text: 'This feedback is no longer known to the app. Nothing was changed.' };
    const isAdmin = act === 'uphold' || act === 'revise' ? await this.deps.isAdmin(feedback, userId) : false;
    if (!mayAct(feedback, { userId, isAdmin }, act))
      return { kind: 'refused', text: refusalOf(feedback, act), feedback };
    if (!ACT_FROM[act].includes(feedback.state)) return { kind: 'refused', text: alreadyText(feedback, act), feedback };
    return { kind: 'done', feedback };
  }

  async acknowledge(id: string, userId: string): Promise<ActOutcome> {
    const at = this.now();
    return this.act(id, userId, 'acknowledge', 'acknowledged', { acknowledgedAt: at }, { kind: 'acknowledged', at });
  }

  async dispute(id: string, userId: string, reason: string): Promise<ActOutcome> {
    const at = this.now();
    const text = reason.trim().slice(0, FEEDBACK_NOTE_MAX);
    return this.act(
      id,
      userId,
      'dispute',
      'disputed',
      { disputedAt: at, disputeReason: text },
      { kind: 'disputed', note: text, at },
    );
  }

  async uphold(id: string, userId: string, note: string | undefined): Promise<ActOutcome> {
    const at = this.now();
    const text = note?.trim().slice(0, FEEDBACK_NOTE_MAX) || null;
    return this.act(
      id,
      userId,
      'uphold',
      'resolved',
      { resolvedAt: at, resolvedBySlackUserId: userId, resolution: 'upheld', resolutionNote: text },
      { kind: 'upheld', note: text, at },
    );
  }

  /**
   * The reviewer or an admin sent a revision: a new comment naming this one, or the scorecard scored again
   * (its new revision's number). A comment's dispute is resolved; the new comment is feedback of its own.
   * A scorecard's is resolved until its new scores reach the agent, and new (for the agent to acknowledge)
   * once they have: the new revision may be recorded before this step or after it (its answers go to Flex
   * while this runs), and either order ends the same way.
   */
  async revised(
    id: string,
    userId: string,
    by: { assessmentId: string } | { scorecardRevision: number },
  ): Promise<ActOutcome> {
    const at = this.now();
    const revisedByAssessmentId = 'assessmentId' in by ? by.assessmentId : undefined;
    const note = revisedByAssessmentId ? 'A new comment revises this one.' : 'The scorecard was scored again.';
    const to = (now: Feedback): FeedbackState =>
      'scorecardRevision' in by && now.scorecardRevision >= by.scorecardRevision ? 'new' : 'resolved';
    return this.act(
      id,
      userId,
      'revise',
      to,
      {
        resolvedAt: at,
        resolvedBySlackUserId: userId,
        resolution: 'revised',
        resolutionNote: null,
        ...(revisedByAssessmentId ? { revisedByAssessmentId } : {}),
      },
      { kind: 'revised', note, at },
    );
  }

  private async act(
    id: string,
    userId: string,
    act: FeedbackAct,
    to: FeedbackState | ((now: Feedback) => FeedbackState),
    change: Parameters<FeedbackStore['step']>[3],
    event: { kind: FeedbackEventKind; note?: string | null; at: Date },
  ): Promise<ActOutcome> {
    const checked = await this.check(id, userId, act);
    if (checked.kind !== 'done') return checked;
    const after = await this.deps.store.step(id, ACT_FROM[act], to, change, { ...event, slackUserId: userId });
    if (!after) {
      const now = await this.deps.store.find(id);
      return {
        kind: 'refused',
        text: now ? alreadyText(now, act) : 'This feedback is no longer known.',
        ...(now ? { feedback: now } : {}),
      };
    }
    return { kind: 'done', feedback: after };
  }
}
