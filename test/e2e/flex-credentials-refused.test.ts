import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import { modalRefined, openModalWithQm, submitModal } from '../helpers/reviewer-story.js';
import { CATEGORY, SEGMENT_ID, startTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * The app's Twilio credentials stop working while it runs (rotated, revoked). Flex answers every call
 * 401 (Twilio error 20003); the reviewer must hear that the app's credentials are refused and whom to
 * tell, not that Flex did not answer, and /readyz must say so.
 */
describe('Flex refuses the app’s credentials during the segment look-up', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ env: { TWILIO_AUTH_TOKEN: 'rotated-away' } });
  });
  after(() => t.close());

  it('the modal says the credentials are refused and whom to tell, and so does the agent field on submit', async () => {
    const { viewId } = await openModalWithQm(t, SEGMENT_ID);
    const refined = JSON.stringify((await modalRefined(t, viewId)).args.view);
    assert.match(refined, /Flex refused this app's Twilio credentials \(HTTP 401, Twilio error 20003\)/);
    assert.match(refined, /Tell your Slack admin/);
    assert.doesNotMatch(refined, /did not answer/);

    const submitted = await submitModal(t, viewId, { category: CATEGORY.id, comment: 'Good greeting' });
    assert.equal(submitted.status, 200);
    const errors = submitted.text;
    assert.match(errors, /response_action.*errors/);
    assert.match(errors, /Flex refused this app's Twilio credentials/);
    assert.doesNotMatch(errors, /did not answer/);
    assert.equal(await t.prisma.assessment.count(), 0, 'nothing stored without an agent');
  });

  it('/readyz reports Flex as refusing, with the status and Twilio code, and the database up', async () => {
    const response = await request(`${t.baseUrl}/readyz`);
    assert.equal(response.statusCode, 200);
    const body = (await response.body.json()) as Record<string, { result?: string; detail?: string } | string>;
    assert.equal(body.status, 'degraded');
    assert.equal(body.database, 'up');
    assert.deepEqual(
      { ...(body.flex as object), at: undefined },
      { result: 'refused', call: 'findSegment', detail: 'HTTP 401, Twilio error 20003', at: undefined },
    );
  });
});
