/**
 * The app in Socket Mode (SLACK_APP_TOKEN): it opens its connection with the app-level token, Slack's
 * payloads arrive in envelopes over the WebSocket, and the app acknowledges each within 3 seconds.
 * The same stories as over HTTP (comment with /qm, the message shortcut, a call link's preview), then
 * connections that end in the middle of a story: nothing is lost and nothing reaches Flex twice.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { request } from 'undici';
import { createQmApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { openDatabase } from '../../src/db/prisma-client.js';
import { createFlexClient } from '../../src/flex/flex-client.js';
import type { RecordedCall } from '../fakes/fake-slack-api.js';
import type { FakeSocketMode, SocketConnection } from '../fakes/slack/socket-mode.js';
import { CaptureLogger } from '../helpers/capture-logger.js';
import { qmCommand } from '../helpers/reviewer-story.js';
import {
  eventCallback,
  linkSharedEvent,
  messageShortcutPayload,
  unfurlButtonPayload,
  viewSubmissionPayload,
} from '../helpers/slack-payloads.js';
import { SocketSender } from '../helpers/socket-requests.js';
import { fakeServiceEnv, startFakes } from '../helpers/start-fakes.js';
import {
  AGENT_ID,
  CATEGORY,
  createTestDatabase,
  eventually,
  REVIEWER,
  SEGMENT_ID,
  startTestApp,
  TEAM_ID,
  type TestApp,
} from '../helpers/test-app.js';
import { TEST_APP_TOKEN, TEST_WORLD } from '../helpers/world.js';

const LINK = `https://analytics.ytica.com/player/segment/${SEGMENT_ID}?t=42`;
const user = { id: REVIEWER.userId, name: 'rita', teamId: TEAM_ID };
const team = { id: TEAM_ID, domain: 'acme' };
const QA = { id: 'C0QA00001', name: 'qa' };

describe('Socket Mode', () => {
  let t: TestApp;
  let socket: FakeSocketMode;
  let slack: SocketSender;
  const logger = new CaptureLogger();
  before(async () => {
    // Slack retries an unacknowledged event at once, after 1 and after 5 minutes; sooner here, in the same order.
    t = await startTestApp({
      socketMode: { eventRetryDelaysMs: [0, 1_000, 8_000] },
      logger,
      env: { LOG_LEVEL: 'info' },
    });
    const fake = t.slack.socketMode;
    assert.ok(fake, 'the fake Slack offers Socket Mode');
    socket = fake;
    slack = new SocketSender(socket);
  });
  after(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    await t.prisma.assessment.deleteMany();
    t.flex.reset();
  });

  const posted = () => t.flex.requests.filter((r) => r.method === 'POST');
  const openedView = (open: RecordedCall) => String((open.result.view as { id: string }).id);

  /** `/qm <text>` over the socket; returns the modal Slack opened, once the app has refined it. */
  async function openModalWithQm(text: string) {
    const command = qmCommand(t, text);
    const ack = await slack.slashCommand(command);
    assert.equal(ack.outcome.acked, true, 'the command is acknowledged within 3 s');
    assert.deepEqual(ack.json ?? {}, {}, 'with nothing to show in the channel');
    const open = await t.slack.waitForCall('views.open', (c) => c.args.trigger_id === command.trigger_id);
    assert.equal(open.result.ok, true, JSON.stringify(open.result));
    const viewId = openedView(open);
    await t.slack.waitForCall('views.update', (c) => c.args.view_id === viewId);
    return { viewId, responseUrl: String(command.response_url) };
  }

  const submission = (viewId: string, values: Record<string, string>) =>
    viewSubmissionPayload({ view: t.slack.currentView(viewId), values, user, team });

  it('opens its connection with the app-level token and answers /healthz on PORT', async () => {
    const [open] = t.slack.calls('apps.connections.open');
    assert.equal(open?.headers.authorization, `Bearer ${TEST_APP_TOKEN}`, 'the token goes in the header');
    assert.equal(open?.result.ok, true);
    assert.equal(socket.openConnections().length, 1);
    const health = await request(`${t.baseUrl}/healthz`);
    assert.equal(health.statusCode, 200);
    assert.deepEqual(await health.body.json(), { status: 'ok', database: 'up' });
  });

  it('takes /qm, the comment modal and its submission, posts one comment to Flex and confirms', async () => {
    const { viewId, responseUrl } = await openModalWithQm(`${SEGMENT_ID} 1:23`);
    assert.match(JSON.stringify(t.slack.currentView(viewId)), /Alex Agent/);
    const submitted = await slack.interaction(
      submission(viewId, { category: CATEGORY.id, comment: 'Clear close over the socket' }),
    );
    assert.equal(submitted.outcome.acked, true);
    assert.equal(submitted.json?.response_action, 'update');
    assert.match(JSON.stringify(submitted.json), /Posting your comment to Flex/);
    const row = await eventually(async () => {
      const found = await t.prisma.assessment.findFirstOrThrow();
      assert.equal(found.status, 'posted');
      return found;
    });
    assert.equal(posted().length, 1);
    assert.match(posted()[0]?.rawBody ?? '', /Comment=Clear%20close%20over%20the%20socket/);
    assert.match(posted()[0]?.rawBody ?? '', /Offset=83/);
    const confirmation = await t.slack.waitForResponse(responseUrl);
    assert.match(JSON.stringify(confirmation.body), new RegExp(row.flexAssessmentSid ?? 'FM'));
  });

  it('takes the message shortcut and confirms in the message’s thread', async () => {
    const triggerId = t.slack.issueTriggerId();
    const ack = await slack.interaction(
      messageShortcutPayload({
        callbackId: 'comment_on_call',
        triggerId,
        responseUrl: t.slack.newResponseUrl(),
        user,
        team,
        channel: QA,
        message: { user: 'U0SUPER01', ts: '1763632800.000700', text: `listen <${LINK}|recording>` },
      }),
    );
    assert.equal(ack.outcome.acked, true);
    const viewId = openedView(await t.slack.waitForCall('views.open', (c) => c.args.trigger_id === triggerId));
    await t.slack.waitForCall('views.update', (c) => c.args.view_id === viewId);
    await slack.interaction(submission(viewId, { category: CATEGORY.id, comment: 'From the shortcut' }));
    const reply = await t.slack.waitForCall(
      'chat.postMessage',
      (c) => c.args.thread_ts === '1763632800.000700' && /From the shortcut/.test(JSON.stringify(c.args.blocks)),
    );
    assert.equal(reply.args.channel, QA.id);
    const row = await t.prisma.assessment.findFirstOrThrow();
    assert.equal(row.source, 'shortcut');
    assert.equal(row.agentId, AGENT_ID);
    assert.equal(row.offsetSeconds, 42);
  });

  it('unfurls a call link from a link_shared event, and its Comment button opens the form', async () => {
    const messageTs = '1763634000.000300';
    t.slack.addMessage(QA.id, { ts: messageTs, user: 'U0SUPER01', text: `listen <${LINK}>` });
    const event = await slack.event(
      eventCallback({
        teamId: TEAM_ID,
        event: linkSharedEvent({ channel: QA.id, userId: 'U0SUPER01', messageTs, links: [LINK] }),
      }),
    );
    assert.equal(event.outcome.acked, true, 'events are acknowledged at once');
    assert.equal(event.outcome.attempts, 1);
    const unfurl = await t.slack.waitForCall('chat.unfurl', (c) => c.args.ts === messageTs);
    assert.equal(unfurl.result.ok, true, JSON.stringify(unfurl.result));
    const preview = (unfurl.args.unfurls as Record<string, { blocks: Array<Record<string, unknown>> }>)[LINK];
    const button = (preview?.blocks[0] as { accessory?: { value: string; text: unknown } } | undefined)?.accessory;
    assert.ok(button, 'the preview has a Comment button');
    const triggerId = t.slack.issueTriggerId();
    const click = await slack.interaction(
      unfurlButtonPayload({
        user,
        team,
        channel: QA,
        messageTs,
        value: button.value,
        text: button.text,
        blocks: preview?.blocks,
        triggerId,
      }),
    );
    assert.equal(click.outcome.acked, true);
    const viewId = openedView(await t.slack.waitForCall('views.open', (c) => c.args.trigger_id === triggerId));
    await t.slack.waitForCall('views.update', (c) => c.args.view_id === viewId);
    await slack.interaction(submission(viewId, { category: CATEGORY.id, comment: 'From the preview' }));
    const row = await eventually(async () => {
      const found = await t.prisma.assessment.findFirstOrThrow();
      assert.equal(found.status, 'posted');
      return found;
    });
    assert.equal(row.source, 'unfurl');
    assert.equal(row.offsetSeconds, 42);
  });

  it('reconnects on a fresh URL when Slack refreshes the connection between the modal and its submission', async () => {
    const { viewId, responseUrl } = await openModalWithQm(`${SEGMENT_ID} 0:30`);
    const before = socket.connections().length;
    const asked = t.slack.calls('apps.connections.open').length;
    const [current] = socket.openConnections();
    assert.ok(current, 'current');
    socket.requestDisconnect('refresh_requested');
    const closed = await socket.waitForClose(current.id);
    assert.equal(closed.closedBy, 'app', 'the app closes the old connection itself');
    const next = await socket.waitForConnections(before + 1, 20_000);
    assert.notEqual(next.ticket, current.ticket, 'a fresh URL, from a new apps.connections.open');
    assert.equal(t.slack.calls('apps.connections.open').length, asked + 1);
    assert.equal(logger.matching(/Socket Mode: the connection to Slack ended; opening a new one/).length, 1);
    await eventually(() => assert.equal(logger.matching(/Socket Mode: connected to Slack again/).length, 1));

    const submitted = await slack.interaction(submission(viewId, { category: CATEGORY.id, comment: 'After refresh' }));
    assert.equal(submitted.outcome.acked, true);
    assert.equal(submitted.outcome.acked && submitted.outcome.connectionId, next.id);
    await eventually(async () => assert.equal((await t.prisma.assessment.findFirstOrThrow()).status, 'posted'));
    assert.equal(posted().length, 1);
    await t.slack.waitForResponse(responseUrl);
    assert.equal(t.slack.responsesTo(responseUrl).length, 1);
  });

  it('loses nothing when the connection fails with a submission in flight, and posts it once', async () => {
    const { viewId, responseUrl } = await openModalWithQm(`${SEGMENT_ID} 0:45`);
    const before = socket.connections().length;
    const submit = submission(viewId, { category: CATEGORY.id, comment: 'Submitted as the line dropped' });
    // The submission reaches the app, then the connection fails before its acknowledgement gets back.
    const lost = socket.deliver('interactive', submit, { dropConnection: true });
    const outcome = await lost.outcome;
    assert.deepEqual(outcome, { acked: false, reason: 'timeout', attempts: 1 }, 'Slack shows the reviewer an error');
    // What the app had stored is delivered all the same, and the reviewer is told.
    await eventually(async () => assert.equal((await t.prisma.assessment.findFirstOrThrow()).status, 'posted'), 10_000);
    assert.equal(posted().length, 1);
    await t.slack.waitForResponse(responseUrl, 10_000);

    // The reviewer pressed Submit again on the form as it was; it comes over the new connection.
    const next = await socket.waitForConnections(before + 1, 20_000);
    const again = await slack.interaction(submit);
    assert.equal(again.outcome.acked, true);
    assert.equal(again.outcome.acked && again.outcome.connectionId, next.id);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(posted().length, 1, 'one comment in Flex');
    assert.equal(await t.prisma.assessment.count(), 1);
    assert.equal(t.slack.responsesTo(responseUrl).length, 1, 'confirmed once');
    assert.ok(!logger.text().includes('Submitted as the line dropped'), 'no comment text in the log');
  });

  it('gets an event again, with retry_attempt and retry_reason, when its acknowledgement was lost', async () => {
    const messageTs = '1763634000.000900';
    t.slack.addMessage(QA.id, { ts: messageTs, user: 'U0SUPER01', text: `listen <${LINK}>` });
    const before = socket.connections().length;
    const delivery = socket.deliver(
      'events_api',
      eventCallback({
        teamId: TEAM_ID,
        event: linkSharedEvent({ channel: QA.id, userId: 'U0SUPER01', messageTs, links: [LINK] }),
      }),
      { dropConnection: true },
    );
    const outcome = await delivery.outcome;
    assert.equal(outcome.acked, true, 'a later attempt is acknowledged');
    assert.ok(outcome.attempts >= 2, `attempts: ${outcome.attempts}`);
    const next = socket.connections()[before];
    assert.ok(next && outcome.acked && outcome.connectionId === next.id, 'on the new connection');
    const attempts = socket
      .connections()
      .flatMap((c) => c.sent)
      .filter((m) => m.envelope_id === delivery.envelopeId);
    assert.deepEqual(
      attempts.map((m) => [m.retry_attempt, m.retry_reason]),
      [
        [0, ''],
        [outcome.attempts - 1, 'timeout'],
      ],
      'sent first, then (after attempts that found no connection) again with the retry fields',
    );
    assert.deepEqual(next.received.find((m) => m.envelope_id === delivery.envelopeId)?.payload ?? {}, {});
    const unfurl = await t.slack.waitForCall('chat.unfurl', (c) => c.args.ts === messageTs);
    assert.equal(unfurl.result.ok, true);
    assert.match(JSON.stringify(unfurl.args.unfurls), /Alex Agent/);
  });
});

