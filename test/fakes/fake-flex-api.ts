import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { appliesTo, type BehaviourTarget, type FlexBehaviour } from './flex/behaviours.js';
import {
  COMMENTS_PATH,
  type CommentTag,
  commentFromRequest,
  matchingComments,
  type StoredComment,
} from './flex/comments.js';
import { FlexCredentials, type FlexIdentity } from './flex/credentials.js';
import { pageOf } from './flex/paging.js';
import { type FakeScorecardCatalog, FakeScorecards } from './flex/scorecards.js';
import { COMMENT_TAGS_PATH, type FakeSegment, SEGMENTS_PATH, segmentJson } from './flex/segments.js';
import { type FakeAnswer, FLEX_PUBLIC_BASE, newSid, twilioError, twilioHeaders } from './flex/twilio-wire.js';
import { listenOnLoopback, type ServeOptions } from './serve.js';

export type { BehaviourTarget, FlexBehaviour } from './flex/behaviours.js';
export { htmlErrorPage, tooManyRequests, twilioErrorAnswer } from './flex/behaviours.js';
export type { CommentTag, StoredComment } from './flex/comments.js';
export { COMMENTS_PATH } from './flex/comments.js';
export type { FlexIdentity } from './flex/credentials.js';
export type { FakeScorecardCatalog, StoredAnswer } from './flex/scorecards.js';
export type { FakeSegment } from './flex/segments.js';

/** Failures at a steady rate instead of one by one: for soak and chaos tests. */
export interface FlexChaos {
  /** Share of matching requests that fail, 0 to 1. */
  rate: number;
  behaviours: Array<{ name: string; behaviour: FlexBehaviour }>;
  targets?: BehaviourTarget[];
  /** Seeded, so a failing run can be replayed. */
  random: () => number;
}

/** A request as the fake received it, for tests to assert on. */
export interface RecordedFlexRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** The query string exactly as sent, without the `?`. */
  rawQuery: string;
  headers: IncomingMessage['headers'];
  rawBody: string;
  at: number;
}

export interface FakeFlexApiOptions extends ServeOptions {
  accountSid?: string;
  authToken?: string;
  apiKeySid?: string;
  apiKeySecret?: string;
  /** Added before every answer (the work is done on arrival). */
  latencyMs?: number;
  /** Serve at most this many items per page whatever PageSize asks, to exercise paging cheaply. */
  maxPageSize?: number;
  /** Whom comments made with basic auth are attributed to. */
  accountIdentity?: FlexIdentity;
}

type Route = (request: RecordedFlexRequest, identity: FlexIdentity) => FakeAnswer;

/**
 * A local Flex Insights API on 127.0.0.1 that checks requests as strictly as Twilio does (credentials,
 * content type, required parameters, known comment tags), keeps the comments it creates and lists
 * them back with Twilio's paging, and can be scripted to fail in the ways a real network does.
 */
