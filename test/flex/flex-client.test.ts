import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Agent } from 'undici';
import { FlexBadResponseError, FlexInvalidRequestError } from '../../src/flex/errors.js';
import { createFlexClient, type FlexClient } from '../../src/flex/flex-client.js';
import { FakeFlexApi } from '../fakes/fake-flex-api.js';

const SEGMENT = '0105be7a-9b87-51f1-8df8-aa74ddb9c4a7';
const AGENT = '583fcaa6-a4ef-5447-9077-900421e37a61';
const COMMENT = {
  categoryId: 'c9ba34ca-0000-4000-8000-000000000001',
  categoryName: 'Good for Training',
  comment: 'Nice close',
  segmentId: SEGMENT,
  agentId: AGENT,
  offsetSeconds: 12,
};

describe('Flex client', () => {
  let flex: FakeFlexApi;
  let client: FlexClient;
  before(async () => {
    flex = await FakeFlexApi.start({ maxPageSize: 2 });
    client = createFlexClient({
      baseUrl: flex.baseUrl,
      credentials: { username: flex.accountSid, password: flex.authToken },
      timeoutMs: 10_000,
    });
  });
  after(async () => {
    await client.close();
    await flex.close();
  });
  beforeEach(() => flex.reset());

  describe('creating a comment', () => {
    it('sends a form POST with basic auth and reads Flex’s strings as numbers', async () => {
      const created = await client.createComment(COMMENT);

      const [request] = flex.requests;
      assert.equal(request?.method, 'POST');
      assert.equal(request?.path, '/v1/Insights/QualityManagement/Assessments/Comments');
      assert.equal(request?.headers['content-type'], 'application/x-www-form-urlencoded');
      assert.equal(request?.headers.accept, 'application/json');
      assert.equal(request?.headers['accept-charset'], 'utf-8');
      assert.equal(
        request?.headers.authorization,
        `Basic ${Buffer.from(`${flex.accountSid}:${flex.authToken}`).toString('base64')}`,
      );
      assert.match(String(request?.headers['user-agent']), /^flex-qm-slack\/\d+\.\d+\.\d+ node\/v\d+/);

      // The fake writes offsets as Flex does ("12.0"), weights and timestamps as strings.
      assert.equal(flex.comments[0]?.offset, '12.0');
      assert.match(created.assessmentSid, /^FM[0-9a-f]{32}$/);
      assert.equal(created.accountSid, flex.accountSid);
      assert.equal(created.offsetSeconds, 12);
      assert.equal(created.weight, 1);
      assert.equal(created.report, true);
      assert.equal(created.text, 'Nice close');
      assert.equal(created.categoryId, COMMENT.categoryId);
      assert.equal(created.categoryName, 'Good for Training');
      assert.equal(created.segmentId, SEGMENT);
      assert.equal(created.agentId, AGENT);
      assert.equal(created.userName, 'Flex Account');
      assert.equal(created.createdAt?.getTime(), Number(flex.comments[0]?.timestamp));
      assert.match(created.url ?? '', /\/Assessments\/Comments\/FM[0-9a-f]{32}$/);
      assert.equal(JSON.parse(created.responseBody).assessment_sid, created.assessmentSid);
    });

    it('tolerates nulls, missing fields, numbers as numbers and unknown fields, as long as there is an assessment_sid', async () => {
      const body = JSON.stringify({
        assessment_sid: `FM${'a'.repeat(32)}`,
        account_sid: null,
        offset: 6.5,
        weight: 'heavy',
        timestamp: 1657329694199,
        report: 'true',
        comment: { comment: null, category: null },
        something_new: { nested: true },
      });
      flex.failNext({ status: 201, body });
      const created = await client.createComment(COMMENT);
      assert.equal(created.assessmentSid, `FM${'a'.repeat(32)}`);
      assert.equal(created.offsetSeconds, 6.5);
      assert.equal(created.weight, null);
      assert.equal(created.report, true);
      assert.equal(created.createdAt?.toISOString(), '2022-07-09T01:21:34.199Z');
      assert.equal(created.text, null);
      assert.equal(created.categoryId, null);
      assert.equal(created.userEmail, null);
      assert.equal(created.responseBody, body);
    });

    it('sends a Flex user’s own Authorization value instead of basic auth', async () => {
      flex.addUser('Token user-abc', { name: 'Rita Reviewer', email: 'rita@example.com' });
      const created = await client.createComment(COMMENT, { authorization: 'Token user-abc' });
      assert.equal(flex.requests[0]?.headers.authorization, 'Token user-abc');
      assert.equal(created.userName, 'Rita Reviewer');
      assert.equal(created.userEmail, 'rita@example.com');
    });

    it('refuses, without sending, an offset that is not a number or a header value that could split headers', async () => {
      for (const offsetSeconds of [Number.NaN, Number.POSITIVE_INFINITY]) {
        const error = await client.createComment({ ...COMMENT, offsetSeconds }).catch((e: unknown) => e);
        assert.ok(error instanceof FlexInvalidRequestError, 'error instanceof FlexInvalidRequestError');
        assert.equal(error.retryable, false);
        assert.equal(error.outcomeUnknown, false);
        assert.match(error.message, /offset must be a finite number/);
      }
      const smuggled = 'Token x\r\nX-Evil: 1';
      const error = await client.createComment(COMMENT, { authorization: smuggled }).catch((e: unknown) => e);
      assert.ok(error instanceof FlexInvalidRequestError, 'error instanceof FlexInvalidRequestError');
      assert.ok(!error.message.includes('Token x'), 'the value stays out of the message');
      assert.equal(flex.requests.length, 0);
    });
  });

  describe('listing comments', () => {
    it('follows next_page_url across pages and filters by segment and agent', async () => {
      for (let i = 0; i < 5; i += 1) await client.createComment({ ...COMMENT, comment: `c${i}` });
      await client.createComment({ ...COMMENT, agentId: 'other-agent', comment: 'not this one' });
      flex.requests.length = 0;

      const comments = await client.listComments({ segmentId: SEGMENT, agentId: AGENT });

      assert.deepEqual(
        comments.map((c) => c.text),
        ['c0', 'c1', 'c2', 'c3', 'c4'],
      );
      assert.equal(flex.requests.length, 3, 'three pages of at most two');
      assert.equal(flex.requests[0]?.rawQuery, `SegmentId=${SEGMENT}&AgentId=${AGENT}&PageSize=1000`);
      assert.ok(flex.requests[1]?.query.get('PageToken'), 'the second page came from the link Flex gave');
      assert.equal(comments[0]?.offsetSeconds, 12);
    });

    it('returns an empty list when Flex has none', async () => {
      assert.deepEqual(await client.listComments({ segmentId: 'nothing-here' }), []);
    });

    it('asks our own host for a next page Flex names on another host, so credentials go nowhere else', async () => {
      flex.failNext({
        method: 'GET',
        status: 200,
        body: JSON.stringify({
          comments: [{ assessment_sid: `FM${'1'.repeat(32)}` }],
          meta: {
            next_page_url:
              'https://elsewhere.example/v1/Insights/QualityManagement/Assessments/Comments?PageToken=PTx&Page=1',
          },
        }),
      });
      flex.failNext({
        method: 'GET',
        status: 200,
        body: JSON.stringify({ comments: [], meta: { next_page_url: null } }),
      });
      const comments = await client.listComments({ segmentId: SEGMENT });
      assert.equal(comments.length, 1);
      assert.equal(flex.requests[1]?.rawQuery, 'PageToken=PTx&Page=1');
    });

    it('stops with an error when the next page link leads back to a page already read', async () => {
      const self = `${flex.baseUrl}/v1/Insights/QualityManagement/Assessments/Comments?Page=1&PageToken=PTloop`;
      const page = JSON.stringify({ comments: [], meta: { next_page_url: self } });
      flex.failNext({ method: 'GET', status: 200, body: page }, { method: 'GET', status: 200, body: page });
      const error = await client.listComments({ segmentId: SEGMENT }).catch((e: unknown) => e);
      assert.ok(error instanceof FlexBadResponseError, 'error instanceof FlexBadResponseError');
      assert.match(error.message, /already read/);
      assert.equal(error.outcomeUnknown, false);
    });

    it('fails past 50 pages, where the history’s list of the same comments stops at five and says it is incomplete', async () => {
      for (let i = 0; i < 51; i += 1) await client.createComment({ ...COMMENT, comment: `c${i}` });
      flex.setMaxPageSize(1);
      flex.requests.length = 0;

      const error = await client.listComments({ segmentId: SEGMENT }).catch((e: unknown) => e);
      assert.ok(error instanceof FlexBadResponseError, 'error instanceof FlexBadResponseError');
      assert.match(error.message, /more than 50 pages/);
      assert.equal(flex.requests.length, 50, 'no page read past the bound');

      flex.requests.length = 0;
      const history = await client.listCallComments(SEGMENT);
      assert.equal(history.complete, false);
      assert.deepEqual(
        history.items.map((c) => c.text),
        ['c0', 'c1', 'c2', 'c3', 'c4'],
      );
      assert.equal(flex.requests.length, 5);

      flex.setMaxPageSize(1000);
      const whole = await client.listCallComments(SEGMENT);
      assert.deepEqual([whole.items.length, whole.complete], [51, true]);
    });
  });

  describe('finding a segment', () => {
    it('returns null when Flex has no such segment', async () => {
      assert.equal(await client.findSegment('0a0a0a0a-0000-4000-8000-000000000000'), null);
      assert.equal(flex.requests[0]?.rawQuery, 'SegmentId=0a0a0a0a-0000-4000-8000-000000000000');
    });

    it('returns the segment with its agent, date and recording offset', async () => {
      flex.addSegment({
        segment_id: SEGMENT,
        agent_id: AGENT,
        agent_name: 'Alex Agent',
        agent_team_name: 'Billing',
        customer_name: 'Casey Customer',
        queue: 'Support',
        date: '2026-11-20T10:00:00Z',
        external_segment_link: 'https://flex.twilio.com/segment',
        segment_recording_offset: '4.5',
      });
      assert.deepEqual(await client.findSegment(SEGMENT), {
        segmentId: SEGMENT,
        agentId: AGENT,
        agentName: 'Alex Agent',
        agentTeamName: 'Billing',
        customerName: 'Casey Customer',
        queue: 'Support',
        date: new Date('2026-11-20T10:00:00Z'),
        externalSegmentLink: 'https://flex.twilio.com/segment',
        recordingOffsetSeconds: 4.5,
      });
    });

    it('does not take another call’s segment when Flex ignores the filter', async () => {
      flex.failNext({
        method: 'GET',
        status: 200,
        body: JSON.stringify({ segments: [{ segment_id: 'someone-else', agent_id: 'x' }], meta: {} }),
      });
      assert.equal(await client.findSegment(SEGMENT), null);
    });
  });

  it('lists the comment categories Flex offers', async () => {
    flex.setCommentCategories([
      { id: 'c1', name: 'Good for Training', default: true, sort: 2 },
      { id: 'c2', name: 'Compliance' },
    ]);
    assert.deepEqual(await client.listCommentCategories(), [
      { id: 'c1', name: 'Good for Training', isDefault: true, sort: 2 },
      { id: 'c2', name: 'Compliance', isDefault: false, sort: 1 },
    ]);
    assert.equal(flex.requests[0]?.path, '/v1/Insights/QualityManagement/Settings/CommentTags');
  });

  it('skips comment categories without an id or a name', async () => {
    flex.failNext({
      method: 'GET',
      status: 200,
      body: JSON.stringify({
        comments: [{ id: 'c1', name: 'Kept', sort: '3' }, { id: null, name: 'No id' }, { id: 'c3' }],
      }),
    });
    assert.deepEqual(await client.listCommentCategories(), [{ id: 'c1', name: 'Kept', isDefault: false, sort: 3 }]);
  });
});

