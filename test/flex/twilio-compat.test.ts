import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import twilio from 'twilio';
import { createFlexClient, type FlexClient } from '../../src/flex/flex-client.js';
import { FakeFlexApi, type RecordedFlexRequest } from '../fakes/fake-flex-api.js';

const AWKWARD_TEXT =
  'Great call: spaces, & + * \' ( ) ! ~ - _ . é ü 中文 😀 "quoted"\nsecond line\r\nthird\ttab <!channel> 100% a/b?c=d#e;f,g=h [x] {y} |z| \\ ^ `';
const COMMENT = {
  categoryId: '4b4e78e4-4f05-49e2-bf52-0973c5cde418',
  categoryName: 'Good for Training',
  comment: AWKWARD_TEXT,
  segmentId: 'dbdf1f7b-c776-5e78-9676-98a397fb3cdc',
  agentId: '583fcaa6-a4ef-5447-9077-900421e37a61',
};

/** Where twilio-node and our client must agree, header by header. */
const SHARED_HEADERS = ['content-type', 'accept', 'accept-charset', 'authorization'] as const;

function assertSameRequest(mine: RecordedFlexRequest | undefined, theirs: RecordedFlexRequest | undefined): void {
  assert.ok(mine && theirs, 'both requests reached the fake');
  assert.equal(mine.method, theirs.method);
  assert.equal(mine.path, theirs.path);
  assert.equal(mine.rawQuery, theirs.rawQuery);
  assert.equal(Buffer.from(mine.rawBody).toString('hex'), Buffer.from(theirs.rawBody).toString('hex'));
  for (const header of SHARED_HEADERS) assert.equal(mine.headers[header], theirs.headers[header], header);
}

