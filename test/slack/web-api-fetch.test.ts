import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { webApi } from '@slack/bolt';
import { slackWebApiFetch } from '../../src/slack/web-api-fetch.js';
import { FakeSlackApi } from '../fakes/fake-slack-api.js';

// The Web API client's own behaviour (results, errors, rate limits) must not change with the transport.
describe('the Slack Web API client on undici request instead of fetch', () => {
  let slack: FakeSlackApi;
  const client = (options: webApi.WebClientOptions = {}) =>
    new webApi.WebClient('xoxb-transport', {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 0 },
      fetch: slackWebApiFetch(),
      ...options,
    });

  before(async () => {
    slack = await FakeSlackApi.start({ botToken: 'xoxb-transport', teamId: 'T0TRANS01' });
    slack.addChannel({ id: 'C0TRANS01', name: 'qa', isMember: true });
  });
  after(() => slack.close());

  it('sends what fetch sent (form body, bearer token) and returns the parsed answer', async () => {
    const answer = await client().chat.postMessage({ channel: 'C0TRANS01', text: 'hello & more ✓' });
    assert.equal(answer.ok, true);
    assert.equal(typeof answer.ts, 'string');
    const [call] = slack.calls('chat.postMessage');
    assert.equal(call?.args.text, 'hello & more ✓');
    assert.match(String(call?.headers['content-type']), /^application\/x-www-form-urlencoded/);
    assert.equal(call?.headers.authorization, 'Bearer xoxb-transport');
  });

  it('turns Slack errors, HTTP errors and rate limits into the same errors as before', async () => {
    slack.failNext('chat.postMessage', { error: 'channel_not_found' });
    await assert.rejects(client().chat.postMessage({ channel: 'C0TRANS01', text: 'x' }), (error: unknown) => {
      assert.equal((error as { code?: string }).code, webApi.ErrorCode.PlatformError);
      assert.equal((error as { data?: { error?: string } }).data?.error, 'channel_not_found');
      return true;
    });
    slack.failNext('chat.postMessage', { status: 503 });
    await assert.rejects(client().chat.postMessage({ channel: 'C0TRANS01', text: 'x' }), (error: unknown) => {
      assert.equal((error as { code?: string }).code, webApi.ErrorCode.HTTPError);
      assert.equal((error as { statusCode?: number }).statusCode, 503);
      assert.equal((error as { statusMessage?: string }).statusMessage, 'Service Unavailable');
      return true;
    });
    slack.failNext('chat.postMessage', { retryAfterSeconds: 7 });
    await assert.rejects(
      client({ rejectRateLimitedCalls: true }).chat.postMessage({ channel: 'C0TRANS01', text: 'x' }),
      (error: unknown) => {
        assert.equal((error as { code?: string }).code, webApi.ErrorCode.RateLimitedError);
        assert.equal((error as { retryAfter?: number }).retryAfter, 7);
        return true;
      },
    );
  });

  it('gives up when the client times out', async () => {
    slack.failNext('chat.postMessage', { delayMs: 500 });
    await assert.rejects(client({ timeout: 100 }).chat.postMessage({ channel: 'C0TRANS01', text: 'x' }));
  });
});
