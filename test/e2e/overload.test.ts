import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openModalWithQm, submitModal } from '../helpers/reviewer-story.js';
import { CATEGORY, eventually, SEGMENT_ID, startTestApp, type TestApp } from '../helpers/test-app.js';

describe('when more comments arrive than the app can send at once (overloaded)', () => {
  let t: TestApp;
  let overloaded = true;
  before(async () => {
    t = await startTestApp({ overloaded: () => overloaded });
  });
  after(async () => {
    await t.close();
  });

  it('answers every submission at once, sends 16 at a time, and still shows each outcome in its modal', async () => {
    t.flex.setLatency(400);
    // Opened while Flex was quick to say whose call it is, as on any day.
    const opened = [];
    for (let i = 0; i < 20; i += 1) opened.push(await openModalWithQm(t, `${SEGMENT_ID} 1:${10 + i}`));
    await eventually(() => assert.equal(t.slack.calls('views.update').length, 20));

    const started = Date.now();
    const acks = await Promise.all(
      opened.map((modal, i) => submitModal(t, modal.viewId, { category: CATEGORY.id, comment: `Burst ${i}` })),
    );
    const answeredWithin = Date.now() - started;
    for (const ack of acks) {
      assert.equal(ack.status, 200);
      assert.match(ack.text, /"response_action":"update".*Posting your comment/);
    }
    // Saved before the answer, all of them; while Flex takes 400 ms, at most 16 are on their way.
    assert.ok(answeredWithin < 400, `answered in ${answeredWithin} ms`);
    assert.equal(await t.prisma.assessment.count(), 20);
    assert.ok(t.flex.requests.filter((r) => r.method === 'POST').length <= 16);

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
    assert.ok(rows.every((row) => row.status === 'posted' && row.attempts === 1 && row.reviewerNotifiedAt));
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
