import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { webApi } from '@slack/bolt';
import { request } from 'undici';
import { FakeSlackApi } from './fake-slack-api.js';

/** The fake is only worth its tests if it refuses what Slack refuses; checked with Slack's own client. */
describe('the fake Slack Web API', () => {
  let clock = Date.now();
  let slack: FakeSlackApi;
  let client: webApi.WebClient;
  before(async () => {
    slack = await FakeSlackApi.start({ botToken: 'xoxb-ok', scopes: ['chat:write', 'users:read'], now: () => clock });
    client = new webApi.WebClient('xoxb-ok', {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
    slack.addChannel({ id: 'C1', name: 'qa', isMember: true });
    slack.addChannel({ id: 'C2', name: 'private', isMember: false });
    slack.addUser({ id: 'U1', name: 'rita', email: 'rita@example.com' });
  });
  after(async () => {
    await slack.close();
  });

  const modal = (title = 'QM comment') => ({
    type: 'modal' as const,
    title: { type: 'plain_text' as const, text: title },
    submit: { type: 'plain_text' as const, text: 'Post' },
    blocks: [
      {
        type: 'input' as const,
        block_id: 'comment',
        label: { type: 'plain_text' as const, text: 'Comment' },
        element: { type: 'plain_text_input' as const, action_id: 'comment_input' },
      },
    ],
  });

  const platformError = async (call: Promise<unknown>) => {
    const error = await call.catch((e: unknown) => e);
    assert.ok(error instanceof Error && 'data' in error, `expected a platform error, got ${String(error)}`);
    return (error as { data: { error: string; response_metadata?: { messages?: string[] }; needed?: string } }).data;
  };

  it('honours a trigger once, within 3 seconds', async () => {
    const trigger = slack.issueTriggerId();
    const opened = await client.views.open({ trigger_id: trigger, view: modal() });
    assert.ok(opened.view?.id);
    assert.equal(
      (await platformError(client.views.open({ trigger_id: trigger, view: modal() }))).error,
      'exchanged_trigger_id',
    );
    const late = slack.issueTriggerId();
    clock += 3_001;
    assert.equal(
      (await platformError(client.views.open({ trigger_id: late, view: modal() }))).error,
      'expired_trigger_id',
    );
  });

  it('refuses Block Kit that Slack refuses, saying where', async () => {
    const data = await platformError(
      client.views.open({ trigger_id: slack.issueTriggerId(), view: modal('A title longer than 24 chars') }),
    );
    assert.equal(data.error, 'invalid_arguments');
    assert.match(
      data.response_metadata?.messages?.[0] ?? '',
      /less than 25 characters \[json-pointer:\/view\/title\/text\]/,
    );
    const { submit: _submit, ...withoutSubmit } = modal();
    const noSubmit = await platformError(
      client.views.open({ trigger_id: slack.issueTriggerId(), view: withoutSubmit }),
    );
    assert.match(noSubmit.response_metadata?.messages?.join() ?? '', /must define `submit`/);
  });

  it('knows channel membership, scopes and bad tokens', async () => {
    assert.equal((await platformError(client.chat.postMessage({ channel: 'C2', text: 'hi' }))).error, 'not_in_channel');
    assert.equal(
      (await platformError(client.chat.postMessage({ channel: 'C9', text: 'hi' }))).error,
      'channel_not_found',
    );
    const posted = await client.chat.postMessage({ channel: 'C1', text: 'hi', thread_ts: '1763632800.000100' });
    assert.equal(slack.messagesIn('C1')[0]?.threadTs, '1763632800.000100');
    assert.ok(posted.ts);
    const info = await client.users.info({ user: 'U1' });
    assert.equal(info.user?.profile?.email, undefined, 'no email without users:read.email');
    assert.equal(
      (await platformError(client.users.lookupByEmail({ email: 'rita@example.com' }))).needed,
      'users:read.email',
    );
    const stranger = new webApi.WebClient('xoxb-wrong', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    assert.equal((await platformError(stranger.auth.test())).error, 'invalid_auth');
  });

  it('rate-limits with Retry-After when told to', async () => {
    slack.failNext('chat.postMessage', { retryAfterSeconds: 7 });
    const error = await client.chat.postMessage({ channel: 'C1', text: 'hi' }).catch((e: unknown) => e);
    assert.ok(error instanceof Error);
    assert.equal((error as { retryAfter?: number }).retryAfter, 7);
  });

  it('lets a response_url be used five times', async () => {
    const url = slack.newResponseUrl();
    const post = () =>
      request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"hi"}' }).then(
        async (r) => [r.statusCode, await r.body.text()] as const,
      );
    for (let i = 0; i < 5; i += 1) assert.deepEqual(await post(), [200, 'ok']);
    assert.deepEqual(await post(), [404, 'used_url']);
    assert.equal(slack.responsesTo(url).length, 5);
  });
});
