import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { AssessmentRepository } from '../../src/db/repositories/assessment-repository.js';
import { type FlexBehaviour, htmlErrorPage } from '../fakes/fake-flex-api.js';
import { commentWithQm, modalRefined, openModalWithQm, submitModal } from '../helpers/reviewer-story.js';
import { CATEGORY, eventually, SEGMENT_ID, startTestApp, type TestApp } from '../helpers/test-app.js';

const POST = { method: 'POST' } as const;
const HTML = { 'content-type': 'text/html; charset=utf-8' };
const page = '<html><body><h1>Bad Gateway</h1></body></html>';

/**
 * Answers Flex's API does not promise. Each is a failure the reviewer hears about in words, and the
 * comment ends in Flex exactly once: when Flex may have created it (a 2xx), the app lists the call's
 * comments before sending again.
 */
const CASES: Array<{ name: string; answer: FlexBehaviour; createdByFirstTry: boolean; told: RegExp }> = [
  {
    name: 'an HTML error page with 500',
    answer: htmlErrorPage(500, POST),
    createdByFirstTry: false,
    told: /server error \(HTTP 500\)/,
  },
  {
    name: 'an HTML page with 200, nothing created',
    answer: { ...POST, status: 200, headers: HTML, body: page },
    createdByFirstTry: false,
    told: /HTTP 200 with a body we could not use/,
  },
  {
    name: 'an HTML page with 201, the comment created',
    answer: { ...POST, status: 201, headers: HTML, body: page, processed: true },
    createdByFirstTry: true,
    told: /HTTP 201 with a body we could not use \(not JSON\)/,
  },
  {
    name: 'truncated JSON with 201',
    answer: { ...POST, status: 201, body: '{"account_sid":"AC0000000000000000000000000000', processed: true },
    createdByFirstTry: true,
    told: /HTTP 201 with a body we could not use \(not JSON\)/,
  },
  {
    name: 'JSON missing assessment_sid with 201',
    answer: {
      ...POST,
      status: 201,
      body: JSON.stringify({ comment: { comment: 'x' }, offset: '0.0' }),
      processed: true,
    },
    createdByFirstTry: true,
    told: /HTTP 201 with a body we could not use/,
  },
  {
    name: 'a 201 with an empty body',
    answer: { ...POST, status: 201, body: '', processed: true },
    createdByFirstTry: true,
    told: /HTTP 201 with a body we could not use \(empty body\)/,
  },
];

describe('Flex answers that are not what its API says', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => {
    await t.close();
  });
  beforeEach(async () => {
    await t.prisma.assessment.deleteMany();
    t.flex.reset();
  });

  for (const { name, answer, createdByFirstTry, told } of CASES) {
    it(`${name}: the reviewer is told, the comment stays safe, and it ends in Flex once`, async () => {
      t.flex.failNext(answer);
      const { viewId, responseUrl } = await commentWithQm(t, SEGMENT_ID, { category: CATEGORY.id, comment: name });

      const modal = await t.slack.waitForCall(
        'views.update',
        (c) => c.args.view_id === viewId && /will be sent again/.test(JSON.stringify(c.args.view)),
      );
      assert.match(JSON.stringify(modal.args.view), told);
      const [retrying] = await eventually(() => {
        const posts = t.slack.responsesTo(responseUrl);
        assert.ok(posts.length >= 1, 'the reviewer is told it will be sent again');
        return posts;
      });
      assert.match(JSON.stringify(retrying?.body), /saved and will be sent again/);
      assert.doesNotMatch(JSON.stringify(retrying?.body), /<html|at .*\(/, 'no raw page or stack trace');

      const row = await eventually(async () => {
        const found = await t.prisma.assessment.findFirstOrThrow();
        assert.equal(found.status, 'posted');
        return found;
      });
      assert.equal(t.flex.commentsCreated(), 1, 'exactly one comment in Flex');
      assert.equal(row.flexAssessmentSid, t.flex.comments[0]?.assessment_sid);
      assert.equal(row.comment, name);
      const posts = t.flex.requests.filter((r) => r.method === 'POST').length;
      assert.equal(
        posts,
        createdByFirstTry ? 1 : 2,
        createdByFirstTry ? 'found by listing, not sent again' : 'sent again',
      );
      // Every one of these may have created the comment, so the app looks before it sends again.
      assert.ok(
        t.flex.requests.some((r) => r.method === 'GET' && r.path.endsWith('/Assessments/Comments')),
        'listed before sending again',
      );
      const confirmation = await eventually(() => {
        const all = t.slack.responsesTo(responseUrl);
        assert.equal(all.length, 2);
        return all[1];
      });
      assert.match(JSON.stringify(confirmation?.body), /posted a QM comment/);
    });
  }

  it('keeps a 2xx it could not read pending, outcome unknown; giving up never re-sends, and a retry settles it by listing', async () => {
    // Scripted once the form shows the call: the form's own comment count reads the same list.
    const { viewId, responseUrl } = await openModalWithQm(t, SEGMENT_ID);
    await modalRefined(t, viewId);
    t.flex.failNext({ ...POST, status: 201, body: '', processed: true });
    const list = { method: 'GET', path: '/v1/Insights/QualityManagement/Assessments/Comments' } as const;
    t.flex.failNext({ ...list, status: 503, body: '' }, { ...list, status: 503, body: '' });
    assert.equal((await submitModal(t, viewId, { category: CATEGORY.id, comment: 'Unknown for a while' })).status, 200);
    const failed = await eventually(async () => {
      const found = await t.prisma.assessment.findFirstOrThrow();
      assert.equal(found.status, 'failed');
      return found;
    });
    assert.equal(failed.outcomeUnknown, true, 'still unknown: Flex could not be asked');
    assert.match(failed.lastError ?? '', /after 3 attempts/);
    assert.equal(t.flex.requests.filter((r) => r.method === 'POST').length, 1, 'never sent twice while in doubt');
    const told = await eventually(() => {
      const posts = t.slack.responsesTo(responseUrl);
      assert.equal(posts.length, 2, 'told it will be retried, then the outcome');
      return posts[1];
    });
    assert.match(String(told?.body.text), /not posted to Flex, as far as the app can tell: Flex never confirmed it/);

    // A QM admin (or the Retry button) sends it again: the app lists first and finds it.
    assert.equal(await new AssessmentRepository(t.prisma).requeue(failed.id, new Date()), true);
    const row = await eventually(async () => {
      const found = await t.prisma.assessment.findFirstOrThrow();
      assert.equal(found.status, 'posted');
      return found;
    });
    assert.equal(t.flex.commentsCreated(), 1);
    assert.equal(t.flex.requests.filter((r) => r.method === 'POST').length, 1);
    assert.equal(row.flexAssessmentSid, t.flex.comments[0]?.assessment_sid);
  });
});
