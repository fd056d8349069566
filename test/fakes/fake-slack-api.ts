/**
 * A local Slack for the app's WebClient and `respond()`: a real HTTP server that checks what Slack
 * checks (bearer token, scopes, trigger ids, Block Kit limits, channel membership, response_url limits),
 * records every call, and lets a test script failures. Method rules live in `./slack/`.
 *
 * Choices where Slack leaves room:
 * - Only POST is served (WebClient only POSTs); anything else gets 405 `method_not_allowed`.
 * - `thread_ts` must be shaped like a ts (`invalid_thread_ts` otherwise) but its parent need not exist.
 * - A trigger is spent only by a views.open or views.push that succeeds.
 * - Channels have the bot as a member unless added with `isMember: false`.
 *
 * Several teams (workspaces) can be served at once, each with its own people, channels, messages,
 * views and bot; with `oauth`, a team gets its bot token by installing the app (see `./slack/oauth.ts`),
 * and a token works only in its own team. Teams can belong to an Enterprise Grid org (`addEnterprise`);
 * an org-wide install's token works in every team of the org: a call names its team with `team_id`
 * (Bolt's request clients add it), or the fake finds the team by what the call names (trigger, view,
 * channel, user, email), as Slack does for org-wide ids; a team outside the org is refused.
 *
 * With `socketMode`, the app can run in Socket Mode: apps.connections.open takes the app-level token and
 * answers the URL of the fake's WebSocket server (`./slack/socket-mode.ts`), which then carries what
 * Slack would have posted to the app. The app-level token works for nothing else (`not_allowed_token_type`).
 */
import { randomBytes } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { listenOnLoopback, type ServeOptions } from './serve.js';
import { messageBlockProblems } from './slack/block-kit-rules.js';
import { type Bot, METHODS, type MethodContext } from './slack/methods.js';
import { type Installer, OAuthApp, type OAuthAppOptions } from './slack/oauth.js';
import { FakeSocketMode, type SocketModeOptions } from './slack/socket-mode.js';
import { type SlackView, ViewStore } from './slack/views.js';
import { failure, isObject, type Json, parseBody, readBody, sendJson, stringArg } from './slack/wire.js';
import { type FakeChannel, type FakeFile, type FakeUser, type PostedMessage, Workspace } from './slack/workspace.js';

export type { SlackView } from './slack/views.js';
export type { FakeChannel, FakeFile, FakeUser, PostedMessage } from './slack/workspace.js';
export type { Json };

export interface FakeSlackOptions extends ServeOptions {
  botToken?: string;
  teamId?: string;
  /** The workspace's subdomain, used in auth.test's url and in permalinks. */
  teamDomain?: string;
  botUserId?: string;
  botId?: string;
  appId?: string;
  /** The bot token's granted scopes. */
  scopes?: string[];
  /** The fake's clock (ms), for trigger and response_url expiry without sleeping. */
  now?: () => number;
  /** The app can be installed by OAuth: oauth.v2.access with these credentials. */
  oauth?: OAuthAppOptions;
  /** The app can connect in Socket Mode with this app-level token (see `./slack/socket-mode.ts`). */
  socketMode?: Omit<SocketModeOptions, 'appId'>;
  /**
   * Given, each Web API call goes here as it is answered instead of being kept for `calls()` and
   * `waitForCall`, which then find none: a load test sees every call without the fake holding thousands
   * of views in memory.
   */
  onCall?: (call: RecordedCall) => void;
}

/** Another workspace, with its own bot user once the app is installed there. */
export interface FakeTeam {
  teamId: string;
  /** The Enterprise Grid org the team belongs to (add it first with addEnterprise). */
  enterpriseId?: string;
  teamDomain?: string;
  teamName?: string;
  botUserId?: string;
  botId?: string;
  scopes?: string[];
}

interface TeamSpace {
  bot: Bot;
  teamName: string;
  enterpriseId?: string;
  workspace: Workspace;
  views: ViewStore;
}

/** One Web API call as the fake received it, with nested JSON arguments already parsed. */
export interface RecordedCall {
  method: string;
  args: Json;
  headers: IncomingHttpHeaders;
  /** The team whose token made the call (undefined when the token was refused or none was needed). */
  teamId?: string;
  /** Set when the call was made with an org-wide install's token: the org. */
  enterpriseId?: string;
  /** When the request arrived, before its body was read and checked (so load tests time the sender, not the fake). */
  at: number;
  status: number;
  /** What the fake answered. */
  result: Json;
}

