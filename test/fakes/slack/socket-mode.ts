/**
 * Slack's Socket Mode, as Slack documents it, for an app started with an app-level token:
 *
 * - `apps.connections.open` (served by the fake Web API, see `connectionsOpen`) takes the app-level token
 *   (`xapp-…`) in the Authorization header only, needs its `connections:write` scope, and answers a URL
 *   with a one-time ticket. A bot or user token is refused with `not_allowed_token_type`, a token sent as a
 *   POST parameter with `invalid_auth`.
 *   https://docs.slack.dev/reference/methods/apps.connections.open
 *   https://docs.slack.dev/reference/scopes/connections.write
 * - On connecting, Slack sends `hello` (connection_info.app_id, num_connections, debug_info with
 *   approximate_connection_time; `&debug_reconnects=true` shortens the connection to 360 s). At most 10
 *   connections are open at once; each payload goes to any one of them.
 *   https://docs.slack.dev/apis/events-api/using-socket-mode
 * - Payloads arrive in envelopes `{payload, envelope_id, type, accepts_response_payload}` of type
 *   `slash_commands`, `interactive` or `events_api`; the app acknowledges each with
 *   `{envelope_id, payload?}` within 3 seconds. Events API envelopes also carry `retry_attempt` and
 *   `retry_reason` ("" first, then `timeout`): an unacknowledged event is sent again, immediately, after
 *   1 minute and after 5 minutes, and one that found no open connection is retried the same way.
 *   Captured envelopes: slack-go/slack socketmode tests; retries with `retry_reason: "timeout"`:
 *   slackapi/python-slack-events-api#93; schedule: Events API docs (docs.slack.dev/apis/events-api,
 *   "Error handling"), and vercel/chat#666 for events sent while no socket was open.
 *   A command or interaction that is not acknowledged in time is not retried: the person sees Slack's
 *   error (`operation_timeout`); nor is one that found no connection (`dispatch_failed`).
 * - `disconnect` messages: `warning` about 10 s before Slack closes the connection, `refresh_requested`
 *   when it wants a new one, `link_disabled` when Socket Mode is turned off, `too_many_websockets` for an
 *   11th connection (the last as @slack/socket-mode handles it, slackapi/node-slack-sdk#1762).
 *
 * Choices where Slack leaves room (ours, said here so nobody mistakes them for Slack's):
 * - The URL is `ws://127.0.0.1:PORT/link/?ticket=…&app_id=…`: `wss://` needs TLS, which a loopback test
 *   cannot present to a client that checks certificates. @slack/socket-mode opens whatever URL
 *   apps.connections.open answers (undici's WebSocket takes ws: and wss: alike), so only the scheme differs
 *   from Slack's `wss://wss-primary.slack.com/link/?ticket=…&app_id=…`.
 * - A ticket already used, or unknown, is refused at the handshake with HTTP 401; Slack does not document
 *   what it answers.
 * - After `warning` or `refresh_requested` the fake closes the connection itself after `closeAfterMs`
 *   (10 s unless told), if the app has not closed it first.
 * - Slack pings the app; the fake does not (@slack/socket-mode only watches server pings once it has seen
 *   one). It answers the app's pings with pongs, as any WebSocket server does.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { listenOnLoopback } from '../serve.js';
import { failure, isObject, type Json } from './wire.js';

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';
export type DisconnectReason = 'warning' | 'refresh_requested' | 'link_disabled' | 'too_many_websockets';

export interface SocketModeOptions {
  /** The app-level tokens (`xapp-…`) of this app. */
  appToken: string;
  /** The app-level token's scopes; Slack requires `connections:write` for apps.connections.open. */
  appTokenScopes?: string[];
  appId?: string;
  /** How long Slack waits for an acknowledgement (3 s). */
  ackTimeoutMs?: number;
  /** When an unacknowledged event is sent again, after the previous attempt failed: 0, 1 min, 5 min. */
  eventRetryDelaysMs?: number[];
  /** How long after a `warning`/`refresh_requested` the fake closes a connection the app left open. */
  closeAfterMs?: number;
}

/** What became of one envelope: acknowledged (with what the app answered), or not. */
export type EnvelopeOutcome =
  | { acked: true; payload: Json | undefined; attempts: number; connectionId: number }
  | { acked: false; reason: 'timeout' | 'dispatch_failed'; attempts: number };

export interface Delivery {
  envelopeId: string;
  type: EnvelopeType;
  /** Settles once the app acknowledged the envelope, or Slack gave up on it. */
  outcome: Promise<EnvelopeOutcome>;
}

