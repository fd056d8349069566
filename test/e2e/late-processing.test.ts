import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { commentWithQm } from '../helpers/reviewer-story.js';
import { CATEGORY, eventually, SEGMENT_ID, startTestApp, type TestApp } from '../helpers/test-app.js';

const FLEX_TIMEOUT_MS = 300;

/**
 * A request that waits in front of Flex (a busy load balancer) longer than the client's timeout is
 * processed after the app gave up on it. Listing the call's comments at once would not find it, and the
 * comment would be sent a second time; the app waits twice the timeout before it lists.
 */
describe('a comment Flex processes after the app stopped waiting', () => {
  let t: TestApp;
  before(async () => {
    // DELIVERY_UNKNOWN_OUTCOME_WAIT_MS unset (the tests' app sets 0): its default, twice the timeout.
    t = await startTestApp({ env: { FLEX_TIMEOUT_MS: String(FLEX_TIMEOUT_MS), DELIVERY_UNKNOWN_OUTCOME_WAIT_MS: '' } });
  });
  after(async () => {
    await t.close();
  });

  it('is found by the listing that settles it, and is in Flex once', async () => {
    // Processed 600 ms after it arrived: after the timeout (300 ms) and after the first retry would
    // have listed (the tests' backoff is 50-100 ms), before the settling listing (600 ms after the timeout).
    t.flex.failNext({ method: 'POST', processAfterMs: FLEX_TIMEOUT_MS * 2 });
    await commentWithQm(t, SEGMENT_ID, { category: CATEGORY.id, comment: 'Queued in front of Flex' });

    const row = await eventually(async () => {
      const found = await t.prisma.assessment.findFirstOrThrow();
      assert.equal(found.status, 'posted');
      return found;
    });
    assert.equal(t.flex.commentsCreated(), 1, 'exactly one comment in Flex');
    assert.equal(row.flexAssessmentSid, t.flex.comments[0]?.assessment_sid);
    assert.equal(t.flex.requests.filter((r) => r.method === 'POST').length, 1, 'not sent a second time');
    assert.ok(
      t.flex.requests.some((r) => r.method === 'GET' && r.path.endsWith('/Assessments/Comments')),
      'settled by listing',
    );
  });
});