export interface ResponseUrlPost {
  url: string;
  body: Json;
  at: number;
  /** 200 when Slack would have accepted the post. */
  status: number;
}

/** Scripted trouble for the next call of a method (or `'response_url'` for the next response_url post). */
export interface Failure {
  /** Answer `{ok:false, error}` with status 200, as Slack does for platform errors. */
  error?: string;
  /** Answer with this HTTP status (a 429 also gets Retry-After). */
  status?: number;
  /** Answer 429 with this Retry-After; implies status 429. */
  retryAfterSeconds?: number;
  /** Wait this long before answering (alone: then answer normally). */
  delayMs?: number;
}

interface ResponseUrlEntry {
  issuedAt: number;
  uses: number;
  channel?: string;
  userId?: string;
  teamId?: string;
  /** The message whose interaction the URL came with: `replace_original` and `delete_original` act on it. */
  messageTs?: string;
}

interface FakeOrg {
  enterpriseId: string;
  enterpriseName: string;
  domain: string;
  botUserId: string;
  botId: string;
}

/** auth.test with an org-wide install's token: the org, not a team. */
function orgAuthTest(org: FakeOrg): Json {
  return {
    ok: true,
    url: `https://${org.domain}.enterprise.slack.com/`,
    team: org.enterpriseName,
    user: 'qm_bot',
    team_id: org.enterpriseId,
    user_id: org.botUserId,
    bot_id: org.botId,
    enterprise_id: org.enterpriseId,
    is_enterprise_install: true,
  };
}

const RESPONSE_URL_TTL_MS = 30 * 60_000;
const RESPONSE_URL_USES = 5;
/**
 * How long a wait for a call gives up after. Generous: test files run in parallel, and on a loaded machine
 * an answer can take seconds; a wait returns as soon as the call comes, so passing tests never wait it out.
 */
const DEFAULT_WAIT_MS = 15_000;

export class FakeSlackApi {
  readonly botToken: string;
  readonly teamId: string;
  readonly teamDomain: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly appId: string;
  readonly scopes: ReadonlySet<string>;
  private readonly now: () => number;
  private readonly workspace: Workspace;
  private readonly viewStore: ViewStore;
  private readonly recorded: RecordedCall[] = [];
  private readonly onCall: ((call: RecordedCall) => void) | undefined;
  private readonly responsePosts: ResponseUrlPost[] = [];
  private readonly responseUrls = new Map<string, ResponseUrlEntry>();
  private readonly failures = new Map<string, Failure[]>();
  private readonly waiters = new Set<{ check(): void; fail(error: Error): void }>();
  private readonly delays = new Set<NodeJS.Timeout>();
  private readonly teams = new Map<string, TeamSpace>();
  private readonly orgs = new Map<string, FakeOrg>();
  /** Present when the fake was started with `oauth`: codes, installed teams' tokens, refresh tokens. */
  readonly oauth: OAuthApp | undefined;
  /** Present when the fake was started with `socketMode`: Slack's side of the app's WebSocket connections. */
  socketMode: FakeSocketMode | undefined;

  private constructor(
    private readonly server: Server,
    /** `http://127.0.0.1:PORT` */
    readonly baseUrl: string,
    options: FakeSlackOptions,
  ) {
    this.onCall = options.onCall;
    this.botToken = options.botToken ?? 'xoxb-fake';
    this.teamId = options.teamId ?? 'T0FAKE001';
    this.teamDomain = options.teamDomain ?? 'acme';
    this.botUserId = options.botUserId ?? 'U0BOT0001';
    this.botId = options.botId ?? 'B0BOT0001';
    this.appId = options.appId ?? 'A0FLEXQM01';
    this.scopes = new Set(options.scopes ?? ['chat:write', 'commands', 'users:read', 'users:read.email']);
    this.now = options.now ?? Date.now;
    this.workspace = new Workspace({ now: () => this.now() });
    this.viewStore = new ViewStore({
      teamId: this.teamId,
      appId: this.appId,
      botId: this.botId,
      now: () => this.now(),
    });
    this.teams.set(this.teamId, {
      bot: this.bot(),
      teamName: 'Acme',
      workspace: this.workspace,
      views: this.viewStore,
    });
    this.oauth = options.oauth ? new OAuthApp(options.oauth, () => this.now()) : undefined;
  }