/** One WebSocket connection the app opened, as Slack sees it. */
export interface SocketConnection {
  id: number;
  ticket: string;
  openedAt: number;
  closedAt?: number;
  /** Who closed it: the app, Slack (after a disconnect message), or the network (`drop`). */
  closedBy?: 'app' | 'slack' | 'network';
  /** The `disconnect` reasons Slack sent on it. */
  disconnects: DisconnectReason[];
  /** Every message Slack sent on it (hello, envelopes, disconnects), in order. */
  sent: Json[];
  /** Every message the app sent on it, parsed. */
  received: Json[];
}

interface Live {
  info: SocketConnection;
  socket: WebSocket;
  /** Told to go away: no new envelopes unless nothing else is open. */
  leaving: boolean;
}

interface Pending {
  envelope: Json;
  type: EnvelopeType;
  attempts: number;
  settle(outcome: EnvelopeOutcome): void;
  /** The attempt under way: the connection it went out on and its deadline. */
  current?: { connectionId: number; timer: NodeJS.Timeout };
}

const MAX_CONNECTIONS = 10;
const APPROXIMATE_CONNECTION_SECONDS = 3_600;
const DEBUG_CONNECTION_SECONDS = 360;

export class FakeSocketMode {
  readonly appToken: string;
  readonly appId: string;
  private readonly scopes: ReadonlySet<string>;
  private readonly ackTimeoutMs: number;
  private readonly retryDelaysMs: number[];
  private readonly closeAfterMs: number;
  private readonly tickets = new Map<string, { issuedAt: number; used: boolean; debugReconnects: boolean }>();
  private readonly live = new Map<number, Live>();
  private readonly all: SocketConnection[] = [];
  private readonly pending = new Map<string, Pending>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly waiters = new Set<() => void>();
  private readonly wss: WebSocketServer;
  private nextConnectionId = 1;
  private enabled = true;

  private constructor(
    private readonly server: Server,
    /** `ws://127.0.0.1:PORT` */
    readonly baseUrl: string,
    options: SocketModeOptions,
  ) {
    this.appToken = options.appToken;
    this.appId = options.appId ?? 'A0FLEXQM01';
    this.scopes = new Set(options.appTokenScopes ?? ['connections:write']);
    this.ackTimeoutMs = options.ackTimeoutMs ?? 3_000;
    this.retryDelaysMs = options.eventRetryDelaysMs ?? [0, 60_000, 300_000];
    this.closeAfterMs = options.closeAfterMs ?? 10_000;
    this.wss = new WebSocketServer({ noServer: true });
    server.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
    server.on('request', (_req, res) => res.writeHead(426, { 'content-type': 'text/plain' }).end('Upgrade Required'));
  }

  static async start(options: SocketModeOptions): Promise<FakeSocketMode> {
    const server = createServer();
    const base = await listenOnLoopback(server);
    return new FakeSocketMode(server, base.replace(/^http:/, 'ws:'), options);
  }

  // --- apps.connections.open ----------------------------------------------------------------------

  /**
   * apps.connections.open as the fake Web API received it. Slack wants the app-level token in the
   * Authorization header ("passing it as a POST parameter will result in an error").
   */
  connectionsOpen(
    args: Json,
    authorization: string | undefined,
    isOtherToken: (token: string) => boolean,
  ): { result: Json; headers: Record<string, string> } {
    const bearer = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (!bearer)
      return { result: failure(typeof args.token === 'string' ? 'invalid_auth' : 'not_authed'), headers: {} };
    if (bearer !== this.appToken) {
      // A bot or user token is a real token of the wrong kind; anything else is no token at all.
      return { result: failure(isOtherToken(bearer) ? 'not_allowed_token_type' : 'invalid_auth'), headers: {} };
    }
    const headers = {
      'x-oauth-scopes': [...this.scopes].join(','),
      'x-accepted-oauth-scopes': 'connections:write',
    };
    if (!this.scopes.has('connections:write')) {
      return {
        result: failure('missing_scope', { needed: 'connections:write', provided: [...this.scopes].join(',') }),
        headers,
      };
    }
    const ticket = randomUUID();
    this.tickets.set(ticket, { issuedAt: Date.now(), used: false, debugReconnects: false });
    return { result: { ok: true, url: `${this.baseUrl}/link/?ticket=${ticket}&app_id=${this.appId}` }, headers };
  }

  // --- What Slack does ---------------------------------------------------------------------------

