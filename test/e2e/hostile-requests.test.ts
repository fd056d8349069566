import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, beforeEach, describe, it } from 'node:test';
import { request } from 'undici';
import { SlackReceiver } from '../../src/slack/receiver/slack-receiver.js';
import { CaptureLogger } from '../helpers/capture-logger.js';
import { qmCommand } from '../helpers/reviewer-story.js';
import { type SlackSendResult, signSlackRequest } from '../helpers/slack-requests.js';
import { REVIEWER, SEGMENT_ID, SIGNING_SECRET, startTestApp, TEAM_ID, type TestApp } from '../helpers/test-app.js';

const FORM = 'application/x-www-form-urlencoded';
const user = { id: REVIEWER.userId, username: 'rita', name: 'rita', team_id: TEAM_ID };
const team = { id: TEAM_ID, domain: 'acme' };

/** What no answer to a stranger may contain: a stack trace, an error's name, a file path. */
const LEAKY = /\bat .+\(|Error\b|\.ts:\d+|node_modules/;

describe('hostile requests to /slack/events', () => {
  let t: TestApp;
  const logger = new CaptureLogger();
  before(async () => {
    t = await startTestApp({ logger, env: { LOG_LEVEL: 'info' } });
  });
  after(async () => {
    await t.close();
  });
  beforeEach(() => {
    logger.clear();
    t.flex.reset();
  });

  /** Sends a signed body as is, with the given content type. */
  const signed = (body: string, contentType = FORM) =>
    t.sender.raw(body, { 'content-type': contentType, ...signSlackRequest(SIGNING_SECRET, body) });
  /** Sends an interaction payload; Bolt would leave an unmatched one unanswered for 3 s, so each must come back sooner. */
  const payload = async (value: unknown) => {
    const started = Date.now();
    const result = await signed(new URLSearchParams({ payload: JSON.stringify(value) }).toString());
    assert.ok(Date.now() - started < 2_500, `answered after ${Date.now() - started} ms`);
    return result;
  };

  /** Refused or ignored, never a crash: the status is one of these, the body tells a stranger nothing, a line was logged. */
  async function assertHandled(result: SlackSendResult, statuses: number[], logged: RegExp) {
    assert.ok(statuses.includes(result.status), `status ${result.status}, expected one of ${statuses.join(', ')}`);
    assert.doesNotMatch(result.text, LEAKY);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(logger.matching(logged).length > 0, `expected a log line matching ${logged}; got:\n${logger.text()}`);
    const health = await request(`${t.baseUrl}/healthz`);
    assert.equal(health.statusCode, 200, 'the app is still up');
    await health.body.text();
  }

  it('refuses a request without a signature, with a bad one, or with a stale or odd timestamp (401)', async () => {
    const body = new URLSearchParams(qmCommand(t, SEGMENT_ID)).toString();
    const now = Math.floor(Date.now() / 1000);
    const cases: Record<string, Record<string, string>> = {
      'no signature': { 'content-type': FORM },
      'no timestamp': {
        'content-type': FORM,
        'x-slack-signature': signSlackRequest(SIGNING_SECRET, body)['x-slack-signature'],
      },
      'another secret': { 'content-type': FORM, ...signSlackRequest('forged-secret', body) },
      'malformed signature': {
        'content-type': FORM,
        'x-slack-request-timestamp': String(now),
        'x-slack-signature': 'v0=zz',
      },
      'stale timestamp': { 'content-type': FORM, ...signSlackRequest(SIGNING_SECRET, body, now - 301) },
      'timestamp from the future': { 'content-type': FORM, ...signSlackRequest(SIGNING_SECRET, body, now + 360) },
      'timestamp not a number': {
        'content-type': FORM,
        'x-slack-request-timestamp': 'soon',
        'x-slack-signature': signSlackRequest(SIGNING_SECRET, body)['x-slack-signature'],
      },
    };
    for (const [name, headers] of Object.entries(cases)) {
      logger.clear();
      const result = await t.sender.raw(body, headers);
      assert.equal(result.status, 401, name);
      await assertHandled(result, [401], /verify/i);
    }
    assert.equal(t.slack.calls('views.open').length, 0, 'nothing was opened');
  });

  it('refuses a body larger than Slack ever sends (413)', async () => {
    const body = new URLSearchParams({
      payload: JSON.stringify({ type: 'block_actions', pad: 'x'.repeat(1_100_000) }),
    });
    await assertHandled(await signed(body.toString()), [413], /maximum allowed size/);
  });

  it('refuses an oversized body sent in chunks, without a length to check up front (413)', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    async function* body() {
      yield Buffer.from('payload=');
      for (let i = 0; i < 20; i += 1) yield chunk;
    }
    const response = await request(`${t.baseUrl}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': FORM, ...signSlackRequest(SIGNING_SECRET, 'x') },
      body: Readable.from(body()),
    }).catch((error: unknown) => error);
    // The server may close the connection before the client has sent everything; either way it refused.
    if (!(response instanceof Error)) {
      assert.equal((response as { statusCode: number }).statusCode, 413);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(logger.matching(/maximum allowed size/).length > 0, logger.text());
  });

  it('answers other methods and paths with a bare 405 or 404', async () => {
    const get = await request(`${t.baseUrl}/slack/events`);
    assert.equal(get.statusCode, 405);
    assert.equal(await get.body.text(), '');
    const elsewhere = await request(`${t.baseUrl}/../../etc/passwd`, { method: 'POST', body: 'x' });
    assert.equal(elsewhere.statusCode, 404);
    assert.equal(await elsewhere.body.text(), '');
    assert.ok(
      logger.matching(/not a route of this app/).length >= 2,
      'logger.matching(/not a route of this app/).length >= 2',
    );
  });

  it('refuses a content type Slack does not send, and bodies that are not what they claim (400)', async () => {
    const form = new URLSearchParams(qmCommand(t, SEGMENT_ID)).toString();
    await assertHandled(await signed(form, 'text/plain'), [400], /Malformed request body/);
    logger.clear();
    await assertHandled(await signed(form, `${FORM}; charset=utf-8`), [400], /Malformed request body/);
    logger.clear();
    await assertHandled(
      await signed('{"type": "event_callback",', 'application/json'),
      [400],
      /Malformed request body/,
    );
    logger.clear();
    await assertHandled(await signed('payload=%7B%22type%22%3A%22block_actions%22'), [400], /Malformed request body/);
    logger.clear();
    await assertHandled(await signed('payload=not-json-at-all'), [400], /Malformed request body/);
  });

  it('ignores interactions for callback and action ids it never wrote, at once and with a log line', async () => {
    const unknownView = await payload({
      type: 'view_submission',
      user,
      team,
      view: { id: 'V0UNKNOWN', callback_id: 'somebody_elses_modal', state: { values: {} }, blocks: [] },
    });
    await assertHandled(unknownView, [200], /ignored.*somebody_elses_modal/);
    const unknownAction = await payload({
      type: 'block_actions',
      user,
      team,
      actions: [{ type: 'button', action_id: 'launch_missiles', block_id: 'b', value: '1', action_ts: '1.2' }],
    });
    await assertHandled(unknownAction, [200], /ignored.*launch_missiles/);
    const unknownShortcut = await payload({
      type: 'message_action',
      callback_id: 'not_ours',
      user,
      team,
      trigger_id: '1.2.3',
      channel: { id: 'C0QA00001', name: 'qa' },
      message: { type: 'message', ts: '1.2', text: 'hi' },
    });
    await assertHandled(unknownShortcut, [200], /ignored.*not_ours/);
    const unknownCommand = await t.sender.slashCommand({ ...qmCommand(t, ''), command: '/rm-rf' });
    await assertHandled(unknownCommand, [200], /ignored.*\/rm-rf/);
  });

  it('answers payloads with missing or mistyped fields without a crash or a stack trace', async () => {
    const bodies: Array<[string, unknown]> = [
      ['empty object', {}],
      ['an array', []],
      ['null', null],
      ['a string', 'view_submission'],
      ['view_submission without a view', { type: 'view_submission', user, team }],
      [
        'view_submission without state',
        { type: 'view_submission', user, team, view: { id: 'V1', callback_id: 'qm_comment' } },
      ],
      [
        'view_submission with state of the wrong shape',
        {
          type: 'view_submission',
          user,
          team,
          view: { id: 'V1', callback_id: 'qm_comment', state: { values: 'x' }, blocks: 7 },
        },
      ],
      [
        'view_submission without a user',
        {
          type: 'view_submission',
          team,
          view: { id: 'V1', callback_id: 'qm_comment', state: { values: {} }, blocks: [] },
        },
      ],
      ['block_actions without actions', { type: 'block_actions', user, team }],
      ['block_actions with actions not a list', { type: 'block_actions', user, team, actions: 'assessment_retry' }],
      [
        'Retry without a value',
        {
          type: 'block_actions',
          user,
          team,
          actions: [{ type: 'button', action_id: 'assessment_retry', block_id: 'b', action_ts: '1' }],
        },
      ],
      [
        'Comment button with a value that is not ours',
        {
          type: 'block_actions',
          user,
          team,
          actions: [
            { type: 'button', action_id: 'qm_comment_on_unfurl', block_id: 'b', value: '{"s":1}', action_ts: '1' },
          ],
        },
      ],
      [
        'shortcut without message or channel',
        { type: 'message_action', callback_id: 'comment_on_call', user, team, trigger_id: '1.2.3' },
      ],
      [
        'shortcut whose message is a string',
        {
          type: 'message_action',
          callback_id: 'comment_on_call',
          user,
          team,
          trigger_id: '1.2.3',
          channel: { id: 'C0QA00001' },
          message: 'hi',
        },
      ],
    ];
    for (const [name, body] of bodies) {
      logger.clear();
      const result = await payload(body);
      assert.notEqual(result.status, 500, name);
      assert.ok([200, 400, 404].includes(result.status), `${name}: ${result.status}`);
      await assertHandled(result, [200, 400, 404], /Malformed request body|value this app did not write|ignored/);
      assert.equal(
        logger.matching(/Unhandled error|unhandled error/i).length,
        0,
        `${name} reached a listener unchecked:\n${logger.text()}`,
      );
    }
    assert.equal(t.flex.requests.length, 0, 'nothing reached Flex');
  });

  it('answers a slash command with fields missing', async () => {
    const fields = qmCommand(t, SEGMENT_ID);
    const { trigger_id: _trigger, user_id: _user, ...rest } = fields;
    const result = await t.sender.slashCommand(rest);
    await assertHandled(result, [200, 400], /Malformed request body/);
    assert.equal(logger.matching(/Unhandled error/i).length, 0, logger.text());
  });
});

describe('signature verification', () => {
  it('cannot be turned off by any setting', async () => {
    const t = await startTestApp({
      env: {
        SLACK_SIGNATURE_VERIFICATION: 'false',
        SIGNATURE_VERIFICATION: 'false',
        SLACK_SKIP_VERIFICATION: 'true',
        NODE_ENV: 'development',
        LOG_LEVEL: 'debug',
      },
    });
    try {
      const unsigned = await t.sender.raw(new URLSearchParams(qmCommand(t, SEGMENT_ID)).toString(), {
        'content-type': FORM,
      });
      assert.equal(unsigned.status, 401);
      assert.equal(t.slack.calls('views.open').length, 0);
    } finally {
      await t.close();
    }
  });

  it('refuses to start without a signing secret rather than accept unsigned requests', () => {
    assert.throws(() => new SlackReceiver({ signingSecret: ' ' }), /signing secret is empty/);
  });
});
