import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import twilio from 'twilio';
import { createFlexClient, type FlexClient } from '../../src/flex/flex-client.js';
import { FakeFlexApi } from '../fakes/fake-flex-api.js';

const AWKWARD_TEXT = 'Great call: spaces, & + * \' ( ) ! ~ é 😀 "quoted"\nsecond line <!channel> 100% a/b?c=d#e';

describe('our Flex client and the official twilio package put the same comment on the wire', () => {
  let flex: FakeFlexApi;
  let ours: FlexClient;
  before(async () => {
    flex = await FakeFlexApi.start();
    ours = createFlexClient({
      baseUrl: flex.baseUrl,
      credentials: { username: flex.accountSid, password: flex.authToken },
      timeoutMs: 2_000,
    });
  });
  after(async () => {
    await ours.close();
    await flex.close();
  });

  for (const offset of [6.985619, 12, 0, 1e-7, -0.03, 1e21]) {
    it(`byte for byte, with awkward text and offset ${offset}`, async () => {
      flex.reset();
      const comment = {
        categoryId: '4b4e78e4-4f05-49e2-bf52-0973c5cde418',
        categoryName: 'Good for Training',
        comment: AWKWARD_TEXT,
        segmentId: 'dbdf1f7b-c776-5e78-9676-98a397fb3cdc',
        agentId: '583fcaa6-a4ef-5447-9077-900421e37a61',
      };
      const client = twilio(flex.accountSid, flex.authToken);
      client.flexApi.baseUrl = flex.baseUrl;
      await client.flexApi.v1.insightsAssessmentsComment.create({ ...comment, offset });
      await ours.createComment({ ...comment, offsetSeconds: offset });

      const [theirs, mine] = flex.requests;
      assert.ok(theirs && mine);
      assert.equal(mine.rawBody, theirs.rawBody);
      assert.equal(mine.method, theirs.method);
      assert.equal(mine.path, theirs.path);
      for (const header of ['content-type', 'accept', 'authorization', 'accept-charset']) {
        assert.equal(mine.headers[header], theirs.headers[header], header);
      }
      assert.equal(flex.commentsCreated(), 2);
      assert.equal(flex.comments[1]?.comment.comment, AWKWARD_TEXT);
    });
  }
});
