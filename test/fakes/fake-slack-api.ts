import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { messageProblems, viewProblems } from './slack/block-kit-rules.js';

type Json = Record<string, unknown>;

/** One Web API call as the fake received it, with nested JSON arguments already parsed. */
export interface RecordedCall {
  method: string;
  args: Json;
  headers: IncomingMessage['headers'];
  at: number;
  /** What the fake answered. */
  result: Json;
}

export interface ResponseUrlPost {
  url: string;
  body: Json;
  at: number;
}

export interface FakeUser {
  id: string;
  name?: string;
  realName?: string;
  email?: string;
  teamId?: string;
  isBot?: boolean;
}

export interface FakeChannel {
  id: string;
  name: string;
  isMember?: boolean;
  isPrivate?: boolean;
}

export interface PostedMessage {
  channel: string;
  ts: string;
  threadTs?: string;
  text?: string;
  blocks?: unknown;
  user?: string;
  ephemeralFor?: string;
}

interface StoredView {
  view: Json;
  hash: string;
  userId?: string;
}

export interface Failure {
  error?: string;
  status?: number;
  retryAfterSeconds?: number;
  delayMs?: number;
}

const TRIGGER_TTL_MS = 3_000;
const RESPONSE_URL_TTL_MS = 30 * 60_000;
const RESPONSE_URL_USES = 5;
const JSON_ARGS = ['view', 'blocks', 'attachments', 'unfurls', 'metadata'];

/** The scope each method needs, as Slack checks it. */
const METHOD_SCOPES: Record<string, string[]> = {
  'chat.postMessage': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'chat.update': ['chat:write'],
  'users.info': ['users:read'],
  'users.lookupByEmail': ['users:read.email'],
  'conversations.info': ['channels:read'],
};

/**
 * A local Slack Web API for the app's WebClient, checking what Slack checks: bearer token, scopes,
 * trigger ids (3 s, single use), Block Kit limits, channel membership, response_url limits.
 */
