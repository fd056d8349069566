import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  FlexBadResponseError,
  FlexNetworkError,
  FlexRejectedError,
  FlexUnavailableError,
} from '../../src/flex/errors.js';
import { createFlexClient, type FlexClient, retryAfterMs } from '../../src/flex/flex-client.js';
import { FakeFlexApi } from '../fakes/fake-flex-api.js';

const SEGMENT = '0105be7a-9b87-51f1-8df8-aa74ddb9c4a7';
const AGENT = '583fcaa6-a4ef-5447-9077-900421e37a61';
const COMMENT = {
  categoryId: 'c9ba34ca-0000-4000-8000-000000000001',
  categoryName: 'Good for Training',
  comment: 'Nice close',
  segmentId: SEGMENT,
  agentId: AGENT,
  offsetSeconds: 6.5,
};

describe('Flex client', () => {
  let flex: FakeFlexApi;
  let client: FlexClient;
  before(async () => {
    flex = await FakeFlexApi.start();
    client = createFlexClient({
      baseUrl: flex.baseUrl,
      credentials: { username: flex.accountSid, password: flex.authToken },
      timeoutMs: 300,
    });
  });
  after(async () => {
    await client.close();
    await flex.close();
  });
  beforeEach(() => flex.reset());

  it('creates a comment and reads Flex’s strings as numbers', async () => {
    const created = await client.createComment(COMMENT);
    assert.match(created.assessmentSid, /^FM[0-9a-f]{32}$/);
    assert.equal(created.offsetSeconds, 6.5);
    assert.equal(created.weight, 1);
    assert.equal(created.text, 'Nice close');
    assert.equal(created.categoryId, COMMENT.categoryId);
    assert.ok(created.createdAt instanceof Date);
    assert.equal(JSON.parse(created.responseBody).assessment_sid, created.assessmentSid);
  });

  it('tolerates nulls and missing fields in a 201 as long as there is an assessment_sid', async () => {
    flex.failNext({
      status: 201,
      body: JSON.stringify({ assessment_sid: `FM${'a'.repeat(32)}`, offset: null, comment: null }),
    });
    const created = await client.createComment(COMMENT);
    assert.equal(created.offsetSeconds, null);
    assert.equal(created.text, null);
  });

  it('sends a Flex user’s own Authorization value instead of basic auth', async () => {
    flex.addUser('Token user-abc', { name: 'Rita Reviewer', email: 'rita@example.com' });
    const created = await client.createComment(COMMENT, { authorization: 'Token user-abc' });
    assert.equal(flex.requests[0]?.headers.authorization, 'Token user-abc');
    assert.equal(created.userEmail, 'rita@example.com');
  });

  it('turns 4xx into a rejection a person can act on', async () => {
    const wrong = createFlexClient({
      baseUrl: flex.baseUrl,
      credentials: { username: 'AC1', password: 'x' },
      timeoutMs: 300,
    });
    try {
      const error = await wrong.createComment(COMMENT).catch((e: unknown) => e);
      assert.ok(error instanceof FlexRejectedError);
      assert.equal(error.status, 401);
      assert.equal(error.twilioCode, 20003);
      assert.equal(error.retryable, false);
      assert.match(error.message, /refused the app's credentials \(Twilio error 20003: Authenticate\)/);
      assert.ok(!error.message.includes(flex.authToken));
    } finally {
      await wrong.close();
    }
    const missing = await client.createComment({ ...COMMENT, comment: '' }).catch((e: unknown) => e);
    assert.ok(missing instanceof FlexRejectedError);
    assert.match(missing.message, /Missing required parameter Comment/);
  });

  it('marks 5xx and 429 as worth retrying, with Retry-After honoured', async () => {
    flex.failNext({ status: 503, body: '<html>Service Unavailable</html>' });
    const down = await client.createComment(COMMENT).catch((e: unknown) => e);
    assert.ok(down instanceof FlexUnavailableError);
    assert.equal(down.retryable, true);
    assert.equal(down.outcomeUnknown, true);

    flex.failNext({
      status: 429,
      body: '{"code":20429,"message":"Too many requests"}',
      headers: { 'retry-after': '7' },
    });
    const busy = await client.createComment(COMMENT).catch((e: unknown) => e);
    assert.ok(busy instanceof FlexUnavailableError);
    assert.equal(busy.retryAfterMs, 7000);
    assert.equal(busy.outcomeUnknown, false);
    assert.equal(retryAfterMs('Wed, 21 Oct 2015 07:28:05 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')), 5000);
  });

  it('says the outcome is unknown when Flex is slow or drops the connection after doing the work', async () => {
    flex.failNext({ delayMs: 1_000 });
    const slow = await client.createComment(COMMENT).catch((e: unknown) => e);
    assert.ok(slow instanceof FlexNetworkError);
    assert.equal(slow.outcomeUnknown, true);
    assert.match(slow.message, /did not answer within 300 ms/);

    flex.failNext({ resetAfterProcessing: true });
    const reset = await client.createComment(COMMENT).catch((e: unknown) => e);
    assert.ok(reset instanceof FlexNetworkError);
    assert.equal(reset.outcomeUnknown, true);
    assert.equal(flex.commentsCreated(), 2);
  });

  it('knows a refused connection never reached Flex', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const nowhere = createFlexClient({
      baseUrl: `http://127.0.0.1:${port}`,
      credentials: { username: 'a', password: 'b' },
      timeoutMs: 300,
    });
    const error = await nowhere.createComment(COMMENT).catch((e: unknown) => e);
    await nowhere.close();
    assert.ok(error instanceof FlexNetworkError);
    assert.equal(error.outcomeUnknown, false);
  });

  it('treats HTML, truncated JSON and an empty 201 as failures that may have landed', async () => {
    for (const body of ['<html>oops</html>', '{"assessment_sid": "FM', '']) {
      flex.failNext({ status: 201, body });
      const error = await client.createComment(COMMENT).catch((e: unknown) => e);
      assert.ok(error instanceof FlexBadResponseError, body);
      assert.equal(error.outcomeUnknown, true);
    }
  });

  it('lists comments across pages, finds segments and reads comment categories', async () => {
    for (let i = 0; i < 3; i += 1) await client.createComment({ ...COMMENT, comment: `c${i}` });
    flex.failNext({
      status: 200,
      method: 'GET',
      body: JSON.stringify({ comments: [], meta: { next_page_url: null } }),
    });
    assert.deepEqual(await client.listComments({ segmentId: SEGMENT }), []);
    const all = await client.listComments({ segmentId: SEGMENT, agentId: AGENT });
    assert.deepEqual(
      all.map((c) => c.text),
      ['c0', 'c1', 'c2'],
    );

    assert.equal(await client.findSegment(SEGMENT), null);
    flex.addSegment({
      segment_id: SEGMENT,
      agent_id: AGENT,
      agent_name: 'Alex',
      queue: 'Support',
      date: '2026-11-20T10:00:00Z',
    });
    const segment = await client.findSegment(SEGMENT);
    assert.equal(segment?.agentId, AGENT);
    assert.equal(segment?.date?.toISOString(), '2026-11-20T10:00:00.000Z');

    flex.setCommentCategories([{ id: 'c1', name: 'Good for Training', default: true, sort: 2 }]);
    assert.deepEqual(await client.listCommentCategories(), [
      { id: 'c1', name: 'Good for Training', isDefault: true, sort: 2 },
    ]);
  });
});
