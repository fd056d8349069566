import { z } from 'zod';
import { callHistoryCalls } from './call-history-client.js';
import { FlexBadResponseError, FlexInvalidRequestError, type FlexOperation } from './errors.js';
import { encodeForm } from './form-encoding.js';
import { createFlexHttp } from './http-transport.js';
import { readJson, statusError } from './responses.js';
import { commentPageSchema, commentSchema, commentTagsSchema, segmentPageSchema } from './schemas.js';
import { scorecardCalls } from './scorecard-client.js';
import { type PageBound, type PageSchema, readPages } from './twilio-paging.js';
import type { CreatedComment, FlexClient, FlexClientOptions, FlexComment } from './types.js';
import { defaultUserAgent } from './user-agent.js';

export type {
  CommentCategory,
  CommentFilter,
  CommentToCreate,
  CreatedComment,
  FlexClient,
  FlexClientOptions,
  FlexComment,
  FlexSegment,
  RequestOptions,
} from './types.js';

/** The Flex Insights paths this app uses; no other module knows them. */
const PATHS = {
  comments: '/v1/Insights/QualityManagement/Assessments/Comments',
  segments: '/v1/Insights/Segments',
  commentTags: '/v1/Insights/QualityManagement/Settings/CommentTags',
} as const;

/** Flex's largest page; fewer round trips when checking for a comment before sending it again. */
const PAGE_SIZE = 1000;
/** 50,000 comments on one call is far beyond any real review; more means Flex's paging has gone wrong. */
const ALL_PAGES: PageBound = { maxPages: 50, past: 'fail' };

// A header value undici would refuse (or that could smuggle a second header): visible ASCII, spaces and tabs only.
const headerValue = z.string().regex(/^[\t\x20-\x7e]+$/, 'must be printable ASCII without line breaks');

const optionsSchema = z.object({
  baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).transform((url) => url.replace(/\/+$/, '')),
  credentials: z.object({
    // RFC 7617: a basic-auth user id cannot contain a colon.
    username: headerValue.refine((value) => !value.includes(':'), 'must not contain a colon'),
    password: headerValue,
  }),
  timeoutMs: z.number().int().positive(),
  userAgent: headerValue.optional(),
});

const commentInputSchema = z.object({
  categoryId: z.string(),
  categoryName: z.string(),
  comment: z.string(),
  segmentId: z.string(),
  agentId: z.string(),
  offsetSeconds: z.number({ error: 'the offset must be a finite number of seconds' }),
});

const requestOptionsSchema = z.object({
  authorization: headerValue.optional(),
  signal: z.instanceof(AbortSignal).optional(),
});

/** The Flex Insights API over undici, speaking the wire format twilio-node speaks. */
export function createFlexClient(options: FlexClientOptions): FlexClient {
  const parsedOptions = optionsSchema.safeParse(options);
  if (!parsedOptions.success) {
    // Paths and reasons only: the values may be secrets.
    const problems = parsedOptions.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new TypeError(`Invalid Flex client options (${problems.join('; ')})`);
  }
  const { baseUrl, credentials, timeoutMs, userAgent } = parsedOptions.data;
  const basic = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  const http = createFlexHttp({
    timeoutMs,
    userAgent: userAgent ?? defaultUserAgent(),
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
  });

  async function get(operation: FlexOperation, url: string, requestOptions: ValidRequestOptions) {
    const response = await http.send({
      operation,
      method: 'GET',
      url,
      authorization: requestOptions.authorization ?? basic,
      signal: requestOptions.signal,
    });
    if (response.status !== 200) throw statusError(response, operation, requestOptions.authorization !== undefined);
    return response;
  }

  const urlOf = (path: string, query: ReadonlyArray<readonly [string, string | number | undefined]> = []) => {
    const present = query.filter((pair): pair is [string, string | number] => pair[1] !== undefined);
    // The query is encoded like twilio-node's (qs), not like URLSearchParams (which writes a space as +).
    return present.length === 0 ? `${baseUrl}${path}` : `${baseUrl}${path}?${encodeForm(present)}`;
  };

  /** A list on this client's base URL, every page asked for with the same credentials. */
  const readList = <Item>(
    operation: FlexOperation,
    firstUrl: string,
    requestOptions: ValidRequestOptions,
    schema: PageSchema<Item>,
    bound: PageBound,
  ) => readPages({ operation, baseUrl, firstUrl, get: (url) => get(operation, url, requestOptions), schema, bound });

  return {
    ...scorecardCalls({ http, baseUrl, basic }),
    ...callHistoryCalls({
      urlOf,
      get: (operation, url) => get(operation, url, {}),
      // Validated here, in the one place that knows which header values undici would refuse.
      readPages: async (operation, url, requestOptions, schema, bound) =>
        readList(operation, url, validated(requestOptionsSchema, requestOptions, operation), schema, bound),
    }),

    async createComment(input, requestOptions = {}) {
      const operation = 'createComment';
      const comment = validated(commentInputSchema, input, operation);
      const valid = validated(requestOptionsSchema, requestOptions, operation);
      // Keys in the order of Twilio's API definition, as twilio-node sends them.
      const form = encodeForm([
        ['CategoryId', comment.categoryId],
        ['CategoryName', comment.categoryName],
        ['Comment', comment.comment],
        ['SegmentId', comment.segmentId],
        ['AgentId', comment.agentId],
        ['Offset', comment.offsetSeconds],
      ]);
      const response = await http.send({
        operation,
        method: 'POST',
        url: urlOf(PATHS.comments),
        authorization: valid.authorization ?? basic,
        form,
        signal: valid.signal,
      });
      if (response.status !== 201) throw statusError(response, operation, valid.authorization !== undefined);
      const created: FlexComment = readJson(response, commentSchema, operation);
      if (!created.assessmentSid) {
        throw new FlexBadResponseError({
          operation,
          status: response.status,
          responseBody: response.body,
          detail: 'no assessment_sid',
        });
      }
      return { ...created, assessmentSid: created.assessmentSid, responseBody: response.body } satisfies CreatedComment;
    },

    async listComments(filter, requestOptions = {}) {
      const operation = 'listComments';
      const valid = validated(requestOptionsSchema, requestOptions, operation);
      // The order twilio-node puts them in.
      const first = urlOf(PATHS.comments, [
        ['SegmentId', filter.segmentId],
        ['AgentId', filter.agentId],
        ['PageSize', PAGE_SIZE],
      ]);
      return (await readList(operation, first, valid, commentPageSchema, ALL_PAGES)).items;
    },

    async findSegment(segmentId, requestOptions = {}) {
      const operation = 'findSegment';
      const valid = validated(requestOptionsSchema, requestOptions, operation);
      const response = await get(operation, urlOf(PATHS.segments, [['SegmentId', segmentId]]), valid);
      const { items } = readJson(response, segmentPageSchema, operation);
      // Only the segment asked for: a Flex that ignored the filter must not put someone else's call in front of a reviewer.
      return items.find((segment) => segment.segmentId.toLowerCase() === segmentId.toLowerCase()) ?? null;
    },

    async listCommentCategories(requestOptions = {}) {
      const operation = 'listCommentCategories';
      const valid = validated(requestOptionsSchema, requestOptions, operation);
      const response = await get(operation, urlOf(PATHS.commentTags), valid);
      return readJson(response, commentTagsSchema, operation);
    },

    close: () => http.close(),
  };
}

type ValidRequestOptions = z.output<typeof requestOptionsSchema>;

function validated<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  operation: FlexOperation,
): z.output<Schema> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new FlexInvalidRequestError(operation, issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid input');
}
