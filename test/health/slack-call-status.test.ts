import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { webApi } from '@slack/bolt';
import { ServiceStatus } from '../../src/health/service-status.js';
import { recordSlackCalls } from '../../src/health/slack-call-status.js';
import { slackWebApiFetch } from '../../src/slack/web-api-fetch.js';
import { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { freePort } from '../helpers/app-process.js';

// What /readyz says of Slack comes from the Web API transport: each call's method, HTTP status and `error`.
describe('the last Slack call, as the transport records it', () => {
  let slack: FakeSlackApi;
  const status = new ServiceStatus();
  const client = (token: string, apiUrl = slack.apiUrl) =>
    new webApi.WebClient(token, {
      slackApiUrl: apiUrl,
      retryConfig: { retries: 0 },
      fetch: slackWebApiFetch(recordSlackCalls(status)),
    });

  before(async () => {
    slack = await FakeSlackApi.start({ botToken: 'xoxb-status', teamId: 'T0STAT001' });
    slack.addChannel({ id: 'C0STAT001', name: 'qa', isMember: true });
  });
  after(() => slack.close());

  it('ok, a refused token, an error of one call, and no answer', async () => {
    await client('xoxb-status').auth.test();
    assert.deepEqual(
      { ...status.lastCall('slack'), at: undefined },
      { result: 'ok', call: 'auth.test', detail: undefined, at: undefined },
    );

    await assert.rejects(client('xoxb-wrong').chat.postMessage({ channel: 'C0STAT001', text: 'x' }));
    assert.deepEqual(
      [status.lastCall('slack')?.result, status.lastCall('slack')?.call, status.lastCall('slack')?.detail],
      ['refused', 'chat.postMessage', 'invalid_auth'],
    );

    slack.failNext('chat.postMessage', { error: 'channel_not_found' });
    await assert.rejects(client('xoxb-status').chat.postMessage({ channel: 'C0STAT001', text: 'x' }));
    assert.deepEqual(
      [status.lastCall('slack')?.result, status.lastCall('slack')?.detail],
      ['answered_error', 'channel_not_found'],
    );

    await assert.rejects(client('xoxb-status', `http://127.0.0.1:${await freePort()}/api/`).auth.test());
    assert.deepEqual(
      [status.lastCall('slack')?.result, status.lastCall('slack')?.detail],
      ['unreachable', 'no answer'],
    );
  });
});
