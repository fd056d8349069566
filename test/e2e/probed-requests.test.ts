import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { CaptureLogger } from '../helpers/capture-logger.js';
import { openModalWithQm, qmCommand } from '../helpers/reviewer-story.js';
import { viewSubmissionPayload } from '../helpers/slack-payloads.js';
import { REVIEWER, SEGMENT_ID, SIGNING_SECRET, startTestApp, TEAM_ID, type TestApp } from '../helpers/test-app.js';

const FORM = 'application/x-www-form-urlencoded';

/** Signs over exactly the timestamp text given, as a forger who controls the header would. */
function signedWith(timestamp: string, body: string): Record<string, string> {
  const hex = createHmac('sha256', SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest('hex');
  return { 'content-type': FORM, 'x-slack-request-timestamp': timestamp, 'x-slack-signature': `v0=${hex}` };
}

describe('requests found by probing the running app', () => {
  let t: TestApp;
  const logger = new CaptureLogger();
  before(async () => {
    t = await startTestApp({ logger, env: { LOG_LEVEL: 'debug' } });
  });
  after(async () => {
    await t.close();
  });
  beforeEach(() => logger.clear());

  it('refuses timestamps that are not whole seconds within five minutes, however they are signed (401)', async () => {
    const command = qmCommand(t, SEGMENT_ID);
    const body = new URLSearchParams(command).toString();
    const now = Math.floor(Date.now() / 1000);
    for (const timestamp of ['Infinity', '1e12', `${now}.5`, ` ${now}`, `0x${now.toString(16)}`, '-1', '']) {
      const result = await t.sender.raw(body, signedWith(timestamp, body));
      assert.equal(result.status, 401, `timestamp ${JSON.stringify(timestamp)}`);
    }
    // The same body signed over a genuine timestamp is taken: the refusals were about the timestamp.
    const genuine = await t.sender.raw(body, signedWith(String(now), body));
    assert.equal(genuine.status, 200);
    await t.slack.waitForCall('views.open', (call) => call.args.trigger_id === command.trigger_id);
    assert.equal(t.slack.calls('views.open').length, 1, 'only the genuine command opened a form');
  });

  it('answers Slack’s unsigned ssl_check with a 200 and reads nothing else from it', async () => {
    const before = t.slack.calls('views.open').length;
    const check = await t.sender.raw('ssl_check=1&token=legacy-verification-token', { 'content-type': FORM });
    assert.equal(check.status, 200);
    assert.equal(check.text, '');
    // A command smuggled beside ssl_check=1 is not run: the request is unsigned.
    const smuggled = new URLSearchParams({ ...qmCommand(t, SEGMENT_ID), ssl_check: '1' }).toString();
    const answer = await t.sender.raw(smuggled, { 'content-type': FORM });
    assert.equal(answer.status, 200);
    assert.equal(answer.text, '');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(t.slack.calls('views.open').length, before, 'no form was opened');
    // Without ssl_check=1 the same unsigned body is refused.
    const unsigned = await t.sender.raw(new URLSearchParams(qmCommand(t, SEGMENT_ID)).toString(), {
      'content-type': FORM,
    });
    assert.equal(unsigned.status, 401);
  });

  it('answers a view_closed for its own modal at once, with a debug line and no error', async () => {
    const { viewId } = await openModalWithQm(t, SEGMENT_ID);
    logger.clear();
    const payload = viewSubmissionPayload({
      view: t.slack.currentView(viewId),
      values: {},
      user: { id: REVIEWER.userId, name: 'rita', teamId: TEAM_ID },
      team: { id: TEAM_ID, domain: 'acme' },
    }) as Record<string, unknown>;
    const started = Date.now();
    const result = await t.sender.interaction({ ...payload, type: 'view_closed', is_cleared: false });
    assert.equal(result.status, 200);
    assert.equal(result.text, '');
    assert.ok(Date.now() - started < 1_500, `answered after ${Date.now() - started} ms`);
    assert.deepEqual(
      logger.lines.filter((line) => line.level === 'warn' || line.level === 'error'),
      [],
      logger.text(),
    );
    assert.ok(logger.matching(/closing of view qm_comment/).length > 0, logger.text());
    assert.equal(
      t.flex.requests.filter((request) => request.method === 'POST').length,
      0,
      'closing the form sent nothing to Flex',
    );
  });
});
