import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the fake received it, for tests to assert on. */
export interface RecordedFlexRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  rawBody: string;
  at: number;
}

/** A comment Flex holds, in Flex's own JSON shape. */
export interface StoredComment {
  account_sid: string;
  assessment_sid: string;
  comment: { comment: string; category: { category_id: string; name: string } };
  offset: string;
  report: boolean;
  weight: string;
  agent_id: string;
  segment_id: string;
  user_name: string;
  user_email: string;
  timestamp: string;
  url: string;
}

export interface FakeSegment {
  segment_id: string;
  agent_id: string;
  agent_name?: string;
  agent_team_name?: string;
  customer_name?: string;
  queue?: string;
  date?: string;
  external_segment_link?: string;
}

/** What the next request (of any kind, or of a method) gets instead of the normal answer. */
export type FlexBehaviour =
  | { status: number; body?: string; headers?: Record<string, string>; method?: 'GET' | 'POST' }
  /** Answer normally, but only after this long (the client's timeout fires first). */
  | { delayMs: number; method?: 'GET' | 'POST' }
  /** Do the work (a POST creates the comment), then drop the connection without answering. */
  | { resetAfterProcessing: true; method?: 'GET' | 'POST' }
  /** Drop the connection without doing anything. */
  | { resetBeforeProcessing: true; method?: 'GET' | 'POST' };

const COMMENTS_PATH = '/v1/Insights/QualityManagement/Assessments/Comments';
const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
  'access-control-allow-headers': 'Accept, Authorization, Content-Type, If-Match, If-Modified-Since, If-None-Match',
  'access-control-allow-credentials': 'true',
  'access-control-expose-headers': 'ETag',
};
const REQUIRED = ['CategoryId', 'CategoryName', 'Comment', 'SegmentId', 'AgentId', 'Offset'] as const;

/**
 * A local Flex Insights API that checks requests as strictly as Twilio does (credentials, content
 * type, required parameters, known categories) and keeps the comments it creates.
 */
