/** A reviewer's scorecard of a call, as stored before anything is sent to Flex. */

export type AnswerStatus = 'pending' | 'posted' | 'failed';

export interface GivenAnswer {
  questionSid: string;
  questionText: string;
  categorySid: string;
  categoryName: string;
  answerId: string;
  answerText: string;
  /** null: N/A. */
  score: number | null;
}

export interface ScorecardDraft {
  workspaceId: string | null;
  reviewerId: string;
  questionnaireSid: string;
  questionnaireName: string;
  segmentId: string;
  agentId: string;
  offsetSeconds: number;
  /** The Slack view submitted: submitting the same view twice stores it once. */
  submissionKey: string;
  slackTeamId: string;
  slackUserId: string;
  slackChannelId: string | null;
  slackMessageTs: string | null;
  slackThreadTs: string | null;
  slackResponseUrl: string | null;
  slackViewId: string | null;
  callUrl: string | null;
  answers: GivenAnswer[];
}

export interface StoredAnswer extends GivenAnswer {
  id: string;
  position: number;
  status: AnswerStatus;
  attempts: number;
  outcomeUnknown: boolean;
  lastError: string | null;
  flexAssessmentSid: string | null;
  flexAnswerId: string | null;
}

export interface Scorecard extends Omit<ScorecardDraft, 'answers'> {
  id: string;
  revision: number;
  notifiedRevision: number;
  /** Failed tries at announcing the latest revision in the team's channel. */
  announceAttempts: number;
  answers: StoredAnswer[];
}

/** An answer claimed for one attempt, with what its request needs from the scorecard. */
export interface AnswerToDeliver extends StoredAnswer {
  scorecardId: string;
  reviewerId: string;
  questionnaireSid: string;
  segmentId: string;
  agentId: string;
  offsetSeconds: number;
}

/** How far a scorecard's answers have got: every one posted, some failed, or some still under way. */
export function deliveryState(answers: readonly { status: AnswerStatus }[]): 'posted' | 'failed' | 'pending' {
  if (answers.some((a) => a.status === 'pending')) return 'pending';
  return answers.some((a) => a.status === 'failed') ? 'failed' : 'posted';
}
