import { answerRecordPageSchema, type FlexAnswerRecord } from './call-history-schemas.js';
import type { CallHistoryOperation } from './errors.js';
import type { FlexHttpResponse } from './http-transport.js';
import { readJson } from './responses.js';
import { commentPageSchema } from './schemas.js';
import type { ListedItems, PageBound, PageSchema } from './twilio-paging.js';
import type { FlexComment, RequestOptions } from './types.js';

export type { FlexAnswerRecord } from './call-history-schemas.js';

/**
 * The two list calls that say what Flex holds on a call, as Twilio's OpenAPI description declares them
 * (test/contracts/twilio/flex-v1.json): ListInsightsAssessmentsComment (`SegmentId`, `AgentId`, `PageSize`,
 * `Page`, `PageToken`) and ListInsightsAssessments (`SegmentId`, `PageSize`, `Page`, `PageToken`), each
 * answering `{<key>: [...], meta: {next_page_url, …}}`, paged by following `meta.next_page_url`.
 */
const PATHS = {
  comments: '/v1/Insights/QualityManagement/Assessments/Comments',
  assessments: '/v1/Insights/QualityManagement/Assessments',
} as const;

/** The spec's largest PageSize: fewer round trips while a reviewer waits. */
const LIST_PAGE_SIZE = 1000;
/** Beyond 5,000 items on one call, the list says it is not whole rather than keep the reviewer waiting. */
const MAX_LIST_PAGES = 5;
/** A count reads one page of this many (the spec's meta has no total): "50+ comments" past it. */
export const COUNT_PAGE_SIZE = 50;

export interface CommentCount {
  /** Comments on the page read. */
  count: number;
  /** Flex has more than `count` (a next page). */
  more: boolean;
}

/** What the history calls use of the Flex client they are part of: its URLs, its GET and its paging. */
export interface FlexReads {
  urlOf(path: string, query: ReadonlyArray<readonly [string, string | number]>): string;
  /** One GET with the app's credentials, a success only on 200. */
  get(operation: CallHistoryOperation, url: string): Promise<FlexHttpResponse>;
  /** Every page from `firstUrl` on, within `bound`; `options.authorization` is sent instead of the app's. */
  readPages<Item>(
    operation: CallHistoryOperation,
    firstUrl: string,
    options: RequestOptions,
    schema: PageSchema<Item>,
    bound: PageBound,
  ): Promise<ListedItems<Item>>;
}

/** The list calls of /qm history (and the comment counts in the form and in call link previews). */
export interface CallHistoryCalls {
  /** Every comment on the call, across pages (bounded: `complete` says whether that was all). */
  listCallComments(segmentId: string): Promise<ListedItems<FlexComment>>;
  /**
   * Every scorecard answer on the call Flex shows the caller, across pages (bounded): ListInsightsAssessments
   * lists "assessments done for a conversation by logged in user", so with a reviewer's own Authorization
   * value it shows theirs, with the app's credentials the app's.
   */
  listCallAnswers(segmentId: string, options?: { authorization?: string }): Promise<ListedItems<FlexAnswerRecord>>;
  /** How many comments the call has, from one page. */
  countCallComments(segmentId: string): Promise<CommentCount>;
}

const HISTORY_BOUND: PageBound = { maxPages: MAX_LIST_PAGES, past: 'stop' };

/**
 * The history half of the Flex client (src/flex/flex-client.ts), over its transport, paging and error
 * model: the app's one instrumented client times these calls and records them for /readyz too.
 */
export function callHistoryCalls(flex: FlexReads): CallHistoryCalls {
  return {
    async listCallComments(segmentId) {
      const url = flex.urlOf(PATHS.comments, [
        ['SegmentId', segmentId],
        ['PageSize', LIST_PAGE_SIZE],
      ]);
      return flex.readPages('listCallComments', url, {}, commentPageSchema, HISTORY_BOUND);
    },

    async listCallAnswers(segmentId, listOptions = {}) {
      const url = flex.urlOf(PATHS.assessments, [
        ['SegmentId', segmentId],
        ['PageSize', LIST_PAGE_SIZE],
      ]);
      return flex.readPages('listCallAnswers', url, listOptions, answerRecordPageSchema, HISTORY_BOUND);
    },

    async countCallComments(segmentId) {
      const operation = 'countCallComments';
      const url = flex.urlOf(PATHS.comments, [
        ['SegmentId', segmentId],
        ['PageSize', COUNT_PAGE_SIZE],
      ]);
      const page = readJson(await flex.get(operation, url), commentPageSchema, operation);
      // Only the call asked for: a Flex that ignored the filter must not inflate the count.
      const count = page.items.filter((comment) => !comment.segmentId || sameId(comment.segmentId, segmentId)).length;
      return { count, more: page.nextPageUrl !== null };
    },
  };
}

function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