  static async start(options: FakeSlackOptions = {}): Promise<FakeSlackApi> {
    const server = createServer();
    const fake = new FakeSlackApi(server, await listenOnLoopback(server, options.port), options);
    if (options.socketMode) fake.socketMode = await FakeSocketMode.start({ ...options.socketMode, appId: fake.appId });
    server.on('request', (req, res) => {
      if (options.intercept?.(req, res)) return;
      fake.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) sendJson(res, 500, failure('fatal_error', { detail: String(error) }));
      });
    });
    return fake;
  }

  /** What to give WebClient as `slackApiUrl`. */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  // --- Setup -------------------------------------------------------------------------------------

  /** A trigger as Slack puts in a command or interaction: 3 s to use, once. `viewId`: pushed onto that view's stack. */
  issueTriggerId(options: { viewId?: string; teamId?: string } = {}): string {
    return this.space(options.teamId).views.issueTrigger(options.viewId);
  }

  /**
   * A modal opened as views.open would open it with a fresh trigger, checked by the same rules, without
   * an HTTP round trip: for load runs that need thousands of open modals.
   */
  openView(view: unknown, teamId?: string): SlackView {
    const space = this.space(teamId);
    const result = space.views.open({ trigger_id: space.views.issueTrigger(), view: JSON.parse(JSON.stringify(view)) });
    if (result.ok !== true) throw new Error(`views.open failed: ${String(result.error)}`);
    return result.view as SlackView;
  }

  /** Another workspace the app can be installed in (with OAuth) or used from. */
  addTeam(team: FakeTeam): void {
    const bot: Bot = {
      token: '',
      teamId: team.teamId,
      teamDomain: team.teamDomain ?? team.teamId.toLowerCase(),
      botUserId: team.botUserId ?? `U0BOT${team.teamId.slice(-4)}`,
      botId: team.botId ?? `B0BOT${team.teamId.slice(-4)}`,
      appId: this.appId,
      scopes: new Set(team.scopes ?? [...this.scopes]),
    };
    const now = () => this.now();
    if (team.enterpriseId && !this.orgs.has(team.enterpriseId)) {
      throw new Error(`The fake Slack has no org ${team.enterpriseId}; add it with addEnterprise first`);
    }
    this.teams.set(team.teamId, {
      bot,
      teamName: team.teamName ?? team.teamId,
      ...(team.enterpriseId ? { enterpriseId: team.enterpriseId } : {}),
      workspace: new Workspace({ now }),
      views: new ViewStore({ teamId: bot.teamId, appId: bot.appId, botId: bot.botId, now }),
    });
  }

  /** An Enterprise Grid org; its teams are added with addTeam({ enterpriseId }). */
  addEnterprise(org: { enterpriseId: string; enterpriseName?: string; domain?: string }): void {
    const suffix = org.enterpriseId.slice(-4);
    this.orgs.set(org.enterpriseId, {
      enterpriseId: org.enterpriseId,
      enterpriseName: org.enterpriseName ?? org.enterpriseId,
      domain: org.domain ?? org.enterpriseId.toLowerCase(),
      botUserId: `U0BOT${suffix}`,
      botId: `B0BOT${suffix}`,
    });
  }

  /** The bot user of a team's installation, or of an org-wide install (what oauth.v2.access answers as bot_user_id). */
  botUserOf(teamOrOrgId: string): string {
    return this.orgs.get(teamOrOrgId)?.botUserId ?? this.space(teamOrOrgId).bot.botUserId;
  }

  /**
   * A person in `teamId` opens the app's authorize link (where /slack/install sent the browser) and
   * clicks Allow; returns where Slack sends the browser next: the redirect URL with code and state.
   */
  approveInstall(authorizeUrl: string, who: Installer): string {
    if (!this.oauth) throw new Error('Start the fake with `oauth` to install by OAuth');
    if ('orgWide' in who) this.org(who.enterpriseId);
    else this.space(who.teamId);
    return this.oauth.approve(authorizeUrl, who);
  }

  /** The team's (or, for an org-wide install, the org's) newest bot token issued by OAuth. */
  botTokenOf(teamId: string): string | undefined {
    return this.oauth?.currentToken(teamId) ?? (teamId === this.teamId ? this.botToken : undefined);
  }

  /** Time passes for a team's rotating tokens: they are expired from now on (refresh tokens still work). */
  expireTokensOf(teamId: string): void {
    for (const token of this.oauth?.tokens.values() ?? []) {
      if (token.teamId === teamId) token.expiresAt = this.now() - 1;
    }
  }

  /** The team removes the app: its tokens stop working (Slack then sends app_uninstalled). */
  uninstall(teamId: string): void {
    this.oauth?.revokeAll(teamId);
  }

  /**
   * A response_url: 5 posts within 30 minutes. Bound to a channel (and user), its `in_channel` posts
   * become messages there and its ephemeral ones ephemeral messages for the user. Bound to a message too
   * (`messageTs`, as the URL of a click on that message is), `replace_original: true` replaces it and
   * `delete_original: true` removes it, ephemeral or not
   * (https://docs.slack.dev/interactivity/handling-user-interaction#message_responses).
   */
  newResponseUrl(options: { channel?: string; userId?: string; teamId?: string; messageTs?: string } = {}): string {
    const id = randomBytes(12).toString('hex');
    this.responseUrls.set(id, { issuedAt: this.now(), uses: 0, ...options });
    return `${this.baseUrl}/response/${id}`;
  }

  /** A person, in their team's workspace (`teamId`; the first team when left out). */
  addUser(user: FakeUser): void {
    this.space(user.teamId).workspace.users.set(user.id, user);
  }

  /** A user group (S…) and its members, for usergroups.users.list. */
  setUsergroup(id: string, members: string[]): void {
    this.workspace.usergroups.set(id, [...members]);
  }

  addChannel(channel: FakeChannel, teamId?: string): void {
    this.space(teamId).workspace.channels.set(channel.id, channel);
  }

  /** A message already in a conversation (e.g. the one a shortcut runs on). */
  addMessage(
    channel: string,
    message: { ts: string; text?: string; user?: string; threadTs?: string; blocks?: unknown[] },
  ): void {
    const conversation = this.workspace.resolve(channel);
    if (!conversation) throw new Error(`addMessage: no channel or user "${channel}"; add it first`);
    this.workspace.messages.push({ ...message, channel: conversation.id, via: 'seed' });
  }

  /** Queues trouble for the next call of `method`; several queue up in order. */
  failNext(method: string, trouble: Failure): void {
    const queue = this.failures.get(method) ?? [];
    queue.push(trouble);
    this.failures.set(method, queue);
  }

  // --- Inspection --------------------------------------------------------------------------------

  calls(method?: string): RecordedCall[] {
    return this.recorded.filter((call) => method === undefined || call.method === method);
  }

  /** The first call of `method` that matches, already made or still to come. */
  waitForCall(
    method: string,
    matches: (call: RecordedCall) => boolean = () => true,
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<RecordedCall> {
    return this.waitFor(
      () => this.recorded.find((call) => call.method === method && matches(call)),
      `a ${method} call`,
      timeoutMs,
    );
  }

  /** Messages everyone in the conversation sees (a channel id, `#name`, user id for their DM, or DM id). */
  messagesIn(channel: string, teamId?: string): PostedMessage[] {
    const { workspace } = this.space(teamId);
    const id = workspace.resolve(channel)?.id ?? channel;
    return workspace.messages.filter((m) => m.channel === id && !m.ephemeralFor);
  }

  /** Every message the team's conversations hold, ephemeral ones included, oldest first. */
  allMessages(teamId?: string): PostedMessage[] {
    return [...this.space(teamId).workspace.messages];
  }

  /** Ephemeral messages in a conversation, each with `ephemeralFor`. */
  ephemeralsIn(channel: string, teamId?: string): PostedMessage[] {
    const { workspace } = this.space(teamId);
    const id = workspace.resolve(channel)?.id ?? channel;
    return workspace.messages.filter((m) => m.channel === id && m.ephemeralFor !== undefined);
  }

  waitForMessage(
    channel: string,
    matches: (message: PostedMessage) => boolean = () => true,
    timeoutMs = DEFAULT_WAIT_MS,
    teamId?: string,
  ): Promise<PostedMessage> {
    return this.waitFor(
      () => this.messagesIn(channel, teamId).find(matches),
      `a message in ${channel}${teamId ? ` of ${teamId}` : ''}`,
      timeoutMs,
    );
  }

  /** Every post to any response_url, refused ones included (status ≠ 200), in order. */
  allResponsePosts(): ResponseUrlPost[] {
    return [...this.responsePosts];
  }

  /** How many response_url posts Slack accepted in all (cheap, for load tests). */
  responsesAccepted(): number {
    return this.responsePosts.reduce((count, post) => count + (post.status === 200 ? 1 : 0), 0);
  }

  responsesTo(responseUrl: string): ResponseUrlPost[] {
    return this.responsePosts.filter((post) => post.url === responseUrl && post.status === 200);
  }

  /** Every post to a response_url, refused ones included (status ≠ 200). */
  responseAttempts(responseUrl: string): ResponseUrlPost[] {
    return this.responsePosts.filter((post) => post.url === responseUrl);
  }

  waitForResponse(responseUrl: string, timeoutMs = DEFAULT_WAIT_MS): Promise<ResponseUrlPost> {
    return this.waitFor(() => this.responsesTo(responseUrl)[0], `a post to ${responseUrl}`, timeoutMs);
  }

  /** Every file the app reserved, uploaded or shared in a team, in the order reserved. */
  files(teamId?: string): FakeFile[] {
    return [...this.space(teamId).workspace.files.values()];
  }

  /** Every view Slack holds now, by id: what each modal or Home tab shows. */
  get views(): ReadonlyMap<string, SlackView> {
    return new Map([...this.teams.values()].flatMap((team) => [...team.views.all()]));
  }

  /** The view as it shows now (after opens, updates and pushes). */
  currentView(viewId: string): SlackView {
    const view = [...this.teams.values()].map((team) => team.views.get(viewId)).find(Boolean);
    if (!view) throw new Error(`No view ${viewId}`);
    return view;
  }

  async close(): Promise<void> {
    await this.socketMode?.close();
    for (const timer of this.delays) clearTimeout(timer);
    this.delays.clear();
    for (const waiter of [...this.waiters]) waiter.fail(new Error('The fake Slack API was closed'));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // --- Serving -----------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrivedAt = this.now();
    const url = new URL(req.url ?? '/', this.baseUrl);
    if (url.pathname.startsWith('/upload/v1/')) {
      await this.handleUpload(url.pathname.slice('/upload/v1/'.length), req, res);
      return;
    }
    const raw = await readBody(req);
    if (url.pathname.startsWith('/response/')) {
      await this.handleResponseUrl(url, req, raw, res);
    } else if (url.pathname.startsWith('/api/')) {
      await this.handleApi(url.pathname.slice('/api/'.length), req, raw, res, arrivedAt);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    }
  }

  private async handleApi(
    method: string,
    req: IncomingMessage,
    raw: string,
    res: ServerResponse,
    arrivedAt: number,
  ): Promise<void> {
    const trouble = this.failures.get(method)?.shift();
    if (trouble?.delayMs) await this.sleep(trouble.delayMs);
    const parsed = parseBody(req.headers['content-type'], raw);
    const args = parsed.ok ? parsed.args : {};
    let status = 200;
    let result: Json;
    let headers: Record<string, string> = {};
    let teamId: string | undefined;
    let enterpriseId: string | undefined;
    if (req.method !== 'POST') {
      status = 405;
      result = failure('method_not_allowed');
    } else if (trouble?.status === 429 || trouble?.retryAfterSeconds !== undefined) {
      status = 429;
      headers = { 'retry-after': String(trouble.retryAfterSeconds ?? 1) };
      result = failure('ratelimited');
    } else if (trouble?.status !== undefined) {
      status = trouble.status;
      result = failure(trouble.error ?? 'internal_error');
    } else if (trouble?.error !== undefined) {
      result = failure(trouble.error);
    } else if (!parsed.ok) {
      result = failure(parsed.error);
    } else {
      ({ result, headers, teamId, enterpriseId } = this.answer(
        method,
        args,
        req.headers.authorization,
        parsed.viaJson,
      ));
    }
    const call: RecordedCall = {
      method,
      args,
      headers: req.headers,
      ...(teamId ? { teamId } : {}),
      ...(enterpriseId ? { enterpriseId } : {}),
      at: arrivedAt,
      status,
      result,
    };
    if (this.onCall) this.onCall(call);
    else this.recorded.push(call);
    sendJson(res, status, result, headers);
    this.notify();
  }

  private answer(
    method: string,
    args: Json,
    authorization: string | undefined,
    viaJson: boolean,
  ): { result: Json; headers: Record<string, string>; teamId?: string; enterpriseId?: string } {
    if (method === 'oauth.v2.access') return { result: this.oauthAccess(args, authorization), headers: {} };
    if (method === 'apps.connections.open') {
      if (!this.socketMode) return { result: failure('invalid_auth'), headers: {} };
      return this.socketMode.connectionsOpen(args, authorization, (token) => !('error' in this.teamOfToken(token)));
    }
    const spec = METHODS.get(method);
    if (!spec) return { result: failure('unknown_method', { req_method: method }), headers: {} };
    // Slack takes the token from the header, or from a form field; JSON bodies must use the header.
    const bearer = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    const token = bearer ?? (viaJson || typeof args.token !== 'string' ? undefined : args.token);
    if (!token) return { result: failure('not_authed'), headers: {} };
    const holder = this.teamOfToken(token);
    if ('error' in holder) return { result: failure(holder.error), headers: {} };
    let team: TeamSpace;
    let org: FakeOrg | undefined;
    if ('org' in holder) {
      org = holder.org;
      if (method === 'auth.test') return { result: orgAuthTest(org), headers: {} };
      const found = this.teamOfOrgCall(org, args);
      if ('error' in found) return { result: failure(found.error), headers: {} };
      team = found.space;
    } else team = holder.space;
    const bot = org ? { ...team.bot, botUserId: org.botUserId, botId: org.botId } : team.bot;
    const ctx: MethodContext = {
      bot: { ...bot, token },
      workspace: team.workspace,
      views: team.views,
      baseUrl: this.baseUrl,
      viaJson,
    };
    const needed = spec.scope?.(args, ctx);
    const scopes = team.bot.scopes;
    const headers: Record<string, string> = {
      'x-oauth-scopes': [...scopes].join(','),
      ...(needed ? { 'x-accepted-oauth-scopes': needed } : {}),
    };
    const teamId = team.bot.teamId;
    const who = org ? { teamId, enterpriseId: org.enterpriseId } : { teamId };
    if (needed && !scopes.has(needed)) {
      return { result: failure('missing_scope', { needed, provided: [...scopes].join(',') }), headers, ...who };
    }
    return { result: spec.run(args, ctx), headers, ...who };
  }

  /** The team a token works in (or the org, for an org-wide install's), or Slack's reason it does not. */
  private teamOfToken(token: string): { space: TeamSpace } | { org: FakeOrg } | { error: string } {
    // An app-level token only opens Socket Mode connections.
    if (token === this.socketMode?.appToken) return { error: 'not_allowed_token_type' };
    if (token === this.botToken) return { space: this.space() };
    const issued = this.oauth?.tokens.get(token);
    if (!issued) return { error: 'invalid_auth' };
    if (issued.revoked) return { error: 'token_revoked' };
    if (issued.expiresAt !== undefined && this.now() > issued.expiresAt) return { error: 'token_expired' };
    return issued.orgWide ? { org: this.org(issued.teamId) } : { space: this.space(issued.teamId) };
  }

  /**
   * Which of the org's teams an org-wide token's call is about: the one `team_id` names (a team outside the
   * org is refused), else the one that knows the trigger, view, channel, user or email the call names; a
   * call that names nothing of a team's goes to the org's first team (user look-ups span the whole org).
   */
  private teamOfOrgCall(org: FakeOrg, args: Json): { space: TeamSpace } | { error: string } {
    const teams = [...this.teams.values()].filter((space) => space.enterpriseId === org.enterpriseId);
    const named = stringArg(args, 'team_id');
    if (named) {
      const space = teams.find((candidate) => candidate.bot.teamId === named);
      return space ? { space } : { error: 'team_access_not_granted' };
    }
    const knows = (space: TeamSpace): boolean => {
      const trigger = stringArg(args, 'trigger_id');
      const viewId = stringArg(args, 'view_id');
      const channel = stringArg(args, 'channel');
      const user = stringArg(args, 'user') ?? stringArg(args, 'user_id');
      const email = stringArg(args, 'email');
      return (
        (trigger !== undefined && space.views.hasTrigger(trigger)) ||
        (viewId !== undefined && space.views.get(viewId) !== undefined) ||
        (channel !== undefined && space.workspace.resolve(channel) !== undefined) ||
        (user !== undefined && space.workspace.users.has(user)) ||
        (email !== undefined && [...space.workspace.users.values()].some((u) => u.email === email))
      );
    };
    const space = teams.find(knows) ?? teams[0];
    return space ? { space } : { error: 'team_not_found' };
  }

  /** oauth.v2.access takes the app's credentials (form fields or HTTP Basic), not a token. */
  private oauthAccess(args: Json, authorization: string | undefined): Json {
    if (!this.oauth) return failure('invalid_client_id');
    const basic = authorization?.match(/^Basic\s+(\S+)$/i)?.[1];
    const [id, secret] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':') : [];
    return this.oauth.access(
      args,
      id !== undefined && secret !== undefined ? { id, secret } : undefined,
      (teamId) => {
        const team = this.space(teamId);
        const org = team.enterpriseId ? this.org(team.enterpriseId) : undefined;
        return {
          teamId,
          teamName: team.teamName,
          botUserId: team.bot.botUserId,
          appId: this.appId,
          ...(org ? { enterprise: { id: org.enterpriseId, name: org.enterpriseName } } : {}),
        };
      },
      (enterpriseId) => {
        const org = this.org(enterpriseId);
        return { enterpriseId, enterpriseName: org.enterpriseName, botUserId: org.botUserId, appId: this.appId };
      },
    );
  }

  private org(enterpriseId: string): FakeOrg {
    const org = this.orgs.get(enterpriseId);
    if (!org) throw new Error(`The fake Slack has no org ${enterpriseId}; add it with addEnterprise first`);
    return org;
  }

  private space(teamId?: string): TeamSpace {
    const space = this.teams.get(teamId ?? this.teamId);
    if (!space) throw new Error(`The fake Slack has no team ${teamId}; add it with addTeam first`);
    return space;
  }

  private bot(): Bot {
    return {
      token: this.botToken,
      teamId: this.teamId,
      teamDomain: this.teamDomain,
      botUserId: this.botUserId,
      botId: this.botId,
      appId: this.appId,
      scopes: this.scopes,
    };
  }

  private async handleResponseUrl(url: URL, req: IncomingMessage, raw: string, res: ServerResponse): Promise<void> {
    const fullUrl = `${this.baseUrl}${url.pathname}`;
    const trouble = this.failures.get('response_url')?.shift();
    if (trouble?.delayMs) await this.sleep(trouble.delayMs);
    const entry = this.responseUrls.get(url.pathname.slice('/response/'.length));
    let body: Json = {};
    try {
      const parsed: unknown = JSON.parse(raw);
      if (isObject(parsed)) body = parsed;
    } catch {
      // Refused below as invalid_payload.
    }
    const [status, text] = this.judgeResponsePost(entry, req, raw, body, trouble);
    this.responsePosts.push({ url: fullUrl, body, at: this.now(), status });
    if (status === 200 && entry) {
      entry.uses += 1;
      this.deliverResponse(entry, body);
    }
    res.writeHead(status, { 'content-type': 'text/html' }).end(text);
    this.notify();
  }

  private judgeResponsePost(
    entry: ResponseUrlEntry | undefined,
    req: IncomingMessage,
    raw: string,
    body: Json,
    trouble: Failure | undefined,
  ): [number, string] {
    if (trouble?.status !== undefined || trouble?.error !== undefined) {
      return [trouble.status ?? 500, trouble.error ?? 'internal_error'];
    }
    if (req.method !== 'POST') return [405, 'method_not_allowed'];
    if (!entry) return [404, 'no_active_hooks'];
    if (this.now() - entry.issuedAt > RESPONSE_URL_TTL_MS) return [404, 'expired_url'];
    if (entry.uses >= RESPONSE_URL_USES) return [404, 'used_url'];
    if (req.headers['content-type']?.split(';')[0]?.trim() !== 'application/json') return [400, 'invalid_payload'];
    if (Object.keys(body).length === 0 && raw.trim() !== '{}') return [400, 'invalid_payload'];
    if (messageBlockProblems(body.blocks).length > 0) return [400, 'invalid_blocks'];
    const hasContent =
      (typeof body.text === 'string' && body.text !== '') ||
      Array.isArray(body.blocks) ||
      Array.isArray(body.attachments);
    if (!hasContent && body.delete_original !== true) return [400, 'no_text'];
    return [200, 'ok'];
  }

  /** A bound response_url's posts land in its channel, as Slack shows them. */
  private deliverResponse(entry: ResponseUrlEntry, body: Json): void {
    if (!entry.channel) return;
    const { workspace, bot } = this.space(entry.teamId);
    const conversation = workspace.resolve(entry.channel);
    if (!conversation) return;
    const original = entry.messageTs
      ? workspace.messages.find(
          (m) =>
            m.channel === conversation.id &&
            m.ts === entry.messageTs &&
            (m.ephemeralFor === undefined || m.ephemeralFor === entry.userId),
        )
      : undefined;
    if (body.delete_original === true) {
      if (original) workspace.messages.splice(workspace.messages.indexOf(original), 1);
      return;
    }
    if (original && body.replace_original === true) {
      if (typeof body.text === 'string') original.text = body.text;
      else delete original.text;
      if (Array.isArray(body.blocks)) original.blocks = body.blocks;
      else delete original.blocks;
      return;
    }
    const inChannel = body.response_type === 'in_channel';
    if (!inChannel && !entry.userId) return;
    workspace.messages.push({
      channel: conversation.id,
      ts: workspace.nextTs(),
      user: bot.botUserId,
      botId: bot.botId,
      via: 'response_url',
      ...(inChannel ? {} : { ephemeralFor: entry.userId }),
      ...(typeof body.thread_ts === 'string' ? { threadTs: body.thread_ts } : {}),
      ...(typeof body.text === 'string' ? { text: body.text } : {}),
      ...(Array.isArray(body.blocks) ? { blocks: body.blocks } : {}),
    });
  }

  /**
   * Step 2 of Slack's file upload: the bytes POSTed to the `upload_url` files.getUploadURLExternal gave, raw or
   * as multipart form data; 200 when Slack has them, anything else a failure ("Files can be sent as raw bytes
   * or can be multipart form encoded. Slack will return HTTP 200 if the upload is successful":
   * https://docs.slack.dev/reference/methods/files.getUploadURLExternal). The URL is the token: no
   * Authorization is needed. The fake's choices: an unknown or already uploaded file is 404, and bytes that
   * differ in length from the declared `length` are refused with 400.
   */
  private async handleUpload(fileId: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    const body = Buffer.concat(chunks);
    const file = [...this.teams.values()].map((team) => team.workspace.files.get(fileId)).find(Boolean);
    const trouble = this.failures.get('upload')?.shift();
    let status = 200;
    if (trouble?.status !== undefined) status = trouble.status;
    else if (req.method !== 'POST') status = 405;
    else if (!file || file.bytes) status = 404;
    else {
      const bytes = multipartFile(req.headers['content-type'], body) ?? body;
      if (bytes.length !== file.length) status = 400;
      else file.bytes = bytes;
    }
    res
      .writeHead(status, { 'content-type': 'text/plain' })
      .end(status === 200 ? `OK - ${body.length}` : 'upload failed');
    this.notify();
  }

  // --- Waiting -----------------------------------------------------------------------------------

  private waitFor<T>(find: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    const found = find();
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const waiter = {
        check: () => {
          const value = find();
          if (value === undefined) return;
          done();
          resolve(value);
        },
        fail: (error: Error) => {
          done();
          reject(error);
        },
      };
      const timer = setTimeout(
        () => waiter.fail(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`)),
        timeoutMs,
      );
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      this.waiters.add(waiter);
    });
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter.check();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.delays.delete(timer);
        resolve();
      }, ms);
      this.delays.add(timer);
    });
  }
}

/** The first file part of a multipart/form-data body, or undefined when the body is not multipart. */
function multipartFile(contentType: string | undefined, body: Buffer): Buffer | undefined {
  const boundary = contentType?.match(/^multipart\/form-data;.*boundary="?([^";]+)"?/i)?.[1];
  if (!boundary) return undefined;
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const headersEnd = body.indexOf('\r\n\r\n', at);
    const next = body.indexOf(delimiter, at + delimiter.length);
    if (headersEnd === -1 || next === -1) return undefined;
    const headers = body.subarray(at, headersEnd).toString('utf8');
    if (/filename=/i.test(headers)) return body.subarray(headersEnd + 4, next - 2);
    at = next;
  }
  return undefined;
}