describe('Flex client set-up', () => {
  it('refuses options it could not work with, without echoing the secrets', () => {
    assert.throws(
      () =>
        createFlexClient({
          baseUrl: 'flex-api.twilio.com',
          credentials: { username: 'AC:1', password: 'hunter2\n' },
          timeoutMs: 0,
        }),
      (error: unknown) => {
        assert.ok(error instanceof TypeError, 'error instanceof TypeError');
        assert.match(error.message, /baseUrl/);
        assert.match(error.message, /credentials\.username/);
        assert.match(error.message, /credentials\.password/);
        assert.match(error.message, /timeoutMs/);
        assert.ok(!error.message.includes('hunter2'), "!error.message.includes('hunter2')");
        return true;
      },
    );
  });

  it('drops a trailing slash from the base URL', async () => {
    const flex = await FakeFlexApi.start();
    const client = createFlexClient({
      baseUrl: `${flex.baseUrl}/`,
      credentials: { username: flex.accountSid, password: flex.authToken },
      timeoutMs: 10_000,
    });
    try {
      await client.listCommentCategories();
      assert.equal(flex.requests[0]?.path, '/v1/Insights/QualityManagement/Settings/CommentTags');
    } finally {
      await client.close();
      await flex.close();
    }
  });

  it('uses a dispatcher it is given and leaves closing it to its owner', async () => {
    const flex = await FakeFlexApi.start();
    const agent = new Agent();
    const client = createFlexClient({
      baseUrl: flex.baseUrl,
      credentials: { username: flex.accountSid, password: flex.authToken },
      timeoutMs: 10_000,
      userAgent: 'custom-agent/1',
      dispatcher: agent,
    });
    try {
      await client.listCommentCategories();
      await client.close();
      assert.equal(agent.closed, false);
      assert.equal(flex.requests[0]?.headers['user-agent'], 'custom-agent/1');
    } finally {
      await agent.close();
      await flex.close();
    }
  });
});