export class FakeSlackApi {
  readonly recorded: RecordedCall[] = [];
  readonly responseUrlPosts: ResponseUrlPost[] = [];
  readonly messages: PostedMessage[] = [];
  readonly botToken: string;
  readonly teamId: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly appId = 'A0FLEXQM01';
  private readonly scopes: Set<string>;
  private readonly now: () => number;
  private readonly users = new Map<string, FakeUser>();
  private readonly channels = new Map<string, FakeChannel>();
  private readonly triggers = new Map<string, { issuedAt: number; used: boolean }>();
  private readonly responseUrls = new Map<string, { issuedAt: number; uses: number }>();
  private readonly views = new Map<string, StoredView>();
  private readonly failures = new Map<string, Failure[]>();
  private readonly waiters = new Set<() => void>();
  private tsCounter = 0;

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
    options: FakeSlackOptions,
  ) {
    this.botToken = options.botToken ?? 'xoxb-fake';
    this.teamId = options.teamId ?? 'T0FAKE001';
    this.botUserId = options.botUserId ?? 'U0BOT0001';
    this.botId = options.botId ?? 'B0BOT0001';
    this.scopes = new Set(options.scopes ?? ['chat:write', 'commands', 'users:read', 'users:read.email']);
    this.now = options.now ?? Date.now;
  }

  static async start(options: FakeSlackOptions = {}): Promise<FakeSlackApi> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const fake = new FakeSlackApi(server, `http://127.0.0.1:${port}`, options);
    server.on('request', (req, res) => {
      fake.handle(req, res).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
    });
    return fake;
  }

  /** The WebClient's slackApiUrl. */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  issueTriggerId(): string {
    const id = `${Math.floor(this.now() / 1000)}.${randomBytes(6).toString('hex')}`;
    this.triggers.set(id, { issuedAt: this.now(), used: false });
    return id;
  }

  newResponseUrl(): string {
    const id = randomBytes(8).toString('hex');
    this.responseUrls.set(id, { issuedAt: this.now(), uses: 0 });
    return `${this.baseUrl}/response/${id}`;
  }

  addUser(user: FakeUser): void {
    this.users.set(user.id, user);
  }

  addChannel(channel: FakeChannel): void {
    this.channels.set(channel.id, channel);
  }

  addMessage(channel: string, message: { ts: string; text?: string; user?: string; threadTs?: string }): void {
    this.messages.push({ channel, ...message });
  }

  failNext(method: string, failure: Failure): void {
    const queue = this.failures.get(method) ?? [];
    queue.push(failure);
    this.failures.set(method, queue);
  }

  calls(method?: string): RecordedCall[] {
    return method ? this.recorded.filter((call) => call.method === method) : [...this.recorded];
  }

  /** Resolves with the first call of `method` that matches, already made or still to come. */
  async waitForCall(
    method: string,
    matches: (call: RecordedCall) => boolean = () => true,
    timeoutMs = 3_000,
  ): Promise<RecordedCall> {
    return this.waitFor(
      () => this.recorded.find((call) => call.method === method && matches(call)),
      `${method} call`,
      timeoutMs,
    );
  }

  responsesTo(responseUrl: string): ResponseUrlPost[] {
    return this.responseUrlPosts.filter((post) => post.url === responseUrl);
  }

  async waitForResponse(responseUrl: string, timeoutMs = 3_000): Promise<ResponseUrlPost> {
    return this.waitFor(() => this.responsesTo(responseUrl)[0], `a post to ${responseUrl}`, timeoutMs);
  }

  messagesIn(channel: string): PostedMessage[] {
    return this.messages.filter((message) => message.channel === channel && !message.ephemeralFor);
  }

  /** The view as Slack holds it now (after opens, updates and pushes). */
  currentView(viewId: string): Json {
    const stored = this.views.get(viewId);
    if (!stored) throw new Error(`No view ${viewId}`);
    return stored.view;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async waitFor<T>(find: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    const found = find();
    if (found !== undefined) return found;
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const value = find();
        if (value === undefined) return;
        cleanup();
        resolve(value);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
    });
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', this.baseUrl);
    if (url.pathname.startsWith('/response/')) {
      this.handleResponseUrl(url, req, raw, res);
      return;
    }
    const method = url.pathname.replace(/^\/api\//, '');
    const args = parseArgs(req.headers['content-type'], raw);
    const failure = this.failures.get(method)?.shift();
    if (failure?.delayMs) await new Promise((resolve) => setTimeout(resolve, failure.delayMs));

    let status = 200;
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    let result: Json;
    if (req.method !== 'POST') {
      result = { ok: false, error: 'method_not_supported_for_channel_type' };
    } else if (failure?.status === 429 || failure?.retryAfterSeconds !== undefined) {
      status = 429;
      headers['retry-after'] = String(failure.retryAfterSeconds ?? 1);
      result = { ok: false, error: 'ratelimited' };
    } else if (failure?.status) {
      status = failure.status;
      result = { ok: false, error: 'internal_error' };
    } else if (failure?.error) {
      result = { ok: false, error: failure.error };
    } else {
      result = this.call(method, args, req.headers.authorization);
    }
    this.recorded.push({ method, args, headers: req.headers, at: this.now(), result });
    res.writeHead(status, headers);
    res.end(JSON.stringify(result));
    this.notify();
  }

  private call(method: string, args: Json, authorization: string | undefined): Json {
    const token =
      authorization?.replace(/^Bearer\s+/i, '') ?? (typeof args.token === 'string' ? args.token : undefined);
    if (!token) return { ok: false, error: 'not_authed' };
    if (token !== this.botToken) return { ok: false, error: 'invalid_auth' };
    const needed = METHOD_SCOPES[method] ?? [];
    const missing = needed.filter((scope) => !this.scopes.has(scope));
    if (missing.length > 0) {
      return { ok: false, error: 'missing_scope', needed: missing.join(','), provided: [...this.scopes].join(',') };
    }
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://acme.slack.com/',
          team: 'Acme',
          user: 'flex_qm',
          team_id: this.teamId,
          user_id: this.botUserId,
          bot_id: this.botId,
          is_enterprise_install: false,
        };
      case 'views.open':
        return this.viewsOpen(args);
      case 'views.update':
        return this.viewsUpdate(args);
      case 'views.push':
        return this.viewsOpen(args);
      case 'views.publish':
        return this.store(args.view, String(args.user_id ?? ''));
      case 'chat.postMessage':
        return this.postMessage(args);
      case 'chat.postEphemeral':
        return this.postEphemeral(args);
      case 'users.info':
        return this.usersInfo(args);
      case 'users.lookupByEmail': {
        const user = [...this.users.values()].find(
          (u) => u.email?.toLowerCase() === String(args.email ?? '').toLowerCase(),
        );
        return user ? { ok: true, user: this.userJson(user, true) } : { ok: false, error: 'users_not_found' };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  private viewsOpen(args: Json): Json {
    const triggerId = String(args.trigger_id ?? '');
    const trigger = this.triggers.get(triggerId);
    if (!trigger) return { ok: false, error: 'invalid_trigger_id' };
    if (trigger.used) return { ok: false, error: 'exchanged_trigger_id' };
    if (this.now() - trigger.issuedAt > TRIGGER_TTL_MS) return { ok: false, error: 'expired_trigger_id' };
    const stored = this.store(args.view);
    if (stored.ok) trigger.used = true;
    return stored;
  }

  private viewsUpdate(args: Json): Json {
    const viewId = typeof args.view_id === 'string' ? args.view_id : this.findByExternalId(args.external_id);
    const current = viewId ? this.views.get(viewId) : undefined;
    if (!viewId || !current) return { ok: false, error: 'not_found' };
    if (typeof args.hash === 'string' && args.hash !== current.hash) return { ok: false, error: 'hash_conflict' };
    return this.store(args.view, current.userId, viewId, current.view);
  }

  private findByExternalId(externalId: unknown): string | undefined {
    if (typeof externalId !== 'string') return undefined;
    return [...this.views.entries()].find(([, stored]) => stored.view.external_id === externalId)?.[0];
  }

  private store(view: unknown, userId?: string, existingId?: string, previous?: Json): Json {
    const problems = viewProblems(view);
    if (problems.length > 0) return invalidArguments(problems);
    if (JSON.stringify(view).length > 250_000) return { ok: false, error: 'view_too_large' };
    const id = existingId ?? `V${randomBytes(5).toString('hex').toUpperCase()}`;
    const hash = `${Math.floor(this.now() / 1000)}.${randomBytes(4).toString('hex')}`;
    const stored: Json = {
      ...(view as Json),
      id,
      team_id: this.teamId,
      app_id: this.appId,
      bot_id: this.botId,
      hash,
      // Slack keeps what was typed in inputs whose block and action ids survive an update.
      state: { values: previous ? ((previous.state as Json | undefined)?.values ?? {}) : {} },
      root_view_id: (previous?.root_view_id as string | undefined) ?? id,
      previous_view_id: null,
      private_metadata: (view as Json).private_metadata ?? '',
      callback_id: (view as Json).callback_id ?? '',
    };
    this.views.set(id, { view: stored, hash, ...(userId ? { userId } : {}) });
    return { ok: true, view: stored };
  }

  private postMessage(args: Json): Json {
    const problems = messageProblems(args);
    if (problems.length > 0) return invalidArguments(problems);
    const channel = String(args.channel ?? '');
    let target = channel;
    if (/^[UW]/.test(channel)) {
      if (!this.users.has(channel)) return { ok: false, error: 'channel_not_found' };
      target = `D${channel.slice(1)}`;
    } else {
      const known = this.channels.get(channel);
      if (!known) return { ok: false, error: 'channel_not_found' };
      if (!known.isMember) return { ok: false, error: 'not_in_channel' };
    }
    const threadTs = typeof args.thread_ts === 'string' ? args.thread_ts : undefined;
    if (threadTs !== undefined && !/^\d{10}\.\d{6}$/.test(threadTs)) return { ok: false, error: 'invalid_thread_ts' };
    const ts = this.nextTs();
    const message: PostedMessage = {
      channel: target,
      ts,
      user: this.botUserId,
      ...(threadTs ? { threadTs } : {}),
      ...(typeof args.text === 'string' ? { text: args.text } : {}),
      ...(args.blocks !== undefined ? { blocks: args.blocks } : {}),
    };
    this.messages.push(message);
    return { ok: true, channel: target, ts, message: { type: 'message', ...message, bot_id: this.botId } };
  }

  private postEphemeral(args: Json): Json {
    const problems = messageProblems(args);
    if (problems.length > 0) return invalidArguments(problems);
    const channel = this.channels.get(String(args.channel ?? ''));
    if (!channel) return { ok: false, error: 'channel_not_found' };
    if (!channel.isMember) return { ok: false, error: 'not_in_channel' };
    const user = String(args.user ?? '');
    if (!this.users.has(user)) return { ok: false, error: 'user_not_in_channel' };
    const ts = this.nextTs();
    this.messages.push({
      channel: channel.id,
      ts,
      ephemeralFor: user,
      ...(typeof args.text === 'string' ? { text: args.text } : {}),
      blocks: args.blocks,
    });
    return { ok: true, message_ts: ts };
  }

  private usersInfo(args: Json): Json {
    const user = this.users.get(String(args.user ?? ''));
    if (!user) return { ok: false, error: 'user_not_found' };
    return { ok: true, user: this.userJson(user, this.scopes.has('users:read.email')) };
  }

  private userJson(user: FakeUser, withEmail: boolean): Json {
    return {
      id: user.id,
      team_id: user.teamId ?? this.teamId,
      name: user.name ?? user.id.toLowerCase(),
      real_name: user.realName ?? user.name ?? user.id,
      deleted: false,
      is_bot: user.isBot ?? false,
      profile: {
        real_name: user.realName ?? user.name ?? user.id,
        display_name: user.name ?? '',
        ...(withEmail && user.email ? { email: user.email } : {}),
      },
    };
  }

  private handleResponseUrl(url: URL, req: IncomingMessage, raw: string, res: ServerResponse): void {
    const entry = this.responseUrls.get(url.pathname.replace('/response/', ''));
    let body: Json | undefined;
    try {
      body = JSON.parse(raw) as Json;
    } catch {
      body = undefined;
    }
    const refusal = !entry
      ? ([404, 'no_active_hooks'] as const)
      : this.now() - entry.issuedAt > RESPONSE_URL_TTL_MS
        ? ([404, 'expired_url'] as const)
        : entry.uses >= RESPONSE_URL_USES
          ? ([404, 'used_url'] as const)
          : req.headers['content-type']?.split(';')[0] !== 'application/json' || !body
            ? ([400, 'invalid_payload'] as const)
            : messageProblems(body).length > 0
              ? ([400, 'invalid_blocks'] as const)
              : undefined;
    if (refusal || !entry || !body) {
      const [status, text] = refusal ?? [400, 'invalid_payload'];
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(text);
      return;
    }
    entry.uses += 1;
    this.responseUrlPosts.push({ url: `${this.baseUrl}${url.pathname}`, body, at: this.now() });
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('ok');
    this.notify();
  }

  private nextTs(): string {
    this.tsCounter += 1;
    return `${Math.floor(this.now() / 1000)}.${String(this.tsCounter).padStart(6, '0')}`;
  }
}

export interface FakeSlackOptions {
  botToken?: string;
  teamId?: string;
  botUserId?: string;
  botId?: string;
  scopes?: string[];
  now?: () => number;
}

function invalidArguments(messages: string[]): Json {
  return { ok: false, error: 'invalid_arguments', response_metadata: { messages } };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** WebClient sends a form whose nested arguments are JSON strings; some clients send JSON. */
function parseArgs(contentType: string | undefined, raw: string): Json {
  if (contentType?.startsWith('application/json')) {
    try {
      return JSON.parse(raw) as Json;
    } catch {
      return {};
    }
  }
  const args: Json = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    if (JSON_ARGS.includes(key)) {
      try {
        args[key] = JSON.parse(value);
        continue;
      } catch {
        // Slack reports unparseable JSON arguments as invalid; keeping the string makes that happen.
      }
    }
    args[key] = value;
  }
  return args;
}