export class FakeFlexApi {
  readonly requests: RecordedFlexRequest[] = [];
  /** What Flex holds. */
  readonly comments: StoredComment[] = [];
  /** Questionnaires, questions, answer sets, and the answers (assessments) created. */
  readonly scorecards: FakeScorecards;
  readonly accountSid: string;
  readonly authToken: string;
  readonly apiKeySid: string;
  readonly apiKeySecret: string;
  private readonly credentials: FlexCredentials;
  private readonly segments = new Map<string, FakeSegment>();
  private readonly insightsAccountId = randomUUID();
  private tags: CommentTag[] = [];
  private behaviours: FlexBehaviour[] = [];
  /** Answers holdAnswers() keeps back. */
  private held: Array<() => void> | undefined;
  private chaos: FlexChaos | undefined;
  /** How many requests chaos answered with a failure, by kind. */
  readonly chaosInjected = new Map<string, number>();
  private latencyMs: number;
  private maxPageSize: number;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly routes: Record<string, Partial<Record<string, Route>>> = {
    [COMMENTS_PATH]: {
      POST: (request, identity) => this.createComment(request, identity),
      GET: (request) => this.page(matchingComments(this.comments, request.query), request, 'comments'),
    },
    [SEGMENTS_PATH]: { GET: (request) => this.listSegments(request) },
    [COMMENT_TAGS_PATH]: { GET: () => this.commentTags() },
  };

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
    private readonly options: FakeFlexApiOptions,
  ) {
    this.accountSid = options.accountSid ?? newSid('AC');
    this.authToken = options.authToken ?? randomBytes(16).toString('hex');
    this.apiKeySid = options.apiKeySid ?? newSid('SK');
    this.apiKeySecret = options.apiKeySecret ?? randomBytes(16).toString('hex');
    this.latencyMs = options.latencyMs ?? 0;
    this.maxPageSize = options.maxPageSize ?? 1000;
    this.scorecards = new FakeScorecards(this.accountSid);
    this.credentials = new FlexCredentials(
      {
        accountSid: this.accountSid,
        authToken: this.authToken,
        apiKeySid: this.apiKeySid,
        apiKeySecret: this.apiKeySecret,
      },
      options.accountIdentity ?? { name: 'Flex Account', email: 'flex-account@example.com' },
    );
  }

  static async start(options: FakeFlexApiOptions = {}): Promise<FakeFlexApi> {
    const server = createServer();
    server.keepAliveTimeout = 5_000;
    const baseUrl = await listenOnLoopback(server, options.port);
    // A forgotten close() must not keep a test process running.
    server.unref();
    const fake = new FakeFlexApi(server, baseUrl, options);
    server.on('request', (req, res) => {
      if (!options.intercept?.(req, res)) fake.receive(req, res);
    });
    return fake;
  }

  /** An Authorization value Flex accepts (instead of basic auth) as this Flex user's own. */
  addUser(authorizationValue: string, user: FlexIdentity): void {
    this.credentials.addUser(authorizationValue, user);
  }

  /** The comment categories Flex offers; once any are set, a comment must use one of them. */
  setCommentCategories(categories: CommentTag[]): void {
    this.tags = [...categories];
  }

  /** The questionnaires, questions and answer sets Flex offers. */
  setScorecardCatalog(catalog: FakeScorecardCatalog): void {
    this.scorecards.catalog = catalog;
  }

  addSegment(segment: FakeSegment): void {
    this.segments.set(segment.segment_id, segment);
  }

  /** Queues behaviours; each applies to the next request it matches, once. */
  failNext(...behaviours: FlexBehaviour[]): void {
    this.behaviours.push(...behaviours);
  }

  /**
   * From now on, fails a share of the requests that match `targets` (all, without targets), each in a
   * way picked at random from `behaviours`; scripted behaviours (failNext) still come first. undefined stops it.
   */
  setChaos(chaos: FlexChaos | undefined): void {
    this.chaos = chaos;
  }

  /** Serve at most this many items per page from now on, whatever PageSize asks (see `maxPageSize`). */
  setMaxPageSize(size: number): void {
    this.maxPageSize = size;
  }

  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  /**
   * Holds back every answer until the returned release() (the work is still done on arrival): a test can
   * see what the app does while Flex has answered nothing, however slow the machine.
   */
  holdAnswers(): () => void {
    const held: Array<() => void> = [];
    this.held = held;
    return () => {
      if (this.held === held) this.held = undefined;
      for (const answer of held.splice(0)) answer();
    };
  }

  commentsCreated(): number {
    return this.comments.length;
  }

  /** Forgets what happened (requests, comments, queued behaviours, latency, page size); keeps users, categories and segments. */
  reset(): void {
    this.requests.length = 0;
    this.comments.length = 0;
    this.scorecards.answers.length = 0;
    this.behaviours = [];
    this.latencyMs = this.options.latencyMs ?? 0;
    this.maxPageSize = this.options.maxPageSize ?? 1000;
    this.held = undefined;
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private receive(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    req.on('end', () => {
      const target = req.url ?? '/';
      const queryAt = target.indexOf('?');
      const rawQuery = queryAt < 0 ? '' : target.slice(queryAt + 1);
      const request: RecordedFlexRequest = {
        method: req.method ?? 'GET',
        path: new URL(target, this.baseUrl).pathname,
        query: new URLSearchParams(rawQuery),
        rawQuery,
        headers: req.headers,
        rawBody: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      this.requests.push(request);
      this.answer(request, res, this.takeBehaviour(request));
    });
  }

  private takeBehaviour(request: RecordedFlexRequest): FlexBehaviour | undefined {
    const index = this.behaviours.findIndex((behaviour) => appliesTo(behaviour, request));
    if (index >= 0) return this.behaviours.splice(index, 1)[0];
    const chaos = this.chaos;
    if (!chaos || !(chaos.targets ?? [{}]).some((target) => appliesTo(target, request))) return undefined;
    if (chaos.random() >= chaos.rate) return undefined;
    const picked = chaos.behaviours[Math.floor(chaos.random() * chaos.behaviours.length)];
    if (picked) this.chaosInjected.set(picked.name, (this.chaosInjected.get(picked.name) ?? 0) + 1);
    return picked?.behaviour;
  }

  private answer(request: RecordedFlexRequest, res: ServerResponse, behaviour: FlexBehaviour | undefined): void {
    if (behaviour && 'resetBeforeProcessing' in behaviour) {
      res.socket?.destroy();
      return;
    }
    if (behaviour && 'processAfterMs' in behaviour) {
      this.later(behaviour.processAfterMs, () => {
        this.route(request);
        res.socket?.destroy();
      });
      return;
    }
    const scripted = behaviour && 'status' in behaviour ? behaviour : undefined;
    // Flex does the work when the request arrives; latency and delays only hold back the answer.
    const routed = scripted && !scripted.processed ? undefined : this.route(request);
    const delay = this.latencyMs + (behaviour && 'delayMs' in behaviour ? behaviour.delayMs : 0);
    this.later(delay, () => {
      if (res.destroyed) return;
      if (behaviour && 'resetAfterProcessing' in behaviour) {
        res.socket?.destroy();
      } else if (scripted) {
        this.writeScripted(res, scripted);
      } else if (routed) {
        const body = JSON.stringify(routed.body);
        res.writeHead(routed.status, {
          ...twilioHeaders(),
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(body),
          ...routed.headers,
        });
        res.end(body);
      }
    });
  }

  private writeScripted(res: ServerResponse, scripted: Extract<FlexBehaviour, { status: number }>): void {
    const body = Buffer.from(scripted.body ?? '');
    res.writeHead(scripted.status, {
      ...twilioHeaders(),
      'content-type': 'application/json',
      'content-length': body.length,
      ...scripted.headers,
    });
    if (scripted.bodyDelayMs === undefined) {
      res.end(body);
      return;
    }
    const half = Math.floor(body.length / 2);
    res.write(body.subarray(0, half));
    this.later(scripted.bodyDelayMs, () => {
      if (!res.destroyed) res.end(body.subarray(half));
    });
  }

  private route(request: RecordedFlexRequest): FakeAnswer {
    const identity = this.credentials.identify(request.headers.authorization);
    if (!identity) {
      return {
        ...twilioError(401, 20003, 'Authenticate'),
        headers: { 'www-authenticate': 'Basic realm="Twilio API"' },
      };
    }
    const methods = this.routes[request.path];
    const scorecards = methods
      ? undefined
      : this.scorecards.route(request, identity, (items, key) => this.page(items, request, key));
    if (scorecards) return scorecards;
    if (!methods) return twilioError(404, 20404, `The requested resource ${request.path} was not found`);
    const route = methods[request.method];
    if (!route) return twilioError(405, 20004, 'Method not allowed');
    return route(request, identity);
  }

  private createComment(request: RecordedFlexRequest, identity: FlexIdentity): FakeAnswer {
    const outcome = commentFromRequest(request, { accountSid: this.accountSid, identity, tags: this.tags });
    if ('rejection' in outcome) return outcome.rejection;
    this.comments.push(outcome.comment);
    return { status: 201, body: outcome.comment };
  }

  private listSegments(request: RecordedFlexRequest): FakeAnswer {
    const segmentId = request.query.get('SegmentId');
    const segments = [...this.segments.values()]
      .filter((segment) => !segmentId || segment.segment_id === segmentId)
      .map((segment) => segmentJson(segment, this.insightsAccountId));
    return this.page(segments, request, 'segments');
  }

  private commentTags(): FakeAnswer {
    return {
      status: 200,
      body: {
        account_sid: this.accountSid,
        comments: this.tags.map((tag, index) => ({
          id: tag.id,
          name: tag.name,
          default: tag.default ?? false,
          sort: tag.sort ?? index,
        })),
        url: `${FLEX_PUBLIC_BASE}${COMMENT_TAGS_PATH}`,
      },
    };
  }

  private page(items: readonly unknown[], request: RecordedFlexRequest, key: string): FakeAnswer {
    return pageOf(items, request, key, { baseUrl: this.baseUrl, maxPageSize: this.maxPageSize });
  }

  /** Runs work after `ms`; the timer never keeps the process alive and close() cancels it. */
  private later(ms: number, work: () => void): void {
    if (this.held) {
      this.held.push(() => this.later(ms, work));
      return;
    }
    if (ms <= 0) {
      work();
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      work();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }
}