  /**
   * Sends a payload to the app in an envelope, on one of its open connections, as Slack does when
   * someone runs a command, clicks or submits (`slash_commands`, `interactive`) or an event happens
   * (`events_api`, the whole `event_callback` as payload).
   */
  deliver(type: EnvelopeType, payload: Json, options: { dropConnection?: boolean } = {}): Delivery {
    const envelopeId = randomUUID();
    const envelope: Json = {
      envelope_id: envelopeId,
      payload,
      type,
      accepts_response_payload: type !== 'events_api',
      ...(type === 'events_api' ? { retry_attempt: 0, retry_reason: '' } : {}),
    };
    let settle: (outcome: EnvelopeOutcome) => void = () => {};
    const outcome = new Promise<EnvelopeOutcome>((resolve) => {
      settle = resolve;
    });
    const entry: Pending = {
      envelope,
      type,
      attempts: 0,
      settle: (result) => {
        if (entry.current) this.clearTimer(entry.current.timer);
        this.pending.delete(envelopeId);
        settle(result);
        this.notify();
      },
    };
    this.pending.set(envelopeId, entry);
    this.attempt(entry, options.dropConnection === true);
    return { envelopeId, type, outcome };
  }

  /** Slack asks the app to reconnect: the `disconnect` message on every open connection. */
  requestDisconnect(reason: DisconnectReason = 'refresh_requested'): void {
    for (const connection of this.live.values()) this.sendDisconnect(connection, reason);
  }

  /** The app's Socket Mode is turned off in its settings: `link_disabled`, and no new connections. */
  disableSocketMode(): void {
    this.enabled = false;
    this.requestDisconnect('link_disabled');
  }

  /** The network between Slack and the app fails: every connection ends without a close frame. */
  dropConnections(): void {
    for (const connection of [...this.live.values()]) this.end(connection, 'network');
  }

  // --- Inspection --------------------------------------------------------------------------------

  /** Every connection the app opened, oldest first, closed ones included. */
  connections(): SocketConnection[] {
    return [...this.all];
  }

  openConnections(): SocketConnection[] {
    return [...this.live.values()].filter((c) => !c.leaving).map((c) => c.info);
  }

  /** Resolves when `count` connections have been opened in all (and the last is open). */
  waitForConnections(count: number, timeoutMs = 10_000): Promise<SocketConnection> {
    return this.waitFor(
      () => {
        const last = this.all[count - 1];
        return last && last.closedAt === undefined ? last : undefined;
      },
      `connection #${count}`,
      timeoutMs,
    );
  }

  /** Resolves when the connection has ended. */
  waitForClose(connectionId: number, timeoutMs = 10_000): Promise<SocketConnection> {
    return this.waitFor(
      () => this.all.find((c) => c.id === connectionId && c.closedAt !== undefined),
      `connection #${connectionId} to close`,
      timeoutMs,
    );
  }

