/**
 * Feedback is what an agent is told about one comment or scorecard on their call, and what they and the
 * reviewers did with it. Its life: new → acknowledged, or new/acknowledged → disputed → resolved (upheld or
 * revised). A re-score tells the agent again and makes it new, unless a dispute of it is still open.
 */

export type FeedbackKind = 'comment' | 'scorecard';
export type FeedbackState = 'new' | 'acknowledged' | 'disputed' | 'resolved';
export type FeedbackEventKind = 'notified' | 'acknowledged' | 'disputed' | 'upheld' | 'revised';
export type Resolution = 'upheld' | 'revised';

export interface Feedback {
  id: string;
  /** The key identities are kept under: undefined is the single workspace of SLACK_BOT_TOKEN. */
  workspaceId: string | undefined;
  kind: FeedbackKind;
  assessmentId: string | null;
  scorecardId: string | null;
  scorecardRevision: number;
  teamId: string;
  agentId: string;
  agentSlackUserId: string | null;
  reviewerSlackUserId: string;
  state: FeedbackState;
  dmChannelId: string | null;
  dmMessageTs: string | null;
  notifiedAt: Date | null;
  notifyAttempts: number;
  notifyNextAttemptAt: Date | null;
  acknowledgedAt: Date | null;
  disputedAt: Date | null;
  disputeReason: string | null;
  disputeChannelId: string | null;
  disputeMessageTs: string | null;
  resolvedAt: Date | null;
  resolvedBySlackUserId: string | null;
  resolution: Resolution | null;
  resolutionNote: string | null;
  revisedByAssessmentId: string | null;
  createdAt: Date;
}

export interface FeedbackEvent {
  kind: FeedbackEventKind;
  slackUserId: string | null;
  note: string | null;
  createdAt: Date;
}

/** The longest dispute reason and uphold note kept (and shown): a few paragraphs. */
export const FEEDBACK_NOTE_MAX = 1000;

/** Who is asking, as far as feedback is concerned. */
export interface FeedbackActor {
  userId: string;
  /** An active identity with role admin in the feedback's workspace. */
  isAdmin: boolean;
}

export type FeedbackAct = 'acknowledge' | 'dispute' | 'uphold' | 'revise';

/** Only the agent answers their feedback; only its reviewer and QM admins settle a dispute of it. */
export function mayAct(feedback: Feedback, actor: FeedbackActor, act: FeedbackAct): boolean {
  if (act === 'acknowledge' || act === 'dispute') {
    return feedback.agentSlackUserId !== null && feedback.agentSlackUserId === actor.userId;
  }
  return feedback.reviewerSlackUserId === actor.userId || actor.isAdmin;
}

/** The states each act starts from; from any other the act changes nothing. */
export const ACT_FROM: Record<FeedbackAct, readonly FeedbackState[]> = {
  acknowledge: ['new'],
  dispute: ['new', 'acknowledged'],
  uphold: ['disputed'],
  revise: ['disputed'],
};

/** Why an act changed nothing, in words for the person who tried it. */
export function refusalOf(feedback: Feedback, act: FeedbackAct): string {
  const what = feedback.kind === 'comment' ? 'comment' : 'scorecard';
  if (act === 'acknowledge' || act === 'dispute') {
    return `Only the agent this ${what} is about can ${act} it. Nothing was changed.`;
  }
  return `Only the reviewer who wrote this ${what} and QM admins can ${act === 'uphold' ? 'uphold' : 'revise'} it after a dispute. Nothing was changed.`;
}

export function alreadyText(feedback: Feedback, act: FeedbackAct): string {
  const state = {
    new: 'is new',
    acknowledged: 'was already acknowledged',
    disputed: 'is already disputed',
    resolved: 'was already resolved',
  }[feedback.state];
  const verb = { acknowledge: 'acknowledged', dispute: 'disputed', uphold: 'upheld', revise: 'revised' }[act];
  return `This feedback ${state}, so it cannot be ${verb} now. Nothing was changed.`;
}

/** What the feedback is about, read from the comment or the scorecard it stands for. */
export interface FeedbackSubject {
  segmentId: string;
  offsetSeconds: number;
  callUrl: string | null;
  /** Where the reviewer was told the outcome: the thread of the message the comment or score started from. */
  reviewerThread: { channelId: string; threadTs: string } | null;
  comment?: { categoryId: string; categoryName: string; text: string; createdAt: Date };
  scorecard?: {
    questionnaireName: string;
    revision: number;
    answers: Array<{ categorySid: string; categoryName: string; score: number | null }>;
    /** The answers given, by question, to pre-fill the form when revising. */
    given: Array<{ questionSid: string; answerId: string }>;
    questionnaireSid: string;
    agentId: string;
  };
}

/**
 * The words a revising comment starts with, naming the comment it revises: Flex's API can neither edit nor
 * delete a comment, so a revision is a new comment beside the old one. Plain text: it goes to Flex as typed.
 */
export function revisionPrefix(revised: { categoryName: string; createdAt: Date }): string {
  const at = `${revised.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `Revises the comment of ${at} (${revised.categoryName}) after a dispute: `;
}
