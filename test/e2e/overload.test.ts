import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openModalWithQm, submitModal } from '../helpers/reviewer-story.js';
import { CATEGORY, eventually, SEGMENT_ID, startTestApp, type TestApp } from '../helpers/test-app.js';

describe('when more comments arrive than the app can send at once (overloaded)', () => {
  let t: TestApp;
  let overloaded = true;
  before(async () => {
    // Flex's answers are held back below for as long as the test needs: no timeout may cut them short.
    t = await startTestApp({ overloaded: () => overloaded, env: { FLEX_TIMEOUT_MS: '60000' } });
  });
  /** Lets Flex answer, should a test stop while it holds its answers back. */
  let released = () => {};
  after(async () => {
    released();
    await t.close();
  });

  it('answers every submission at once, sends 16 at a time, and still shows each outcome in its modal', async () => {
    // Opened while Flex was quick to say whose call it is, as on any day.
    const opened = [];
    for (let i = 0; i < 20; i += 1) opened.push(await openModalWithQm(t, `${SEGMENT_ID} 1:${10 + i}`));
    await eventually(() => assert.equal(t.slack.calls('views.update').length, 20));
    // Then Flex answers nothing until told: every answer below came without waiting for Flex, however
    // slow the machine (a bound on the time would not tell that on a loaded one).
    const releaseFlex = t.flex.holdAnswers();
    released = releaseFlex;

    const acks = await Promise.all(
      opened.map((modal, i) => submitModal(t, modal.viewId, { category: CATEGORY.id, comment: `Burst ${i}` })),
    );
    for (const ack of acks) {
      assert.equal(ack.status, 200);
      assert.match(ack.text, /"response_action":"update".*Posting your comment/);
    }
    // Saved before the answer, all of them; while Flex has not answered, at most 16 are on their way.
    assert.equal(await t.prisma.assessment.count(), 20);
    const posts = () => t.flex.requests.filter((r) => r.method === 'POST').length;
    assert.ok(posts() <= 16, 'posts() <= 16');
    await eventually(() => assert.equal(posts(), 16));
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(posts(), 16, 'no 17th while 16 wait for Flex');
    releaseFlex();

    await eventually(() => assert.equal(t.flex.commentsCreated(), 20), 10_000);
    for (const modal of opened) {
      // The ones the worker sent show their outcome too: in the modal, and where the command ran.
      await t.slack.waitForCall(
        'views.update',
        (c) => c.args.view_id === modal.viewId && /Your comment is in Flex/.test(JSON.stringify(c.args.view)),
      );
      await t.slack.waitForResponse(modal.responseUrl);
    }
    const rows = await t.prisma.assessment.findMany();
    assert.ok(
      rows.every((row) => row.status === 'posted' && row.attempts === 1 && row.reviewerNotifiedAt),
      "rows.every((row) => row.status === 'posted' && row.attempts === 1 && row.reviewerNotifi…",
    );
    assert.equal(t.flex.commentsCreated(), 20, 'each comment once');
  });

  it('sends at once again when the load has passed', async () => {
    overloaded = false;
    t.flex.setLatency(0);
    const modal = await openModalWithQm(t, `${SEGMENT_ID} 2:00`);
    await t.slack.waitForCall('views.update', (c) => c.args.view_id === modal.viewId);
    const before = t.flex.commentsCreated();
    const ack = await submitModal(t, modal.viewId, { category: CATEGORY.id, comment: 'Calm again' });
    assert.equal(ack.status, 200);
    await t.slack.waitForCall(
      'views.update',
      (c) => c.args.view_id === modal.viewId && /Your comment is in Flex/.test(JSON.stringify(c.args.view)),
    );
    assert.equal(t.flex.commentsCreated(), before + 1);
  });
});