  /** Envelopes sent but not yet settled. */
  inFlight(): number {
    return this.pending.size;
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const entry of [...this.pending.values()])
      entry.settle({ acked: false, reason: 'timeout', attempts: entry.attempts });
    for (const connection of [...this.live.values()]) this.end(connection, 'slack');
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // --- The wire ------------------------------------------------------------------------------------

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'ws://localhost');
    const ticketId = url.searchParams.get('ticket') ?? '';
    const ticket = this.tickets.get(ticketId);
    if (url.pathname !== '/link/' || !ticket || ticket.used || !this.enabled) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    ticket.used = true;
    ticket.debugReconnects = url.searchParams.get('debug_reconnects') === 'true';
    this.wss.handleUpgrade(req, socket, head, (ws) => this.opened(ws, ticketId, ticket.debugReconnects));
  }

  private opened(socket: WebSocket, ticket: string, debugReconnects: boolean): void {
    const info: SocketConnection = {
      id: this.nextConnectionId++,
      ticket,
      openedAt: Date.now(),
      disconnects: [],
      sent: [],
      received: [],
    };
    const connection: Live = { info, socket, leaving: false };
    this.all.push(info);
    this.live.set(info.id, connection);
    socket.on('message', (data, isBinary) => this.received(connection, data, isBinary));
    socket.on('close', () => this.closed(connection, 'app'));
    socket.on('error', () => this.closed(connection, 'network'));
    const seconds = debugReconnects ? DEBUG_CONNECTION_SECONDS : APPROXIMATE_CONNECTION_SECONDS;
    this.send(connection, {
      type: 'hello',
      num_connections: this.live.size,
      debug_info: {
        host: `applink-fake-${info.id}`,
        started: new Date().toISOString().replace('T', ' ').slice(0, 23),
        build_number: 1,
        approximate_connection_time: seconds,
      },
      connection_info: { app_id: this.appId },
    });
    if (this.live.size > MAX_CONNECTIONS) {
      this.sendDisconnect(connection, 'too_many_websockets');
      return;
    }
    // Slack refreshes every connection after about its approximate_connection_time.
    this.later(seconds * 1_000, () => {
      if (this.live.has(info.id)) this.sendDisconnect(connection, 'refresh_requested');
    });
    this.notify();
  }

  private received(connection: Live, data: RawData, isBinary: boolean): void {
    if (isBinary) return;
    let message: unknown;
    try {
      message = JSON.parse(data.toString());
    } catch {
      return;
    }
    if (!isObject(message)) return;
    connection.info.received.push(message);
    const envelopeId = typeof message.envelope_id === 'string' ? message.envelope_id : undefined;
    const entry = envelopeId ? this.pending.get(envelopeId) : undefined;
    // An acknowledgement counts on the connection the envelope went out on, before its deadline.
    if (!entry?.current || entry.current.connectionId !== connection.info.id) return;
    const payload = isObject(message.payload) ? message.payload : undefined;
    entry.settle({ acked: true, payload, attempts: entry.attempts, connectionId: connection.info.id });
  }

  private attempt(entry: Pending, dropConnection: boolean): void {
    entry.attempts += 1;
    const envelope =
      entry.type === 'events_api'
        ? { ...entry.envelope, retry_attempt: entry.attempts - 1, retry_reason: entry.attempts > 1 ? 'timeout' : '' }
        : entry.envelope;
    const target = this.pickConnection();
    if (!target) {
      this.failed(entry, 'dispatch_failed');
      return;
    }
    const timer = this.later(this.ackTimeoutMs, () => {
      entry.current = undefined;
      this.failed(entry, 'timeout');
    });
    entry.current = { connectionId: target.info.id, timer };
    this.send(target, envelope, () => {
      // The envelope has left: the connection now fails before any acknowledgement can come back.
      if (dropConnection) this.end(target, 'network');
    });
  }

  /** An attempt failed: events are sent again on Slack's schedule, commands and interactions are not. */
  private failed(entry: Pending, reason: 'timeout' | 'dispatch_failed'): void {
    entry.current = undefined;
    const delay = entry.type === 'events_api' ? this.retryDelaysMs[entry.attempts - 1] : undefined;
    if (delay === undefined) {
      entry.settle({ acked: false, reason, attempts: entry.attempts });
      return;
    }
    this.later(delay, () => {
      if (this.pending.has(String(entry.envelope.envelope_id)) && !entry.current) this.attempt(entry, false);
    });
  }

  /** Any open connection (Slack promises no pattern); those told to leave only when nothing else is open. */
  private pickConnection(): Live | undefined {
    const open = [...this.live.values()].filter((c) => c.socket.readyState === c.socket.OPEN);
    const staying = open.filter((c) => !c.leaving);
    const choices = staying.length > 0 ? staying : open;
    return choices[Math.floor(Math.random() * choices.length)];
  }

  private sendDisconnect(connection: Live, reason: DisconnectReason): void {
    if (connection.socket.readyState !== connection.socket.OPEN) return;
    connection.leaving = true;
    connection.info.disconnects.push(reason);
    this.send(connection, { type: 'disconnect', reason, debug_info: { host: `applink-fake-${connection.info.id}` } });
    this.later(reason === 'too_many_websockets' || reason === 'link_disabled' ? 0 : this.closeAfterMs, () =>
      this.end(connection, 'slack'),
    );
  }

  private send(connection: Live, message: Json, sent?: () => void): void {
    connection.info.sent.push(message);
    connection.socket.send(JSON.stringify(message), sent);
  }

  private end(connection: Live, by: 'slack' | 'network'): void {
    if (!this.live.has(connection.info.id)) return;
    this.closed(connection, by);
    if (by === 'network') connection.socket.terminate();
    else connection.socket.close(1000);
  }

  private closed(connection: Live, by: 'app' | 'slack' | 'network'): void {
    if (!this.live.delete(connection.info.id)) return;
    connection.info.closedAt = Date.now();
    connection.info.closedBy = by;
    this.notify();
  }

  // --- Timers and waiting --------------------------------------------------------------------------

  private later(ms: number, run: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    timer.unref();
    this.timers.add(timer);
    return timer;
  }

  private clearTimer(timer: NodeJS.Timeout): void {
    clearTimeout(timer);
    this.timers.delete(timer);
  }

  private waitFor<T>(find: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    const found = find();
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const value = find();
        if (value === undefined) return;
        done();
        resolve(value);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
    });
  }

  private notify(): void {
    for (const check of [...this.waiters]) check();
  }
}