export class FakeFlexApi {
  readonly requests: RecordedFlexRequest[] = [];
  readonly comments: StoredComment[] = [];
  readonly accountSid = `AC${randomBytes(16).toString('hex')}`;
  readonly authToken = randomBytes(16).toString('hex');
  private readonly users = new Map<string, { name: string; email: string }>();
  private readonly segments = new Map<string, FakeSegment>();
  private categories: Array<{ id: string; name: string; default?: boolean; sort?: number }> = [];
  private behaviours: FlexBehaviour[] = [];
  private latencyMs = 0;
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
  ) {}

  static async start(options: { latencyMs?: number } = {}): Promise<FakeFlexApi> {
    const server = createServer();
    server.keepAliveTimeout = 1_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const fake = new FakeFlexApi(server, `http://127.0.0.1:${port}`);
    fake.latencyMs = options.latencyMs ?? 0;
    server.on('request', (req, res) => fake.handle(req, res));
    return fake;
  }

  /** An Authorization value Flex accepts as this Flex user's own. */
  addUser(authorizationValue: string, user: { name: string; email: string }): void {
    this.users.set(authorizationValue, user);
  }

  setCommentCategories(categories: Array<{ id: string; name: string; default?: boolean; sort?: number }>): void {
    this.categories = categories;
  }

  addSegment(segment: FakeSegment): void {
    this.segments.set(segment.segment_id, segment);
  }

  failNext(...behaviours: FlexBehaviour[]): void {
    this.behaviours.push(...behaviours);
  }

  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  commentsCreated(): number {
    return this.comments.length;
  }

  reset(): void {
    this.requests.length = 0;
    this.comments.length = 0;
    this.behaviours = [];
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private later(ms: number, work: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      work();
    }, ms);
    this.timers.add(timer);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', this.baseUrl);
      const recorded: RecordedFlexRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        rawBody: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      this.requests.push(recorded);
      const index = this.behaviours.findIndex((b) => !b.method || b.method === recorded.method);
      const behaviour = index >= 0 ? this.behaviours.splice(index, 1)[0] : undefined;
      // Flex does the work when the request arrives; latency only delays the answer.
      const answer =
        behaviour && ('status' in behaviour || 'resetBeforeProcessing' in behaviour) ? undefined : this.route(recorded);
      const respond = () => this.respond(res, behaviour, answer);
      const delay = (behaviour && 'delayMs' in behaviour ? behaviour.delayMs : 0) + this.latencyMs;
      if (delay > 0) this.later(delay, respond);
      else respond();
    });
  }

  private respond(
    res: ServerResponse,
    behaviour: FlexBehaviour | undefined,
    answer: { status: number; body: unknown } | undefined,
  ): void {
    if (res.destroyed) return;
    if (behaviour && 'status' in behaviour) {
      res.writeHead(behaviour.status, { ...CORS_HEADERS, 'content-type': 'application/json', ...behaviour.headers });
      res.end(behaviour.body ?? '');
      return;
    }
    if (!answer || (behaviour && 'resetAfterProcessing' in behaviour)) {
      res.socket?.destroy();
      return;
    }
    res.writeHead(answer.status, { ...CORS_HEADERS, 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(answer.body));
  }

  private route(req: RecordedFlexRequest): { status: number; body: unknown } {
    const user = this.authenticate(req.headers.authorization);
    if (!user) {
      return twilioError(401, 20003, 'Authenticate', 'Your AccountSid or AuthToken was incorrect.');
    }
    if (req.path === COMMENTS_PATH && req.method === 'POST') return this.createComment(req, user);
    if (req.path === COMMENTS_PATH && req.method === 'GET') return this.listComments(req);
    if (req.path === '/v1/Insights/Segments' && req.method === 'GET') {
      const id = req.query.get('SegmentId');
      const segments = [...this.segments.values()].filter((s) => !id || s.segment_id === id).map(segmentJson);
      return { status: 200, body: { segments, meta: meta('segments', req, 0, 50, null) } };
    }
    if (req.path === '/v1/Insights/QualityManagement/Settings/CommentTags' && req.method === 'GET') {
      return {
        status: 200,
        body: {
          account_sid: this.accountSid,
          comments: this.categories.map((c, i) => ({
            id: c.id,
            name: c.name,
            default: c.default ?? false,
            sort: c.sort ?? i,
          })),
          url: `https://flex-api.twilio.com${req.path}`,
        },
      };
    }
    return twilioError(404, 20404, `The requested resource ${req.path} was not found`);
  }

  private authenticate(header: string | undefined): { name: string; email: string } | undefined {
    if (!header) return undefined;
    const user = this.users.get(header);
    if (user) return user;
    const expected = `Basic ${Buffer.from(`${this.accountSid}:${this.authToken}`).toString('base64')}`;
    return header === expected ? { name: 'Flex Account', email: '' } : undefined;
  }

  private createComment(
    req: RecordedFlexRequest,
    user: { name: string; email: string },
  ): { status: number; body: unknown } {
    if (req.headers['content-type']?.split(';')[0]?.trim() !== 'application/x-www-form-urlencoded') {
      return twilioError(400, 20001, 'Content-Type must be application/x-www-form-urlencoded');
    }
    const form = new URLSearchParams(req.rawBody);
    for (const name of REQUIRED) {
      if (!form.get(name)) return twilioError(400, 20001, `Missing required parameter ${name} in the post body`);
    }
    const offset = form.get('Offset') ?? '';
    if (!/^-?\d+(\.\d+)?(e[-+]?\d+)?$/i.test(offset) || !Number.isFinite(Number(offset))) {
      return twilioError(400, 20001, `Invalid parameter Offset: ${offset}`);
    }
    const categoryId = form.get('CategoryId') ?? '';
    if (this.categories.length > 0 && !this.categories.some((c) => c.id === categoryId)) {
      return twilioError(400, 20001, `Invalid comment category ${categoryId}`);
    }
    const sid = `FM${randomBytes(16).toString('hex')}`;
    const comment: StoredComment = {
      account_sid: this.accountSid,
      assessment_sid: sid,
      comment: {
        comment: form.get('Comment') ?? '',
        category: { category_id: categoryId, name: form.get('CategoryName') ?? '' },
      },
      offset: String(Number(offset)),
      report: true,
      weight: '1',
      agent_id: form.get('AgentId') ?? '',
      segment_id: form.get('SegmentId') ?? '',
      user_name: user.name,
      user_email: user.email,
      timestamp: String(Date.now()),
      url: `https://flex-api.twilio.com${COMMENTS_PATH}/${sid}`,
    };
    this.comments.push(comment);
    return { status: 201, body: comment };
  }

  private listComments(req: RecordedFlexRequest): { status: number; body: unknown } {
    const segmentId = req.query.get('SegmentId');
    const agentId = req.query.get('AgentId');
    const pageSize = Math.min(1000, Math.max(1, Number(req.query.get('PageSize') ?? 50)));
    const page = Math.max(0, Number(req.query.get('Page') ?? 0));
    const matching = this.comments.filter(
      (c) => (!segmentId || c.segment_id === segmentId) && (!agentId || c.agent_id === agentId),
    );
    const slice = matching.slice(page * pageSize, (page + 1) * pageSize);
    const hasNext = (page + 1) * pageSize < matching.length;
    return {
      status: 200,
      body: { comments: slice, meta: meta('comments', req, page, pageSize, hasNext ? page + 1 : null, this.baseUrl) },
    };
  }
}

function segmentJson(segment: FakeSegment) {
  return {
    segment_id: segment.segment_id,
    external_id: `EV${randomUUID().replace(/-/g, '')}`,
    queue: segment.queue ?? null,
    external_contact: null,
    external_segment_link_id: null,
    date: segment.date ?? null,
    account_id: randomUUID(),
    external_segment_link: segment.external_segment_link ?? null,
    agent_id: segment.agent_id,
    agent_phone: null,
    agent_name: segment.agent_name ?? null,
    agent_team_name: segment.agent_team_name ?? null,
    agent_team_name_in_hierarchy: null,
    agent_link: null,
    customer_phone: null,
    customer_name: segment.customer_name ?? null,
    customer_link: null,
    segment_recording_offset: '0',
    media: null,
    assessment_type: [null],
    assessment_percentage: [null],
    url: `https://flex-api.twilio.com/v1/Insights/Segments/${segment.segment_id}`,
  };
}

function meta(
  key: string,
  req: RecordedFlexRequest,
  page: number,
  pageSize: number,
  nextPage: number | null,
  baseUrl = 'https://flex-api.twilio.com',
) {
  const pageUrl = (n: number) => {
    const query = new URLSearchParams(req.query);
    query.set('PageSize', String(pageSize));
    query.set('Page', String(n));
    return `${baseUrl}${req.path}?${query.toString()}`;
  };
  return {
    key,
    page,
    page_size: pageSize,
    first_page_url: pageUrl(0),
    previous_page_url: page > 0 ? pageUrl(page - 1) : null,
    next_page_url: nextPage === null ? null : pageUrl(nextPage),
    url: pageUrl(page),
  };
}

function twilioError(status: number, code: number, message: string, detail?: string) {
  return {
    status,
    body: {
      code,
      message,
      more_info: `https://www.twilio.com/docs/errors/${code}`,
      status,
      ...(detail ? { detail } : {}),
    },
  };
}
