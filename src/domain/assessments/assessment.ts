/** What the app knows about one comment assessment, from submission to Flex's answer. */
export type AssessmentStatus = 'pending' | 'posted' | 'failed';
export type AssessmentSource = 'command' | 'shortcut' | 'unfurl';

/** Where in Slack a comment came from, so the reviewer and the thread can be answered. */
export interface SlackOrigin {
  teamId: string;
  /**
   * The workspace whose installation answers for this comment (team id, or org id of an org-wide
   * install); undefined in the single workspace of SLACK_BOT_TOKEN.
   */
  workspaceId?: string | undefined;
  userId: string;
  channelId?: string | undefined;
  /** The message the comment is about; its thread gets the confirmation. */
  messageTs?: string | undefined;
  threadTs?: string | undefined;
  /** The command's response_url: lets the app answer privately where the command ran (30 minutes). */
  responseUrl?: string | undefined;
}

/** Exactly what goes to Flex, in our names. */
export interface CommentContent {
  categoryId: string;
  categoryName: string;
  comment: string;
  segmentId: string;
  agentId: string;
  offsetSeconds: number;
}

export interface AssessmentDraft extends CommentContent {
  submissionKey: string;
  /** The call link the comment started from, if any. */
  callUrl?: string | undefined;
  reviewerId: string;
  source: AssessmentSource;
  origin: SlackOrigin;
  /** The scorecard whose form carried this comment (its closing comment), if any. */
  scorecardId?: string | undefined;
}

export interface Assessment extends AssessmentDraft {
  id: string;
  status: AssessmentStatus;
  attempts: number;
  nextAttemptAt: Date;
  outcomeUnknown: boolean;
  lastError: string | null;
  flexAssessmentSid: string | null;
  createdAt: Date;
  postedAt: Date | null;
  reviewerNotifiedAt: Date | null;
  announceAttempts: number;
  agentNotifiedAt: Date | null;
}