describe('our Flex client and the official twilio package put the same request on the wire', () => {
  let flex: FakeFlexApi;
  let ours: FlexClient;
  let official: ReturnType<typeof twilio>;

  before(async () => {
    flex = await FakeFlexApi.start();
    ours = createFlexClient({
      baseUrl: flex.baseUrl,
      credentials: { username: flex.accountSid, password: flex.authToken },
      timeoutMs: 10_000,
    });
    official = twilio(flex.accountSid, flex.authToken);
    // twilio 6 reads a domain's baseUrl on every request, so pointing it at the fake is one assignment.
    official.flexApi.baseUrl = flex.baseUrl;
  });
  after(async () => {
    await ours.close();
    await flex.close();
  });
  beforeEach(() => flex.reset());

  const sendBoth = async (comment: typeof COMMENT, offset: number) => {
    await official.flexApi.v1.insightsAssessmentsComment.create({ ...comment, offset });
    await ours.createComment({ ...comment, offsetSeconds: offset });
    const [theirs, mine] = flex.requests;
    return { theirs, mine };
  };

  for (const offset of [6.985619, 12, 0, 1e-7, -0.03, 1e21]) {
    it(`creates byte for byte alike, with awkward text and offset ${offset}`, async () => {
      const { theirs, mine } = await sendBoth(COMMENT, offset);
      assertSameRequest(mine, theirs);
      assert.match(mine?.rawBody ?? '', new RegExp(`&Offset=${String(offset).replace('+', '%2B')}$`));
      assert.equal(flex.commentsCreated(), 2, 'Flex accepted both');
      assert.equal(flex.comments[1]?.comment.comment, AWKWARD_TEXT, 'and read back the same text');
    });
  }

  it('encodes as qs does: %20 for a space, %2B, %2A, %27, %21, %28, %29 encoded, ~ - _ . kept', async () => {
    const { mine } = await sendBoth({ ...COMMENT, comment: "a b+c*d'e!f(g)h~i-j_k.l" }, 1);
    assert.match(mine?.rawBody ?? '', /&Comment=a%20b%2Bc%2Ad%27e%21f%28g%29h~i-j_k\.l&/);
  });

  it('writes lone surrogates as U+FFFD, as qs 6.17 does', async () => {
    const { theirs, mine } = await sendBoth(
      { ...COMMENT, comment: 'high \uD83D then x, low \uDE00 alone, end \uD83D' },
      1,
    );
    assertSameRequest(mine, theirs);
    assert.match(mine?.rawBody ?? '', /Comment=high%20%EF%BF%BD%20then/);
  });

  it('keeps an emoji whole where qs cuts long text into 1,024-character chunks', async () => {
    const long = `${'x'.repeat(1023)}😀${'y'.repeat(1022)}😀 end`;
    const { theirs, mine } = await sendBoth({ ...COMMENT, comment: long }, 1);
    assertSameRequest(mine, theirs);
    assert.equal(flex.comments[1]?.comment.comment, long);
  });

  it('agrees on random text of every kind of UTF-16 code unit', async () => {
    let seed = 20_260_401;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pools = [
      () => String.fromCharCode(32 + Math.floor(random() * 95)),
      () => String.fromCharCode(Math.floor(random() * 0x800)),
      () => String.fromCharCode(0xd800 + Math.floor(random() * 0x800)),
      () => String.fromCodePoint(0x1f300 + Math.floor(random() * 0x300)),
      () => String.fromCharCode(0xe000 + Math.floor(random() * 0x2000)),
    ];
    for (let round = 0; round < 40; round += 1) {
      flex.reset();
      const length = 1 + Math.floor(random() * 40);
      const text = Array.from({ length }, () => pools[Math.floor(random() * pools.length)]?.() ?? '').join('');
      // Flex requires a non-empty comment; a leading letter keeps a text of control characters from reading as empty.
      const { theirs, mine } = await sendBoth({ ...COMMENT, comment: `t${text}` }, random() * 3600);
      assertSameRequest(mine, theirs);
    }
  });

  it('authenticates alike with an API key and secret', async () => {
    const withKey = twilio(flex.apiKeySid, flex.apiKeySecret, { accountSid: flex.accountSid });
    withKey.flexApi.baseUrl = flex.baseUrl;
    const oursWithKey = createFlexClient({
      baseUrl: flex.baseUrl,
      credentials: { username: flex.apiKeySid, password: flex.apiKeySecret },
      timeoutMs: 10_000,
    });
    try {
      await withKey.flexApi.v1.insightsAssessmentsComment.create({ ...COMMENT, offset: 3 });
      await oursWithKey.createComment({ ...COMMENT, offsetSeconds: 3 });
    } finally {
      await oursWithKey.close();
    }
    const [theirs, mine] = flex.requests;
    assertSameRequest(mine, theirs);
    assert.equal(flex.commentsCreated(), 2);
  });

  it('lists with the same query string', async () => {
    const filter = { segmentId: 'seg 1+2*', agentId: 'agent/é' };
    await official.flexApi.v1.insightsAssessmentsComment.list({ ...filter, pageSize: 1000 });
    await ours.listComments(filter);
    const [theirs, mine] = flex.requests;
    assertSameRequest(mine, theirs);
    assert.equal(mine?.rawQuery, 'SegmentId=seg%201%2B2%2A&AgentId=agent%2F%C3%A9&PageSize=1000');
  });

  it('differs on purpose in one way: twilio-node replaces a Flex user’s own Authorization with basic auth', async () => {
    flex.addUser('Token rita-flex-token', { name: 'Rita Reviewer', email: 'rita@example.com' });
    await official.flexApi.v1.insightsAssessmentsComment.create({
      ...COMMENT,
      offset: 1,
      authorization: 'Token rita-flex-token',
    });
    await ours.createComment({ ...COMMENT, offsetSeconds: 1 }, { authorization: 'Token rita-flex-token' });
    const [theirs, mine] = flex.requests;
    assert.match(String(theirs?.headers.authorization), /^Basic /);
    assert.equal(mine?.headers.authorization, 'Token rita-flex-token');
    assert.equal(mine?.rawBody, theirs?.rawBody);
    assert.deepEqual(
      flex.comments.map((c) => c.user_email),
      ['flex-account@example.com', 'rita@example.com'],
    );
  });
});
