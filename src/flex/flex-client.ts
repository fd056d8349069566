import { Agent, type Dispatcher, request, errors as undiciErrors } from 'undici';
import type { z } from 'zod';
import { FlexBadResponseError, FlexNetworkError, FlexRejectedError, FlexUnavailableError } from './errors.js';
import { encodeForm } from './form-encoding.js';
import {
  type CommentPayload,
  commentPageSchema,
  commentSchema,
  commentTagsSchema,
  segmentPageSchema,
  twilioErrorSchema,
} from './schemas.js';

/** The Flex Insights paths this app uses; no other module knows them. */
const PATHS = {
  comments: '/v1/Insights/QualityManagement/Assessments/Comments',
  segments: '/v1/Insights/Segments',
  commentTags: '/v1/Insights/QualityManagement/Settings/CommentTags',
} as const;

const MAX_LIST_PAGES = 50;
const PAGE_SIZE = 1000;
const VERSION = '0.1.0';

export interface FlexClientOptions {
  /** e.g. https://flex-api.twilio.com, without a trailing slash. */
  baseUrl: string;
  /** HTTP basic: Account SID and Auth Token, or API key SID and secret. */
  credentials: { username: string; password: string };
  timeoutMs: number;
  userAgent?: string;
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

export interface FlexClient {
  createComment(input: CommentToCreate, options?: RequestOptions): Promise<CreatedComment>;
  listComments(filter: { segmentId?: string; agentId?: string }, options?: RequestOptions): Promise<FlexComment[]>;
  findSegment(segmentId: string, options?: RequestOptions): Promise<FlexSegment | null>;
  listCommentCategories(options?: RequestOptions): Promise<CommentCategory[]>;
  close(): Promise<void>;
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** The Flex Insights API over undici, speaking the wire format twilio-node speaks. */
export function createFlexClient(options: FlexClientOptions): FlexClient {
  const ownDispatcher = options.dispatcher ? undefined : new Agent({ keepAliveTimeout: 10_000, connections: 32 });
  const dispatcher = options.dispatcher ?? (ownDispatcher as Agent);
  const basic = `Basic ${Buffer.from(`${options.credentials.username}:${options.credentials.password}`).toString('base64')}`;
  const userAgent = options.userAgent ?? `flex-qm-slack/${VERSION} node/${process.version}`;

  async function send(
    method: 'GET' | 'POST',
    url: string,
    requestOptions: RequestOptions,
    form?: string,
  ): Promise<RawResponse> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      'accept-charset': 'utf-8',
      authorization: requestOptions.authorization ?? basic,
      'user-agent': userAgent,
    };
    if (form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = requestOptions.signal ? AbortSignal.any([requestOptions.signal, timeout]) : timeout;
    let sent = false;
    try {
      const response = await request(url, {
        method,
        headers,
        ...(form === undefined ? {} : { body: form }),
        dispatcher,
        signal,
      });
      sent = true;
      const body = await response.body.text();
      return { status: response.statusCode, headers: response.headers, body };
    } catch (error) {
      throw networkError(error, method, sent || timeout.aborted, options.timeoutMs);
    }
  }

