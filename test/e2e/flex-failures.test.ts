import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { CaptureLogger } from '../helpers/capture-logger.js';
import { commentWithQm, openModalWithQm } from '../helpers/reviewer-story.js';
import { CATEGORY, eventually, SEGMENT_ID, startTestApp, type TestApp } from '../helpers/test-app.js';

const FLEX_TIMEOUT_MS = 3_000;

describe('when Flex says no, or does not answer', () => {
  let t: TestApp;
  before(async () => {
    // Its timeout test needs a timeout; long enough that nothing else in this file meets it.
    t = await startTestApp({ env: { FLEX_TIMEOUT_MS: String(FLEX_TIMEOUT_MS) } });
  });
  after(async () => {
    await t.close();
  });
  beforeEach(async () => {
    await t.prisma.assessment.deleteMany();
    t.flex.reset();
  });

  /** The reviewer comments on the known call; returns where Slack will hear about it. */
  const comment = (text: string) => commentWithQm(t, SEGMENT_ID, { category: CATEGORY.id, comment: text });

  const finalModal = (viewId: string, pattern: RegExp) =>
    t.slack.waitForCall('views.update', (c) => c.args.view_id === viewId && pattern.test(JSON.stringify(c.args.view)));

  it('shows Twilio’s reason for a 400 in plain words, gives the comment back, and records the error', async () => {
    t.flex.failNext({
      method: 'POST',
      status: 400,
      body: JSON.stringify({
        code: 20001,
        message: 'Invalid segment for this account',
        more_info: 'https://www.twilio.com/docs/errors/20001',
        status: 400,
      }),
    });
    const { viewId, responseUrl } = await comment('Keep this text');
    const modal = await finalModal(viewId, /:x: Your comment is not in Flex\./);
    assert.match(JSON.stringify(modal.args.view), /Twilio error 20001: Invalid segment for this account/);
    assert.equal(JSON.stringify(modal.args.view).split('did not accept').length - 1, 1, 'the refusal is said once');
    assert.match(JSON.stringify(modal.args.view), /Keep this text/);
    const message = await t.slack.waitForResponse(responseUrl);
    assert.match(JSON.stringify(message.body), /not posted to Flex.*Keep this text/);
    const row = await t.prisma.assessment.findFirstOrThrow();
    assert.equal(row.status, 'failed');
    assert.match(row.lastError ?? '', /Invalid segment for this account/);
    assert.equal(row.comment, 'Keep this text');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(t.flex.requests.filter((r) => r.method === 'POST').length, 1, 'a rejection is not retried');
  });

  it('says what to do when Flex refuses the credentials (401)', async () => {
    t.flex.failNext({
      method: 'POST',
      status: 401,
      body: JSON.stringify({
        code: 20003,
        message: 'Authenticate',
        more_info: 'https://www.twilio.com/docs/errors/20003',
        status: 401,
      }),
    });
    const { viewId } = await comment('Creds');
    const modal = await finalModal(viewId, /:x: Your comment is not in Flex\./);
    assert.match(
      JSON.stringify(modal.args.view),
      /refused the app's credentials \(Twilio error 20003: Authenticate\)\. Ask your Slack admin/,
    );
    assert.equal((await t.prisma.assessment.findFirstOrThrow()).status, 'failed');
  });

  it('keeps the comment pending through a 500, tells the reviewer it will be retried, then posts it once', async () => {
    t.flex.failNext({ method: 'POST', status: 500, body: '<html><body>Internal Server Error</body></html>' });
    const { viewId, responseUrl } = await comment('Retry me');
    await finalModal(viewId, /will be sent again automatically/);
    const [retrying] = await eventually(() => {
      const posts = t.slack.responsesTo(responseUrl);
      assert.ok(posts.length >= 1, 'posts.length >= 1');
      return posts;
    });
    assert.match(JSON.stringify(retrying?.body), /saved and will be sent again/);

    const row = await eventually(async () => {
      const found = await t.prisma.assessment.findFirstOrThrow();
      assert.equal(found.status, 'posted');
      return found;
    });
    assert.equal(row.attempts, 2);
    assert.equal(t.flex.commentsCreated(), 1);
    const confirmation = await eventually(() => {
      const posts = t.slack.responsesTo(responseUrl);
      assert.equal(posts.length, 2);
      return posts[1];
    });
    assert.match(JSON.stringify(confirmation?.body), new RegExp(row.flexAssessmentSid ?? 'x'));
  });

  it('after a timeout, finds the comment Flex did create instead of posting it twice', async () => {
    // Flex creates the comment but answers well after the client's timeout.
    t.flex.failNext({ method: 'POST', delayMs: FLEX_TIMEOUT_MS + 5_000 });
    const { viewId } = await comment('Slow Flex');
    await finalModal(viewId, /will be sent again automatically/);
    const pending = await t.prisma.assessment.findFirstOrThrow();
    assert.equal(pending.status, 'pending');
    assert.equal(pending.outcomeUnknown, true);
    const row = await eventually(async () => {
      const found = await t.prisma.assessment.findFirstOrThrow();
      assert.equal(found.status, 'posted');
      return found;
    });
    assert.equal(t.flex.commentsCreated(), 1, 'exactly one comment in Flex');
    assert.equal(row.flexAssessmentSid, t.flex.comments[0]?.assessment_sid);
    assert.ok(
      t.flex.requests.some((r) => r.method === 'GET' && r.path.endsWith('/Assessments/Comments')),
      "t.flex.requests.some((r) => r.method === 'GET' && r.path.endsWith('/Assessments/Comment…",
    );
  });

  it('gives up after the last attempt, marks it failed, and gives the reviewer the comment back', async () => {
    t.flex.failNext(
      { method: 'POST', status: 503, body: '' },
      { method: 'POST', status: 503, body: '' },
      { method: 'POST', status: 503, body: '' },
    );
    const { responseUrl } = await comment('Never lands');
    const row = await eventually(async () => {
      const found = await t.prisma.assessment.findFirstOrThrow();
      assert.equal(found.status, 'failed');
      return found;
    });
    assert.equal(row.attempts, 3);
    assert.match(row.lastError ?? '', /after 3 attempts/);
    const last = await eventually(() => {
      const posts = t.slack.responsesTo(responseUrl);
      assert.equal(posts.length, 2);
      return posts[1];
    });
    assert.match(JSON.stringify(last?.body), /not posted to Flex.*Never lands/);
  });
});

describe('what the log says when Flex refuses the app', () => {
  const logger = new CaptureLogger();
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ logger, env: { LOG_LEVEL: 'warn' } });
  });
  after(async () => {
    await t.close();
  });

  it('tells the admin which settings to check, not the reviewer whom to ask', async () => {
    t.flex.failNext({
      method: 'GET',
      path: '/v1/Insights/Segments',
      status: 401,
      body: JSON.stringify({ code: 20003, message: 'Authenticate', status: 401 }),
    });
    await openModalWithQm(t, SEGMENT_ID);
    const [line] = await eventually(() => {
      const found = logger.matching(/Flex segment lookup failed/);
      assert.ok(found.length > 0, logger.text());
      return found;
    });
    assert.match(line?.text ?? '', /Twilio error 20003: Authenticate.*Check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN/);
    assert.doesNotMatch(logger.text(), /Ask your/);
  });
});
