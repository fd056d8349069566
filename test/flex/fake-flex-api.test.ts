import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Agent, request } from 'undici';
import { FakeFlexApi } from '../fakes/fake-flex-api.js';

const COMMENTS = '/v1/Insights/QualityManagement/Assessments/Comments';
const FORM = 'application/x-www-form-urlencoded';
const VALID = {
  CategoryId: '4b4e78e4-4f05-49e2-bf52-0973c5cde418',
  CategoryName: 'Good for Training',
  Comment: 'ok',
  SegmentId: 'dbdf1f7b-c776-5e78-9676-98a397fb3cdc',
  AgentId: '583fcaa6-a4ef-5447-9077-900421e37a61',
  Offset: '6.985619',
};

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

// The fake is checked as Flex would be, through plain HTTP, so its strictness is what the client tests rely on.
describe('the fake Flex API', () => {
  let flex: FakeFlexApi;
  let agent: Agent;
  let auth: string;
  const call = async (
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    options: { authorization?: string | null; contentType?: string; form?: Record<string, string> } = {},
  ) => {
    const headers: Record<string, string> = {};
    if (options.authorization !== null) headers.authorization = options.authorization ?? auth;
    if (options.contentType ?? options.form) headers['content-type'] = options.contentType ?? FORM;
    const response = await request(`${flex.baseUrl}${path}`, {
      method,
      headers,
      dispatcher: agent,
      ...(options.form ? { body: new URLSearchParams(options.form).toString() } : {}),
    });
    const text = await response.body.text();
    return {
      status: response.statusCode,
      headers: response.headers,
      json: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    };
  };

  before(async () => {
    flex = await FakeFlexApi.start({ accountSid: `AC${'0'.repeat(32)}`, authToken: 'token-1' });
    agent = new Agent();
    auth = basic(flex.accountSid, flex.authToken);
  });
  after(async () => {
    await agent.close();
    await flex.close();
  });
  beforeEach(() => {
    flex.reset();
    flex.setCommentCategories([]);
  });

  it('answers a create with 201, Flex’s body and Twilio’s CORS headers, and keeps the comment', async () => {
    const { status, headers, json } = await call('POST', COMMENTS, { form: VALID });
    assert.equal(status, 201);
    assert.equal(headers['access-control-allow-origin'], '*');
    assert.match(String(headers['access-control-allow-headers']), /Authorization/);
    assert.match(String(headers['content-type']), /^application\/json/);
    assert.match(String(json.assessment_sid), /^FM[0-9a-f]{32}$/);
    assert.equal(json.account_sid, flex.accountSid);
    assert.deepEqual(json.comment, {
      comment: 'ok',
      category: { category_id: VALID.CategoryId, name: 'Good for Training' },
    });
    assert.equal(json.offset, '6.985619');
    assert.equal(json.weight, '1');
    assert.match(String(json.timestamp), /^\d{13}$/);
    assert.equal(json.url, `https://flex-api.twilio.com${COMMENTS}/${json.assessment_sid}`);
    assert.equal(flex.commentsCreated(), 1);
  });

  it('takes an API key, or a Flex user’s own Authorization value, and refuses anything else like Twilio', async () => {
    assert.equal(
      (await call('POST', COMMENTS, { form: VALID, authorization: basic(flex.apiKeySid, flex.apiKeySecret) })).status,
      201,
    );
    flex.addUser('Token rita', { name: 'Rita', email: 'rita@example.com' });
    const asRita = await call('POST', COMMENTS, { form: VALID, authorization: 'Token rita' });
    assert.equal(asRita.json.user_email, 'rita@example.com');
    for (const authorization of [
      null,
      basic(flex.accountSid, 'wrong'),
      basic(flex.apiKeySid, flex.authToken),
      'Token other',
    ]) {
      const refused = await call('GET', COMMENTS, { authorization });
      assert.equal(refused.status, 401, String(authorization));
      assert.deepEqual(refused.json, {
        code: 20003,
        message: 'Authenticate',
        more_info: 'https://www.twilio.com/docs/errors/20003',
        status: 401,
      });
    }
  });

  it('requires a form body with all six parameters, a numeric Offset and a known category', async () => {
    const json = await call('POST', COMMENTS, { contentType: 'application/json', form: VALID });
    assert.equal(json.status, 400);
    for (const name of Object.keys(VALID)) {
      const missing = await call('POST', COMMENTS, { form: { ...VALID, [name]: '' } });
      assert.equal(missing.status, 400);
      assert.equal(missing.json.code, 20001);
      assert.equal(missing.json.message, `Missing required parameter ${name} in the post body`);
    }
    for (const Offset of ['abc', 'NaN', 'Infinity', '1e999', '6,5']) {
      assert.equal((await call('POST', COMMENTS, { form: { ...VALID, Offset } })).status, 400, Offset);
    }
    for (const Offset of ['-0.0300', '1e-7', '12']) {
      assert.equal((await call('POST', COMMENTS, { form: { ...VALID, Offset } })).status, 201, Offset);
    }
    flex.setCommentCategories([{ id: 'only-this', name: 'Only' }]);
    assert.equal((await call('POST', COMMENTS, { form: VALID })).status, 400);
    assert.equal((await call('POST', COMMENTS, { form: { ...VALID, CategoryId: 'only-this' } })).status, 201);
  });

  it('answers an unknown path with 404 (20404), a wrong method with 405, too large a page with 400', async () => {
    const missing = await call('GET', '/v1/Insights/QM/Assessments/Comments');
    assert.equal(missing.status, 404);
    assert.equal(missing.json.code, 20404);
    assert.equal((await call('DELETE', COMMENTS)).status, 405);
    assert.equal((await call('GET', `${COMMENTS}?PageSize=1001`)).status, 400);
  });

  it('pages with absolute next_page_url links', async () => {
    for (let i = 0; i < 3; i += 1) await call('POST', COMMENTS, { form: { ...VALID, Comment: `c${i}` } });
    const first = await call('GET', `${COMMENTS}?SegmentId=${VALID.SegmentId}&PageSize=2`);
    const meta = first.json.meta as { next_page_url: string; key: string };
    assert.equal(meta.key, 'comments');
    assert.ok(meta.next_page_url.startsWith(`${flex.baseUrl}${COMMENTS}?`), 'the next page is a URL of the fake Flex');
    const second = await call('GET', meta.next_page_url.slice(flex.baseUrl.length));
    assert.deepEqual(
      (second.json.comments as Array<{ comment: { comment: string } }>).map((c) => c.comment.comment),
      ['c2'],
    );
    assert.equal((second.json.meta as { next_page_url: unknown }).next_page_url, null);
  });

  it('answers a delayed request after close() without keeping anything open', async () => {
    const fake = await FakeFlexApi.start();
    fake.failNext({ delayMs: 60_000 });
    const pending = request(`${fake.baseUrl}${COMMENTS}`, { dispatcher: agent }).catch((error: unknown) => error);
    while (fake.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await fake.close();
    assert.ok((await pending) instanceof Error, '(await pending) instanceof Error');
  });
});