  const url = (path: string, query?: Record<string, string | number | undefined>) => {
    const target = new URL(`${options.baseUrl}${path}`);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) target.searchParams.append(key, String(value));
    }
    return target.toString();
  };

  async function listPages<T>(
    first: string,
    requestOptions: RequestOptions,
    schema: z.ZodType<{ meta?: { next_page_url: string | null } | null | undefined } & T>,
  ): Promise<T[]> {
    const pages: T[] = [];
    let next: string | null = first;
    for (let page = 0; next && page < MAX_LIST_PAGES; page += 1) {
      const response = await send('GET', next, requestOptions);
      if (response.status !== 200) throw statusError(response, 'GET');
      const parsed: { meta?: { next_page_url: string | null } | null | undefined } & T = parseJson(
        response,
        schema,
        false,
      );
      pages.push(parsed);
      next = parsed.meta?.next_page_url ?? null;
    }
    return pages;
  }

  return {
    async createComment(input, requestOptions = {}) {
      // Keys in the order of Twilio's API definition, as twilio-node sends them.
      const form = encodeForm([
        ['CategoryId', input.categoryId],
        ['CategoryName', input.categoryName],
        ['Comment', input.comment],
        ['SegmentId', input.segmentId],
        ['AgentId', input.agentId],
        ['Offset', input.offsetSeconds],
      ]);
      const response = await send('POST', url(PATHS.comments), requestOptions, form);
      if (response.status !== 201) {
        if (response.status >= 200 && response.status < 300) {
          throw new FlexBadResponseError(response.status, response.body, 'expected 201 Created', true);
        }
        throw statusError(response, 'POST');
      }
      const comment = toComment(parseJson(response, commentSchema, true));
      if (!comment.assessmentSid) {
        throw new FlexBadResponseError(response.status, response.body, 'no assessment_sid', true);
      }
      return { ...comment, assessmentSid: comment.assessmentSid, responseBody: response.body };
    },

    async listComments(filter, requestOptions = {}) {
      const first = url(PATHS.comments, { SegmentId: filter.segmentId, AgentId: filter.agentId, PageSize: PAGE_SIZE });
      const pages = await listPages(first, requestOptions, commentPageSchema);
      return pages.flatMap((page) => page.comments.map(toComment));
    },

    async findSegment(segmentId, requestOptions = {}) {
      const response = await send('GET', url(PATHS.segments, { SegmentId: segmentId }), requestOptions);
      if (response.status === 404) return null;
      if (response.status !== 200) throw statusError(response, 'GET');
      const { segments } = parseJson(response, segmentPageSchema, false);
      const segment = segments.find((s) => s.segment_id === segmentId) ?? segments[0];
      if (!segment) return null;
      return {
        segmentId: segment.segment_id,
        agentId: segment.agent_id,
        agentName: segment.agent_name,
        agentTeamName: segment.agent_team_name,
        customerName: segment.customer_name,
        queue: segment.queue,
        date: toDate(segment.date),
        externalSegmentLink: segment.external_segment_link,
        recordingOffsetSeconds: segment.segment_recording_offset,
      };
    },

    async listCommentCategories(requestOptions = {}) {
      const response = await send('GET', url(PATHS.commentTags), requestOptions);
      if (response.status !== 200) throw statusError(response, 'GET');
      const { comments } = parseJson(response, commentTagsSchema, false);
      return comments.map((tag) => ({
        id: tag.id,
        name: tag.name,
        isDefault: tag.default ?? false,
        sort: tag.sort ?? 0,
      }));
    },

    async close() {
      await ownDispatcher?.close();
    },
  };
}

function parseJson<T>(response: RawResponse, schema: z.ZodType<T>, outcomeUnknown: boolean): T {
  let json: unknown;
  try {
    json = JSON.parse(response.body);
  } catch {
    const detail = response.body.trim() === '' ? 'empty body' : 'not JSON';
    throw new FlexBadResponseError(response.status, response.body, detail, outcomeUnknown);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const detail = issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'unexpected shape';
    throw new FlexBadResponseError(response.status, response.body, detail, outcomeUnknown);
  }
  return parsed.data;
}

function statusError(response: RawResponse, method: string): Error {
  if (response.status === 429 || response.status >= 500) {
    return new FlexUnavailableError(
      response.status,
      retryAfterMs(response.headers['retry-after']),
      response.body,
      method,
    );
  }
  if (response.status >= 400) {
    let details: z.infer<typeof twilioErrorSchema> | undefined;
    try {
      const parsed = twilioErrorSchema.safeParse(JSON.parse(response.body));
      details = parsed.success ? parsed.data : undefined;
    } catch {
      details = undefined;
    }
    return new FlexRejectedError(
      response.status,
      details?.code ?? undefined,
      details?.message ?? details?.detail ?? undefined,
      details?.more_info ?? undefined,
      response.body,
    );
  }
  return new FlexBadResponseError(response.status, response.body, 'unexpected status', method === 'POST');
}

/** `Retry-After` as delta-seconds or an HTTP date. */
export function retryAfterMs(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function networkError(error: unknown, method: string, mayHaveArrived: boolean, timeoutMs: number): FlexNetworkError {
  const code = error && typeof error === 'object' && 'code' in error ? String(error.code) : '';
  const timedOut =
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError ||
    (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'));
  // Nothing reached Flex when the connection could not even be made.
  const neverSent = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT'].includes(code);
  const outcomeUnknown = method === 'POST' && !neverSent && (mayHaveArrived || timedOut || code !== '');
  const message = timedOut
    ? `Flex did not answer within ${timeoutMs} ms`
    : `Could not reach Flex (${code || (error instanceof Error ? error.message : 'connection failed')})`;
  return new FlexNetworkError(message, outcomeUnknown, { cause: error });
}

function toComment(payload: CommentPayload): FlexComment {
  const body = typeof payload.comment === 'object' && payload.comment !== null ? payload.comment : undefined;
  return {
    assessmentSid: payload.assessment_sid,
    accountSid: payload.account_sid,
    text: body ? body.comment : typeof payload.comment === 'string' ? payload.comment : null,
    categoryId: body?.category?.category_id ?? null,
    categoryName: body?.category?.name ?? null,
    offsetSeconds: payload.offset,
    agentId: payload.agent_id,
    segmentId: payload.segment_id,
    userName: payload.user_name,
    userEmail: payload.user_email,
    createdAt: payload.timestamp === null ? null : new Date(payload.timestamp),
    weight: payload.weight,
    report: payload.report,
    url: payload.url,
  };
}

function toDate(value: string | null): Date | null {
  if (!value) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time);
}
