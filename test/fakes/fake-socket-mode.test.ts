/** The fake's Socket Mode against Slack's documented behaviour (see fakes/slack/socket-mode.ts for sources). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import WebSocket from 'ws';
import { FakeSlackApi } from './fake-slack-api.js';

const APP_TOKEN = 'xapp-1-A0FLEXQM01-1-abcdef';
const BOT_TOKEN = 'xoxb-fake';
type Json = Record<string, unknown>;

async function connectionsOpen(slack: FakeSlackApi, headers: Record<string, string>, body = ''): Promise<Json> {
  const response = await request(`${slack.apiUrl}apps.connections.open`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });
  return (await response.body.json()) as Json;
}

/** A WebSocket client that keeps every message Slack sends it. */
class Client {
  readonly messages: Json[] = [];
  private readonly waiters = new Set<() => void>();
  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()) as Json);
      for (const waiter of [...this.waiters]) waiter();
    });
  }

  static open(url: string): Promise<Client> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const client = new Client(ws);
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  next(matches: (message: Json) => boolean, timeoutMs = 5_000): Promise<Json> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.messages.find(matches);
        if (!found) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error('Timed out waiting for a message'));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  ack(envelopeId: unknown, payload?: Json): void {
    this.ws.send(JSON.stringify({ envelope_id: envelopeId, ...(payload ? { payload } : {}) }));
  }
}

describe('the fake Slack’s Socket Mode', () => {
  let slack: FakeSlackApi;
  const clients: Client[] = [];
  before(async () => {
    slack = await FakeSlackApi.start({
      botToken: BOT_TOKEN,
      socketMode: { appToken: APP_TOKEN, ackTimeoutMs: 300, eventRetryDelaysMs: [0, 100, 200], closeAfterMs: 200 },
    });
  });
  after(async () => {
    for (const client of clients) client.ws.terminate();
    await slack.close();
  });

  /** Closes every client so far, so that the next envelope can only go to the one opened next. */
  const closeAll = async () => {
    for (const client of clients.splice(0)) client.ws.terminate();
    while ((slack.socketMode?.openConnections().length ?? 0) > 0) await new Promise((r) => setTimeout(r, 10));
  };

  const open = async () => {
    const opened = await connectionsOpen(slack, { authorization: `Bearer ${APP_TOKEN}` });
    const client = await Client.open(String(opened.url));
    clients.push(client);
    await client.next((m) => m.type === 'hello');
    return client;
  };

  it('opens a connection only with the app-level token, sent in the Authorization header', async () => {
    assert.deepEqual(await connectionsOpen(slack, {}), { ok: false, error: 'not_authed' });
    assert.deepEqual(await connectionsOpen(slack, {}, `token=${APP_TOKEN}`), { ok: false, error: 'invalid_auth' });
    assert.deepEqual(await connectionsOpen(slack, { authorization: `Bearer ${BOT_TOKEN}` }), {
      ok: false,
      error: 'not_allowed_token_type',
    });
    assert.deepEqual(await connectionsOpen(slack, { authorization: 'Bearer xapp-1-someone-else' }), {
      ok: false,
      error: 'invalid_auth',
    });
    const opened = await connectionsOpen(slack, { authorization: `Bearer ${APP_TOKEN}` });
    assert.equal(opened.ok, true);
    assert.match(String(opened.url), /^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=[0-9a-f-]{36}&app_id=A0FLEXQM01$/);
  });

  it('refuses the app-level token for every other method', async () => {
    const response = await request(`${slack.apiUrl}auth.test`, {
      method: 'POST',
      headers: { authorization: `Bearer ${APP_TOKEN}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    assert.deepEqual(await response.body.json(), { ok: false, error: 'not_allowed_token_type' });
  });

  it('says hello on connecting, and takes each URL once', async () => {
    const opened = await connectionsOpen(slack, { authorization: `Bearer ${APP_TOKEN}` });
    const client = await Client.open(String(opened.url));
    clients.push(client);
    const hello = await client.next((m) => m.type === 'hello');
    assert.deepEqual(hello.connection_info, { app_id: 'A0FLEXQM01' });
    assert.equal(typeof hello.num_connections, 'number');
    assert.equal((hello.debug_info as Json).approximate_connection_time, 3_600);
    await assert.rejects(Client.open(String(opened.url)), /HTTP 401/);
  });

  it('wants each envelope acknowledged by its envelope_id, and hands back the payload', async () => {
    await closeAll();
    const client = await open();
    const delivery = slack.socketMode?.deliver('slash_commands', { command: '/qm', text: 'help' });
    assert.ok(delivery, 'delivery');
    const envelope = await client.next((m) => m.envelope_id === delivery.envelopeId);
    assert.deepEqual(envelope, {
      envelope_id: delivery.envelopeId,
      payload: { command: '/qm', text: 'help' },
      type: 'slash_commands',
      accepts_response_payload: true,
    });
    client.ack(envelope.envelope_id, { text: 'usage' });
    const outcome = await delivery.outcome;
    assert.equal(outcome.acked, true);
    assert.deepEqual(outcome.acked && outcome.payload, { text: 'usage' });
    client.ws.close();
  });

  it('does not retry an interaction left unacknowledged, and retries an event with its retry fields', async () => {
    await closeAll();
    const client = await open();
    const click = slack.socketMode?.deliver('interactive', { type: 'block_actions' });
    assert.deepEqual(await click?.outcome, { acked: false, reason: 'timeout', attempts: 1 });
    const event = slack.socketMode?.deliver('events_api', { type: 'event_callback', event: { type: 'link_shared' } });
    assert.ok(event, 'event');
    const second = await client.next((m) => m.envelope_id === event.envelopeId && m.retry_attempt === 1);
    assert.equal(second.retry_reason, 'timeout');
    assert.equal(second.accepts_response_payload, false);
    const first = client.messages.find((m) => m.envelope_id === event.envelopeId && m.retry_attempt === 0);
    assert.equal(first?.retry_reason, '');
    client.ack(event.envelopeId);
    const outcome = await event.outcome;
    assert.equal(outcome.acked && outcome.attempts, 2);
    client.ws.close();
  });

  it('sends disconnect with a reason, then closes the connection', async () => {
    const client = await open();
    const closed = new Promise((resolve) => client.ws.once('close', resolve));
    slack.socketMode?.requestDisconnect('warning');
    const message = await client.next((m) => m.type === 'disconnect');
    assert.equal(message.reason, 'warning');
    await closed;
  });

  it('allows at most 10 connections at once', async () => {
    await closeAll();
    const ten = await Promise.all(Array.from({ length: 10 }, () => open()));
    const eleventh = await open();
    const message = await eleventh.next((m) => m.type === 'disconnect');
    assert.equal(message.reason, 'too_many_websockets');
    for (const client of ten) client.ws.close();
  });
});
