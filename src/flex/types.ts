import type { Dispatcher } from 'undici';
import type { CallHistoryCalls } from './call-history-client.js';
import type { ScorecardCalls } from './scorecard-client.js';

export interface FlexClientOptions {
  /** e.g. https://flex-api.twilio.com, without a trailing slash. */
  baseUrl: string;
  /** HTTP basic: Account SID and Auth Token, or API key SID and secret. */
  credentials: { username: string; password: string };
  /** The whole request, from connecting to the last byte of the answer. */
  timeoutMs: number;
  /** Defaults to `flex-qm-slack/<version> node/<version>`. */
  userAgent?: string;
  /** A caller's own connection pool; the client then leaves closing it to the caller. */
  dispatcher?: Dispatcher;
}

export interface RequestOptions {
  /** A Flex user's own Authorization value; sent instead of basic auth, so Flex attributes the call to them. */
  authorization?: string;
  signal?: AbortSignal;
}

export interface CommentToCreate {
  categoryId: string;
  categoryName: string;
  comment: string;
  segmentId: string;
  agentId: string;
  /** Position in the call's recording, in seconds. */
  offsetSeconds: number;
}

export interface FlexComment {
  assessmentSid: string | null;
  accountSid: string | null;
  text: string | null;
  categoryId: string | null;
  categoryName: string | null;
  offsetSeconds: number | null;
  agentId: string | null;
  segmentId: string | null;
  userName: string | null;
  userEmail: string | null;
  createdAt: Date | null;
  weight: number | null;
  report: boolean | null;
  url: string | null;
}

export interface CreatedComment extends FlexComment {
  assessmentSid: string;
  /** The JSON text as Flex sent it, for the record. */
  responseBody: string;
}

export interface FlexSegment {
  segmentId: string;
  agentId: string | null;
  agentName: string | null;
  agentTeamName: string | null;
  customerName: string | null;
  queue: string | null;
  date: Date | null;
  externalSegmentLink: string | null;
  recordingOffsetSeconds: number | null;
}

export interface CommentCategory {
  id: string;
  name: string;
  isDefault: boolean;
  sort: number;
}

export interface CommentFilter {
  segmentId?: string;
  agentId?: string;
}

/**
 * Comments, calls and categories; from ScorecardCalls, questionnaires and their answers; from
 * CallHistoryCalls, what a call already holds, as /qm history reads it.
 */
export interface FlexClient extends ScorecardCalls, CallHistoryCalls {
  /** Posts one QM comment; resolves only on 201 with an assessment SID. */
  createComment(input: CommentToCreate, options?: RequestOptions): Promise<CreatedComment>;
  /** Every comment matching the filter, across all pages. */
  listComments(filter: CommentFilter, options?: RequestOptions): Promise<FlexComment[]>;
  /** The segment (call) with this id, or null when Flex has none. */
  findSegment(segmentId: string, options?: RequestOptions): Promise<FlexSegment | null>;
  /** The comment categories (Flex's "comment tags") reviewers choose from. */
  listCommentCategories(options?: RequestOptions): Promise<CommentCategory[]>;
  /** Closes the connection pool the client opened (not one passed in as `dispatcher`). */
  close(): Promise<void>;
}
