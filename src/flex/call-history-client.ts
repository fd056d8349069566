import type { z } from 'zod';
import { answerRecordPageSchema, type FlexAnswerRecord } from './call-history-schemas.js';
import { FlexBadResponseError, FlexInvalidRequestError, type FlexOperation } from './errors.js';
import { sameApiUrl } from './flex-client.js';
import { encodeForm } from './form-encoding.js';
import { createFlexHttp, type FlexHttpResponse } from './http-transport.js';
import { readJson, statusError } from './responses.js';
import { commentPageSchema } from './schemas.js';
import type { FlexClientOptions, FlexComment } from './types.js';
import { defaultUserAgent } from './user-agent.js';

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

/** A list as far as it was read: `complete` is false when Flex had more pages than the app reads. */
export interface ListedItems<Item> {
  items: Item[];
  complete: boolean;
}

export interface CommentCount {
  /** Comments on the page read. */
  count: number;
  /** Flex has more than `count` (a next page). */
  more: boolean;
}

export interface CallHistoryClient {
  /** Every comment on the call, across pages (bounded). */
  listComments(segmentId: string): Promise<ListedItems<FlexComment>>;
  /**
   * Every scorecard answer on the call Flex shows the caller, across pages (bounded): ListInsightsAssessments
   * lists "assessments done for a conversation by logged in user", so with a reviewer's own Authorization
   * value it shows theirs, with the app's credentials the app's.
   */
  listAnswers(segmentId: string, options?: { authorization?: string }): Promise<ListedItems<FlexAnswerRecord>>;
  /** How many comments the call has, from one page. */
  countComments(segmentId: string): Promise<CommentCount>;
  close(): Promise<void>;
}

export function createCallHistoryClient(options: FlexClientOptions): CallHistoryClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const basic = `Basic ${Buffer.from(`${options.credentials.username}:${options.credentials.password}`).toString('base64')}`;
  const http = createFlexHttp({
    timeoutMs: options.timeoutMs,
    userAgent: options.userAgent ?? defaultUserAgent(),
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
  });
  // The query encoded like twilio-node's (qs), in the order of the spec's parameters.
  const urlOf = (path: string, query: ReadonlyArray<readonly [string, string | number]>) =>
    `${baseUrl}${path}?${encodeForm(query)}`;

  async function get(operation: FlexOperation, url: string, own?: string): Promise<FlexHttpResponse> {
    // A value undici would refuse, or that could smuggle a second header, is never sent.
    if (own !== undefined && !/^[\t\x20-\x7e]+$/.test(own)) {
      throw new FlexInvalidRequestError(operation, 'the Flex Authorization value is not printable ASCII on one line');
    }
    const response = await http.send({ operation, method: 'GET', url, authorization: own ?? basic });
    // twilio-node's Page: a list page is a success only on 200 exactly.
    if (response.status !== 200) throw statusError(response, operation, own !== undefined);
    return response;
  }

  async function readPages<Item>(
    operation: FlexOperation,
    firstUrl: string,
    schema: z.ZodType<{ items: Item[]; nextPageUrl: string | null }>,
    own?: string,
  ): Promise<ListedItems<Item>> {
    const items: Item[] = [];
    const visited = new Set<string>();
    let next: string | null = firstUrl;
    while (next !== null) {
      visited.add(next);
      const response = await get(operation, next, own);
      const page = readJson(response, schema, operation);
      items.push(...page.items);
      if (page.nextPageUrl === null) return { items, complete: true };
      const bad = (detail: string) =>
        new FlexBadResponseError({ operation, status: response.status, responseBody: response.body, detail });
      // Credentials go only to our own base URL, whatever host the link names.
      next = sameApiUrl(page.nextPageUrl, baseUrl);
      if (next === null) throw bad('meta.next_page_url is not a URL');
      if (visited.has(next)) throw bad('meta.next_page_url points back to a page already read');
      if (visited.size >= MAX_LIST_PAGES) return { items, complete: false };
    }
    return { items, complete: true };
  }

  return {
    listComments(segmentId) {
      const url = urlOf(PATHS.comments, [
        ['SegmentId', segmentId],
        ['PageSize', LIST_PAGE_SIZE],
      ]);
      return readPages('listComments', url, commentPageSchema);
    },

    listAnswers(segmentId, listOptions = {}) {
      const url = urlOf(PATHS.assessments, [
        ['SegmentId', segmentId],
        ['PageSize', LIST_PAGE_SIZE],
      ]);
      return readPages('listAnswers', url, answerRecordPageSchema, listOptions.authorization);
    },

    async countComments(segmentId) {
      const operation = 'listComments';
      const url = urlOf(PATHS.comments, [
        ['SegmentId', segmentId],
        ['PageSize', COUNT_PAGE_SIZE],
      ]);
      const page = readJson(await get(operation, url), commentPageSchema, operation);
      // Only the call asked for: a Flex that ignored the filter must not inflate the count.
      const count = page.items.filter((comment) => !comment.segmentId || sameId(comment.segmentId, segmentId)).length;
      return { count, more: page.nextPageUrl !== null };
    },

    close: () => http.close(),
  };
}

function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