describe('Socket Mode: starting and stopping', () => {
  /**
   * Starts the app with SLACK_APP_TOKEN against a fake Slack whose app has `appToken` with `scopes`, and
   * stops it: what start threw, and the connections Slack saw, as they were once the app had stopped.
   */
  async function startWith(
    appToken: string,
    scopes: string[],
  ): Promise<{ error: Error | undefined; connections: SocketConnection[] }> {
    const fakes = await startFakes(TEST_WORLD, { socketMode: { appToken, appTokenScopes: scopes } });
    const database = await createTestDatabase();
    const prisma = await openDatabase(database.databaseUrl);
    const config = loadConfig({
      ...fakeServiceEnv(TEST_WORLD, fakes),
      SLACK_APP_TOKEN: TEST_APP_TOKEN,
      SLACK_SIGNING_SECRET: '',
      PORT: '0',
      DATABASE_URL: database.databaseUrl,
      LOG_LEVEL: 'error',
    });
    const flex = createFlexClient({
      baseUrl: config.flex.baseUrl,
      credentials: { username: config.flex.username, password: config.flex.password },
      timeoutMs: config.flex.timeoutMs,
    });
    const app = createQmApp({ config, prisma, flex, slackRetries: 0 });
    let error: Error | undefined;
    try {
      // Bounded: before the fix, a token without connections:write made the start wait for ever.
      await Promise.race([
        app.start(),
        new Promise((_, reject) => setTimeout(() => reject(new Error('still starting after 8 s')), 8_000).unref()),
      ]);
    } catch (thrown) {
      error = thrown as Error;
    }
    try {
      await app.stop(1_000);
      const socket = fakes.slack.socketMode;
      const last = socket?.connections().at(-1);
      // Slack sees the connection end once the closing handshake has reached it.
      if (socket && last) await socket.waitForClose(last.id, 3_000).catch(() => undefined);
      return { error, connections: socket?.connections() ?? [] };
    } finally {
      await flex.close();
      await prisma.$disconnect();
      await fakes.close();
      await database.dispose();
    }
  }

  it('does not start, and says to make a new token, when Slack does not know the token', async () => {
    const { error } = await startWith('xapp-1-A0FLEXQM01-1-another-token', ['connections:write']);
    assert.match(error?.message ?? '', /Slack refused SLACK_APP_TOKEN \(invalid_auth\)/);
    assert.match(error?.message ?? '', /App-Level Tokens/);
  });

  it('does not start, and names the missing scope, when the token lacks connections:write', async () => {
    const { error } = await startWith(TEST_APP_TOKEN, ['authorizations:read']);
    assert.match(error?.message ?? '', /lacks the connections:write scope/);
  });

  it('closes its connection to Slack when it stops, so Slack sends the next payloads elsewhere', async () => {
    const { error, connections } = await startWith(TEST_APP_TOKEN, ['connections:write']);
    assert.equal(error, undefined);
    assert.equal(connections.length, 1);
    assert.equal(connections[0]?.closedBy, 'app');
  });
});
