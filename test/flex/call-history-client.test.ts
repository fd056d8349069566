import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { FlexBadResponseError, FlexNetworkError } from '../../src/flex/errors.js';
import { createFlexClient, type FlexClient } from '../../src/flex/flex-client.js';
import { flexReadProblemText } from '../../src/slack/views/flex-read-problem.js';
import { FakeFlexApi } from '../fakes/fake-flex-api.js';

const SEGMENT = '0105be7a-9b87-51f1-8df8-aa74ddb9c4a7';
const COMMENTS = '/v1/Insights/QualityManagement/Assessments/Comments';
const ASSESSMENTS = '/v1/Insights/QualityManagement/Assessments';
/** The impatient client's timeout, and how long the fake holds the answers it must give up on. */
const TIMEOUT_MS = 250;
const SLOW_ANSWER_MS = 5_000;

const failureOf = (work: Promise<unknown>) =>
  work.then(
    () => assert.fail('expected the call to fail'),
    (error: unknown) => error,
  );

describe('the call history client (the list calls of /qm history)', () => {
  let flex: FakeFlexApi;
  let client: FlexClient;
  let impatient: FlexClient;
  const clientFor = (timeoutMs: number) =>
    createFlexClient({
      baseUrl: flex.baseUrl,
      credentials: { username: flex.accountSid, password: flex.authToken },
      timeoutMs,
    });

  before(async () => {
    flex = await FakeFlexApi.start();
    client = clientFor(10_000);
    impatient = clientFor(TIMEOUT_MS);
  });
  after(async () => {
    await client.close();
    await impatient.close();
    await flex.close();
  });
  beforeEach(() => {
    flex.reset();
  });

  /** Comments created as any Flex user would, straight at the fake. */
  async function addComments(count: number): Promise<void> {
    const auth = `Basic ${Buffer.from(`${flex.accountSid}:${flex.authToken}`).toString('base64')}`;
    for (let i = 0; i < count; i += 1) {
      const body = new URLSearchParams({
        CategoryId: 'c1',
        CategoryName: 'Compliance',
        Comment: `Comment ${i}`,
        SegmentId: SEGMENT,
        AgentId: 'a1',
        Offset: String(i),
      }).toString();
      const response = await fetch(`${flex.baseUrl}${COMMENTS}`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      assert.equal(response.status, 201);
    }
    flex.requests.length = 0;
  }

  it('follows meta.next_page_url, and stops at five pages saying the list is not whole', async () => {
    await addComments(7);
    flex.setMaxPageSize(2);
    const all = await client.listCallComments(SEGMENT);
    assert.equal(all.items.length, 7);
    assert.equal(all.complete, true);
    assert.equal(flex.requests.length, 4);

    flex.requests.length = 0;
    flex.setMaxPageSize(1);
    const bounded = await client.listCallComments(SEGMENT);
    assert.deepEqual(
      bounded.items.map((c) => c.text),
      ['Comment 0', 'Comment 1', 'Comment 2', 'Comment 3', 'Comment 4'],
    );
    assert.equal(bounded.complete, false);
    assert.equal(flex.requests.length, 5);
  });

  it('counts from one page: "more" when Flex has a next page', async () => {
    await addComments(3);
    assert.deepEqual(await client.countCallComments(SEGMENT), { count: 3, more: false });
    flex.setMaxPageSize(2);
    assert.deepEqual(await client.countCallComments(SEGMENT), { count: 2, more: true });
    assert.deepEqual(
      flex.requests.map((r) => r.rawQuery),
      [`SegmentId=${SEGMENT}&PageSize=50`, `SegmentId=${SEGMENT}&PageSize=50`],
    );
  });

  it('reads answers tolerantly: numbers as strings, a missing questionnaire, an item without a SID skipped', async () => {
    flex.failNext({
      method: 'GET',
      path: ASSESSMENTS,
      status: 200,
      body: JSON.stringify({
        assessments: [
          {
            assessment_sid: `FM${'a'.repeat(32)}`,
            offset: '12.5',
            timestamp: '1764000000000',
            user_name: 'Rita',
            answer_text: 'Yes',
            assessment: null,
          },
          { assessment_sid: null, answer_text: 'lost' },
        ],
        meta: { next_page_url: null },
      }),
    });
    const { items } = await client.listCallAnswers(SEGMENT);
    assert.deepEqual(items, [
      {
        assessmentSid: `FM${'a'.repeat(32)}`,
        questionnaireSid: null,
        questionnaireName: null,
        questionText: null,
        categoryName: null,
        answerText: 'Yes',
        offsetSeconds: 12.5,
        userName: 'Rita',
        userEmail: null,
        createdAt: new Date(1764000000000),
      },
    ]);
  });

  it('gives up on a slow Flex and says what to do, and says so of an answer it cannot read', async () => {
    flex.failNext({ method: 'GET', path: COMMENTS, delayMs: SLOW_ANSWER_MS });
    const late = await failureOf(impatient.listCallComments(SEGMENT));
    assert.ok(late instanceof FlexNetworkError, 'late instanceof FlexNetworkError');
    assert.equal(
      flexReadProblemText(late),
      `Flex did not answer within ${TIMEOUT_MS} ms. Try again in a minute; if it goes on, tell your Slack admin (the app's log says more).`,
    );

    flex.failNext({ method: 'GET', path: COMMENTS, status: 200, body: '<html>gateway</html>' });
    const odd = await failureOf(client.countCallComments(SEGMENT));
    assert.ok(odd instanceof FlexBadResponseError, 'odd instanceof FlexBadResponseError');
    assert.match(
      flexReadProblemText(odd),
      /Flex answered HTTP 200 with a body we could not use \(not JSON\)\. Try again;/,
    );
  });
});
