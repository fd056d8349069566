import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { isValidSlackRequest, webApi } from '@slack/bolt';
import { blockActionsPayload, viewSubmissionPayload } from '../helpers/slack-payloads.js';
import { SlackSender, signSlackRequest } from '../helpers/slack-requests.js';
import { FakeSlackApi, type RecordedCall } from './fake-slack-api.js';

const { WebClient, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIHTTPError } = webApi;

const TOKEN = 'xoxb-test-token';
const START = Date.parse('2026-11-20T10:00:00Z');
const REVIEWER = { id: 'U0REVIEW1', name: 'rita', teamId: 'T0TEST001' };
const TEAM = { id: 'T0TEST001', domain: 'acme' };

/** WebClient logs every refusal; these tests expect refusals, so they would only be noise. */
const quietLogger: webApi.Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => webApi.LogLevel.ERROR,
  setName: () => undefined,
};

/** The app's client settings: no retries, rate limits surface at once. */
function clientOf(fake: FakeSlackApi, token = TOKEN): webApi.WebClient {
  return new WebClient(token, {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logger: quietLogger,
  });
}

const plain = (text: string) => ({ type: 'plain_text' as const, text });

/** A modal like the app's: a category select and a comment. */
function commentModal(overrides: Record<string, unknown> = {}) {
  return {
    type: 'modal' as const,
    callback_id: 'qm_comment',
    title: plain('QM comment'),
    submit: plain('Save'),
    close: plain('Cancel'),
    private_metadata: JSON.stringify({ channel: 'C0QA00001' }),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: 'Call with *Casey*' } },
      {
        type: 'input',
        block_id: 'category',
        label: plain('Category'),
        element: {
          type: 'static_select',
          action_id: 'pick',
          options: [
            { text: plain('Good for Training'), value: 'cat-1' },
            { text: plain('Compliance'), value: 'cat-2' },
          ],
        },
      },
      {
        type: 'input',
        block_id: 'comment',
        label: plain('Comment'),
        element: { type: 'plain_text_input', action_id: 'text', multiline: true, max_length: 1000 },
      },
      {
        type: 'input',
        block_id: 'offset',
        optional: true,
        label: plain('Offset'),
        element: { type: 'plain_text_input', action_id: 'offset', initial_value: '0:00' },
      },
    ],
    ...overrides,
  };
}

async function platformError(call: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await call;
  } catch (error) {
    assert.ok(error instanceof WebAPIPlatformError, `expected a platform error, got ${String(error)}`);
    return { ...error.data };
  }
  assert.fail('expected the call to fail');
}

describe('the fake Slack Web API, through the real WebClient', () => {
  let slack: FakeSlackApi;
  let client: webApi.WebClient;
  let clock: number;

  beforeEach(async () => {
    clock = START;
    slack = await FakeSlackApi.start({
      botToken: TOKEN,
      teamId: TEAM.id,
      scopes: ['chat:write', 'commands', 'users:read'],
      now: () => clock,
    });
    slack.addUser({ id: REVIEWER.id, name: 'rita', realName: 'Rita Reviewer', email: 'rita@example.com' });
    slack.addChannel({ id: 'C0QA00001', name: 'qa' });
    slack.addChannel({ id: 'C0OUTSIDE', name: 'escalations', isMember: false });
    client = clientOf(slack);
  });

  afterEach(async () => {
    await slack.close();
  });

  describe('tokens and scopes', () => {
    it('knows the bot token, and refuses a wrong or missing one', async () => {
      const me = await client.auth.test();
      assert.equal(me.user_id, slack.botUserId);
      assert.equal(me.team_id, TEAM.id);

      const stranger = clientOf(slack, 'xoxb-someone-else');
      assert.equal((await platformError(stranger.auth.test())).error, 'invalid_auth');

      const anonymous = await fetch(`${slack.apiUrl}auth.test`, { method: 'POST' });
      assert.deepEqual(await anonymous.json(), { ok: false, error: 'not_authed' });
    });

    it('says which scope is missing, and hides emails without users:read.email', async () => {
      const data = await platformError(client.users.lookupByEmail({ email: 'rita@example.com' }));
      assert.equal(data.error, 'missing_scope');
      assert.equal(data.needed, 'users:read.email');
      assert.equal(data.provided, 'chat:write,commands,users:read');

      const info = await client.users.info({ user: REVIEWER.id });
      assert.equal(info.user?.real_name, 'Rita Reviewer');
      assert.equal(info.user?.profile?.email, undefined);
      assert.deepEqual(info.response_metadata?.scopes, ['chat:write', 'commands', 'users:read']);
      assert.equal((await platformError(client.users.info({ user: 'U0NOBODY' }))).error, 'user_not_found');
    });

    it('lists a user group’s members with usergroups:read, and refuses without it or for an unknown group', async () => {
      const data = await platformError(client.usergroups.users.list({ usergroup: 'S0REVIEWS1' }));
      assert.equal(data.error, 'missing_scope');
      assert.equal(data.needed, 'usergroups:read');

      const scoped = await FakeSlackApi.start({ botToken: TOKEN, scopes: ['usergroups:read'] });
      try {
        scoped.setUsergroup('S0REVIEWS1', [REVIEWER.id]);
        const withScope = clientOf(scoped);
        assert.deepEqual((await withScope.usergroups.users.list({ usergroup: 'S0REVIEWS1' })).users, [REVIEWER.id]);
        const unknown = await platformError(withScope.usergroups.users.list({ usergroup: 'S0NOPE' }));
        assert.equal(unknown.error, 'no_such_subteam');
      } finally {
        await scoped.close();
      }
    });

    it('pages a conversation’s members as conversations.members does, with the scope of its kind', async () => {
      const data = await platformError(client.conversations.members({ channel: 'C0PEOPLE1' }));
      assert.ok(['missing_scope', 'channel_not_found'].includes(String(data.error)), String(data.error));
      const scoped = await FakeSlackApi.start({ botToken: TOKEN, scopes: ['channels:read', 'groups:read'] });
      const publicOnly = await FakeSlackApi.start({ botToken: TOKEN, scopes: ['channels:read'] });
      try {
        const members = Array.from({ length: 5 }, (_, i) => `U0MEMBER${i}`);
        scoped.addChannel({ id: 'C0PEOPLE1', name: 'people', members });
        scoped.addChannel({ id: 'G0HIDDEN1', name: 'hidden', isPrivate: true, isMember: false });
        scoped.addChannel({ id: 'G0INSIDE1', name: 'inside', isPrivate: true, members });
        const withScope = clientOf(scoped);
        const first = await withScope.conversations.members({ channel: 'C0PEOPLE1', limit: 2 });
        assert.deepEqual(first.members, ['U0MEMBER0', 'U0MEMBER1']);
        const cursor = first.response_metadata?.next_cursor ?? '';
        assert.ok(cursor !== '', 'a cursor to the next page');
        const rest = await withScope.conversations.members({ channel: 'C0PEOPLE1', cursor, limit: 10 });
        assert.deepEqual(rest.members, ['U0MEMBER2', 'U0MEMBER3', 'U0MEMBER4']);
        assert.equal(rest.response_metadata?.next_cursor, '', 'an empty cursor on the last page');
        const invalid = await platformError(withScope.conversations.members({ channel: 'C0PEOPLE1', cursor: 'x' }));
        assert.equal(invalid.error, 'invalid_cursor');
        const hidden = await platformError(withScope.conversations.members({ channel: 'G0HIDDEN1' }));
        assert.equal(hidden.error, 'channel_not_found', 'a private channel without the bot');
        assert.deepEqual((await withScope.conversations.members({ channel: 'G0INSIDE1' })).members, members);
        publicOnly.addChannel({ id: 'G0INSIDE1', name: 'inside', isPrivate: true, members });
        const noGroups = await platformError(clientOf(publicOnly).conversations.members({ channel: 'G0INSIDE1' }));
        assert.equal(noGroups.error, 'missing_scope');
        assert.equal(noGroups.needed, 'groups:read');
      } finally {
        await scoped.close();
        await publicOnly.close();
      }
    });

    it('answers unknown methods with unknown_method', async () => {
      assert.equal((await platformError(client.apiCall('qm.doMagic'))).error, 'unknown_method');
    });
  });

  describe('modals', () => {
    it('opens a modal with a fresh trigger, and returns the view as Slack stores it', async () => {
      const { view } = await client.views.open({ trigger_id: slack.issueTriggerId(), view: commentModal() });
      assert.match(view?.id ?? '', /^V[0-9A-Z]{10}$/);
      assert.ok(view?.hash, 'view?.hash');
      assert.deepEqual(view?.state, { values: {} });
      assert.equal(view?.root_view_id, view?.id);
      assert.equal(view?.team_id, TEAM.id);
      assert.equal(view?.app_id, slack.appId);
      assert.equal(view?.bot_id, slack.botId);
      assert.match(view?.blocks?.[0]?.block_id ?? '', /.+/, 'Slack names blocks left unnamed');
      assert.deepEqual(slack.currentView(view?.id ?? '').title, {
        type: 'plain_text',
        text: 'QM comment',
        emoji: true,
      });
    });

    it('accepts a trigger once, for three seconds', async () => {
      const trigger = slack.issueTriggerId();
      await client.views.open({ trigger_id: trigger, view: commentModal() });
      const reused = await platformError(client.views.open({ trigger_id: trigger, view: commentModal() }));
      assert.equal(reused.error, 'exchanged_trigger_id');

      const late = slack.issueTriggerId();
      clock += 3_001;
      assert.equal(
        (await platformError(client.views.open({ trigger_id: late, view: commentModal() }))).error,
        'expired_trigger_id',
      );
      assert.equal(
        (await platformError(client.views.open({ trigger_id: '123.456.made-up', view: commentModal() }))).error,
        'invalid_trigger_id',
      );
    });

    it('refuses a title over 24 characters the way Slack does', async () => {
      const data = await platformError(
        client.views.open({
          trigger_id: slack.issueTriggerId(),
          view: commentModal({ title: plain('Leave a quality comment now') }),
        }),
      );
      assert.equal(data.error, 'invalid_arguments');
      assert.deepEqual((data.response_metadata as { messages: string[] }).messages, [
        '[ERROR] must be less than 25 characters [json-pointer:/view/title/text]',
      ]);
    });

    it('refuses inputs without submit, duplicate block ids, and oversized options and values', async () => {
      const base = commentModal();
      const bad = {
        ...base,
        submit: undefined,
        private_metadata: 'm'.repeat(3001),
        blocks: [
          ...base.blocks,
          { type: 'section', block_id: 'comment', text: plain('again') },
          {
            type: 'input',
            block_id: 'note',
            label: plain('Note'),
            element: { type: 'plain_text_input', action_id: 'a'.repeat(256), max_length: 5, initial_value: 'too long' },
          },
          {
            type: 'input',
            block_id: 'many',
            label: plain('Many'),
            element: {
              type: 'static_select',
              options: Array.from({ length: 101 }, (_, i) => ({ text: plain(`Option ${i}`), value: `v${i}` })),
            },
          },
          {
            type: 'input',
            block_id: 'long',
            label: plain('Long'),
            element: { type: 'static_select', options: [{ text: plain('x'.repeat(76)), value: 'y'.repeat(151) }] },
          },
        ],
      };
      const data = await platformError(client.views.open({ trigger_id: slack.issueTriggerId(), view: bad }));
      const messages = (data.response_metadata as { messages: string[] }).messages;
      for (const expected of [
        'must define `submit` when `input` blocks are present [json-pointer:/view]',
        'must be less than 3001 characters [json-pointer:/view/private_metadata]',
        'must be less than 256 characters [json-pointer:/view/blocks/5/element/action_id]',
        'duplicate block_id "comment" [json-pointer:/view/blocks/4/block_id]',
        'must be less than 6 characters [json-pointer:/view/blocks/5/element/initial_value]',
        'must contain between 1 and 100 items [json-pointer:/view/blocks/6/element/options]',
        'must be less than 76 characters [json-pointer:/view/blocks/7/element/options/0/text/text]',
        'must be less than 151 characters [json-pointer:/view/blocks/7/element/options/0/value]',
      ]) {
        assert.ok(messages.includes(`[ERROR] ${expected}`), `missing "${expected}" in ${messages.join('\n')}`);
      }
    });

    it('refuses a view over 250 kB as view_too_large', async () => {
      const huge = commentModal({
        blocks: Array.from({ length: 90 }, () => ({ type: 'section', text: plain('x'.repeat(2_900)) })),
      });
      const data = await platformError(client.views.open({ trigger_id: slack.issueTriggerId(), view: huge }));
      assert.equal(data.error, 'view_too_large');
    });

    it('updates by view id or external id, and refuses a stale hash', async () => {
      const opened = await client.views.open({
        trigger_id: slack.issueTriggerId(),
        view: commentModal({ external_id: 'qm-1' }),
      });
      const id = opened.view?.id ?? '';
      const updated = await client.views.update({
        view_id: id,
        hash: opened.view?.hash ?? '',
        view: commentModal({ title: plain('Saving…'), blocks: [], submit: undefined }),
      });
      assert.equal(updated.view?.id, id);
      assert.notEqual(updated.view?.hash, opened.view?.hash);
      assert.equal(slack.currentView(id).blocks.length, 0);

      const stale = await platformError(
        client.views.update({ view_id: id, hash: opened.view?.hash ?? '', view: commentModal() }),
      );
      assert.equal(stale.error, 'hash_conflict');

      await client.views.update({ external_id: 'qm-1', view: commentModal({ title: plain('Saved') }) });
      assert.equal(slack.views.get(id)?.title?.text, 'Saved');
      assert.equal(
        (await platformError(client.views.update({ view_id: 'VNOPE', view: commentModal() }))).error,
        'not_found',
      );
    });

    it('stacks pushed views on the modal they came from, three at most', async () => {
      const root = (await client.views.open({ trigger_id: slack.issueTriggerId(), view: commentModal() })).view;
      const second = (
        await client.views.push({ trigger_id: slack.issueTriggerId({ viewId: root?.id ?? '' }), view: commentModal() })
      ).view;
      assert.equal(second?.root_view_id, root?.id);
      assert.equal(second?.previous_view_id, root?.id);
      await client.views.push({ trigger_id: slack.issueTriggerId({ viewId: second?.id ?? '' }), view: commentModal() });
      const fourth = await platformError(
        client.views.push({ trigger_id: slack.issueTriggerId({ viewId: root?.id ?? '' }), view: commentModal() }),
      );
      assert.equal(fourth.error, 'push_limit_reached');
    });

    it('publishes one Home tab per user under a stable id', async () => {
      const home = { type: 'home' as const, blocks: [{ type: 'section', text: plain('Your QM comments') }] };
      const first = await client.views.publish({ user_id: REVIEWER.id, view: home });
      const second = await client.views.publish({ user_id: REVIEWER.id, view: home });
      assert.equal(second.view?.id, first.view?.id);
      const modal = await platformError(client.views.publish({ user_id: REVIEWER.id, view: commentModal() }));
      assert.equal(modal.error, 'invalid_arguments');
    });
  });

  describe('messages', () => {
    it('posts where the bot is a member, opens DMs, and refuses other channels', async () => {
      const posted = await client.chat.postMessage({ channel: 'C0QA00001', text: 'Comment saved' });
      assert.equal(posted.channel, 'C0QA00001');
      assert.deepEqual(
        slack.messagesIn('C0QA00001').map((m) => m.text),
        ['Comment saved'],
      );

      assert.equal(
        (await platformError(client.chat.postMessage({ channel: 'C0OUTSIDE', text: 'hi' }))).error,
        'not_in_channel',
      );
      assert.equal(
        (await platformError(client.chat.postMessage({ channel: 'C0GONE', text: 'hi' }))).error,
        'channel_not_found',
      );

      const dm = await client.chat.postMessage({ channel: REVIEWER.id, text: 'Your comment reached Flex' });
      assert.match(dm.channel ?? '', /^D/);
      assert.equal(slack.messagesIn(REVIEWER.id)[0]?.text, 'Your comment reached Flex');
    });

    it('lets chat:write.public post to public channels the bot is not in', async () => {
      const publicBot = await FakeSlackApi.start({ botToken: TOKEN, scopes: ['chat:write', 'chat:write.public'] });
      try {
        publicBot.addChannel({ id: 'C0OUTSIDE', name: 'escalations', isMember: false });
        publicBot.addChannel({ id: 'G0SECRET1', name: 'secret', isMember: false, isPrivate: true });
        const web = clientOf(publicBot);
        await web.chat.postMessage({ channel: 'C0OUTSIDE', text: 'hello' });
        const secret = await platformError(web.chat.postMessage({ channel: 'G0SECRET1', text: 'hello' }));
        assert.equal(secret.error, 'channel_not_found');
      } finally {
        await publicBot.close();
      }
    });

    it('replies in threads, and links to replies with their thread', async () => {
      slack.addMessage('C0QA00001', { ts: '1763632700.000100', text: 'Call 42 went badly', user: REVIEWER.id });
      const reply = await client.chat.postMessage({
        channel: 'C0QA00001',
        thread_ts: '1763632700.000100',
        text: 'QM comment added',
      });
      assert.equal(reply.message?.thread_ts, '1763632700.000100');
      const link = await client.chat.getPermalink({ channel: 'C0QA00001', message_ts: reply.ts ?? '' });
      assert.equal(
        link.permalink,
        `https://acme.slack.com/archives/C0QA00001/p${reply.ts?.replace('.', '')}?thread_ts=1763632700.000100&cid=C0QA00001`,
      );
      const badThread = await platformError(
        client.chat.postMessage({ channel: 'C0QA00001', thread_ts: 'soon', text: 'x' }),
      );
      assert.equal(badThread.error, 'invalid_thread_ts');
    });

    it('needs text or blocks, and at most 50 blocks', async () => {
      assert.equal((await platformError(client.chat.postMessage({ channel: 'C0QA00001', text: '' }))).error, 'no_text');
      const blocks = Array.from({ length: 51 }, () => ({ type: 'divider' as const }));
      const data = await platformError(client.chat.postMessage({ channel: 'C0QA00001', text: 'x', blocks }));
      assert.equal(data.error, 'invalid_blocks');
      assert.deepEqual(data.errors, ['must contain no more than 50 items [json-pointer:/blocks]']);
    });

    it('shows ephemeral messages only to people in the channel', async () => {
      slack.addChannel({ id: 'C0SMALL01', name: 'small', members: [REVIEWER.id] });
      slack.addUser({ id: 'U0OUTSIDER', name: 'otto' });
      await client.chat.postEphemeral({ channel: 'C0SMALL01', user: REVIEWER.id, text: 'Only you can see this' });
      assert.equal(slack.ephemeralsIn('C0SMALL01')[0]?.ephemeralFor, REVIEWER.id);
      assert.deepEqual(slack.messagesIn('C0SMALL01'), []);
      const outsider = await platformError(
        client.chat.postEphemeral({ channel: 'C0SMALL01', user: 'U0OUTSIDER', text: 'x' }),
      );
      assert.equal(outsider.error, 'user_not_in_channel');
    });

    it("updates the bot's own messages only", async () => {
      const posted = await client.chat.postMessage({ channel: 'C0QA00001', text: 'Saving…' });
      await client.chat.update({ channel: 'C0QA00001', ts: posted.ts ?? '', text: 'Saved' });
      assert.equal(slack.messagesIn('C0QA00001')[0]?.text, 'Saved');
      slack.addMessage('C0QA00001', { ts: '1763632700.000100', text: 'mine', user: REVIEWER.id });
      const theirs = await platformError(
        client.chat.update({ channel: 'C0QA00001', ts: '1763632700.000100', text: 'x' }),
      );
      assert.equal(theirs.error, 'cant_update_message');
    });
  });

  describe('scripted trouble', () => {
    it('answers 429 with Retry-After, which WebClient turns into WebAPIRateLimitedError', async () => {
      slack.failNext('chat.postMessage', { retryAfterSeconds: 7 });
      await assert.rejects(client.chat.postMessage({ channel: 'C0QA00001', text: 'x' }), (error: unknown) => {
        assert.ok(error instanceof WebAPIRateLimitedError, 'error instanceof WebAPIRateLimitedError');
        assert.equal(error.retryAfter, 7);
        return true;
      });
      const next = await client.chat.postMessage({ channel: 'C0QA00001', text: 'x' });
      assert.equal(next.ok, true, 'only the next call fails');
    });

    it('answers a scripted status or platform error once', async () => {
      slack.failNext('views.update', { status: 503 });
      slack.failNext('views.update', { error: 'internal_error' });
      await assert.rejects(
        client.views.update({ view_id: 'V1', view: commentModal() }),
        (error: unknown) => error instanceof WebAPIHTTPError && error.statusCode === 503,
      );
      assert.equal(
        (await platformError(client.views.update({ view_id: 'V1', view: commentModal() }))).error,
        'internal_error',
      );
      assert.deepEqual(
        slack.calls('views.update').map((c) => c.status),
        [503, 200],
      );
    });
  });

  describe('recording', () => {
    it('records each call with nested arguments parsed and the headers sent', async () => {
      const trigger = slack.issueTriggerId();
      await client.views.open({ trigger_id: trigger, view: commentModal() });
      const call = await slack.waitForCall('views.open');
      assert.equal(call.args.trigger_id, trigger);
      assert.equal((call.args.view as { callback_id: string }).callback_id, 'qm_comment');
      assert.equal(call.headers.authorization, `Bearer ${TOKEN}`);
      assert.equal(call.headers['content-type'], 'application/x-www-form-urlencoded');
      assert.equal(call.at, START);
    });

    it('waits for a call that is coming, finds one already made, and gives up after the timeout', async () => {
      const coming = slack.waitForCall('chat.postMessage', (c) => c.args.text === 'later');
      await client.chat.postMessage({ channel: 'C0QA00001', text: 'now' });
      await client.chat.postMessage({ channel: 'C0QA00001', text: 'later' });
      assert.equal((await coming).args.text, 'later');
      assert.equal((await slack.waitForCall('chat.postMessage')).args.text, 'now');
      await assert.rejects(
        slack.waitForCall('views.open', undefined, 20),
        /Timed out after 20 ms waiting for a views.open call/,
      );
    });

    it('hands each call to onCall instead of keeping it, refusals included, when given one', async () => {
      const seen: RecordedCall[] = [];
      const unkept = await FakeSlackApi.start({ botToken: TOKEN, onCall: (call) => seen.push(call) });
      try {
        const unkeptClient = clientOf(unkept);
        const trigger = unkept.issueTriggerId();
        const { view } = await unkeptClient.views.open({ trigger_id: trigger, view: commentModal() });
        await platformError(unkeptClient.views.open({ trigger_id: trigger, view: commentModal() }));
        assert.deepEqual(
          seen.map((call) => [call.method, call.args.trigger_id, call.status, call.result.ok]),
          [
            ['views.open', trigger, 200, true],
            ['views.open', trigger, 200, false],
          ],
        );
        assert.deepEqual(unkept.calls(), [], 'nothing is kept for calls()');
        assert.equal(unkept.currentView(view?.id ?? '').callback_id, 'qm_comment', 'the view itself is still held');
      } finally {
        await unkept.close();
      }
    });

    it('accepts JSON bodies with a bearer token', async () => {
      const response = await fetch(`${slack.apiUrl}chat.postMessage`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ channel: 'C0QA00001', blocks: [{ type: 'section', text: plain('hi') }] }),
      });
      const body = (await response.json()) as { ok: boolean; message: { blocks: { block_id: string }[] } };
      assert.equal(body.ok, true);
      assert.ok(body.message.blocks[0]?.block_id, 'Slack names blocks left unnamed');
    });
  });

  describe('response URLs', () => {
    const post = (url: string, body: unknown) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

    it('takes five posts, then refuses', async () => {
      const url = slack.newResponseUrl();
      for (let i = 1; i <= 5; i += 1) assert.equal((await post(url, { text: `update ${i}` })).status, 200);
      const sixth = await post(url, { text: 'one too many' });
      assert.equal(sixth.status, 404);
      assert.equal(await sixth.text(), 'used_url');
      assert.deepEqual(
        slack.responsesTo(url).map((p) => p.body.text),
        ['update 1', 'update 2', 'update 3', 'update 4', 'update 5'],
      );
      assert.equal(slack.responseAttempts(url).length, 6);
    });

    it('expires after 30 minutes', async () => {
      const url = slack.newResponseUrl();
      clock += 30 * 60_000 + 1;
      assert.equal((await post(url, { text: 'late' })).status, 404);
      assert.deepEqual(slack.responsesTo(url), []);
    });

    it("puts a bound URL's posts where the command ran", async () => {
      const url = slack.newResponseUrl({ channel: 'C0QA00001', userId: REVIEWER.id });
      await post(url, { response_type: 'in_channel', text: 'Everyone sees this' });
      await post(url, { text: 'Only Rita sees this' });
      assert.deepEqual(
        slack.messagesIn('C0QA00001').map((m) => m.text),
        ['Everyone sees this'],
      );
      assert.equal(slack.ephemeralsIn('C0QA00001')[0]?.ephemeralFor, REVIEWER.id);
      assert.equal((await slack.waitForResponse(url)).body.text, 'Everyone sees this');
    });

    it('replaces or deletes the message a click came from, when the URL is bound to it', async () => {
      slack.addMessage('C0QA00001', { ts: '1764150000.000900', text: 'Retry?', user: slack.botUserId });
      const url = slack.newResponseUrl({ channel: 'C0QA00001', userId: REVIEWER.id, messageTs: '1764150000.000900' });
      await post(url, { replace_original: true, text: 'Sent again' });
      assert.deepEqual(
        slack
          .messagesIn('C0QA00001')
          .filter((m) => m.ts === '1764150000.000900')
          .map((m) => m.text),
        ['Sent again'],
      );
      await post(url, { delete_original: true });
      assert.equal(slack.messagesIn('C0QA00001').filter((m) => m.ts === '1764150000.000900').length, 0);
    });

    it('can be scripted to fail', async () => {
      const url = slack.newResponseUrl();
      slack.failNext('response_url', { status: 500 });
      assert.equal((await post(url, { text: 'x' })).status, 500);
      assert.equal((await post(url, { text: 'x' })).status, 200);
    });
  });

  it('rejects waits still pending when it closes', async () => {
    const other = await FakeSlackApi.start();
    const pending = other.waitForCall('views.open', undefined, 10_000);
    await other.close();
    await assert.rejects(pending, /closed/);
  });
});

describe('payloads built from what the fake holds', () => {
  let slack: FakeSlackApi;
  let client: webApi.WebClient;

  before(async () => {
    slack = await FakeSlackApi.start({ botToken: TOKEN, teamId: TEAM.id });
    slack.addChannel({ id: 'C0QA00001', name: 'qa' });
    client = clientOf(slack);
  });

  after(async () => {
    await slack.close();
  });

  it('submits every input of the view, in the shape Slack sends', async () => {
    const { view } = await client.views.open({ trigger_id: slack.issueTriggerId(), view: commentModal() });
    const payload = viewSubmissionPayload({
      view: slack.currentView(view?.id ?? ''),
      values: { category: 'cat-2', comment: 'Great empathy' },
      user: REVIEWER,
      team: TEAM,
    });
    const submitted = payload.view as { id: string; hash: string; state: { values: unknown } };
    assert.equal(submitted.id, view?.id);
    assert.equal(submitted.hash, view?.hash);
    assert.deepEqual(submitted.state.values, {
      category: {
        pick: {
          type: 'static_select',
          selected_option: { text: { type: 'plain_text', text: 'Compliance', emoji: true }, value: 'cat-2' },
        },
      },
      comment: { text: { type: 'plain_text_input', value: 'Great empathy' } },
      offset: { offset: { type: 'plain_text_input', value: '0:00' } },
    });
  });

  it('reports cleared inputs as null, and refuses blocks the view does not have as inputs', async () => {
    const { view } = await client.views.open({ trigger_id: slack.issueTriggerId(), view: commentModal() });
    const stored = slack.currentView(view?.id ?? '');
    const cleared = viewSubmissionPayload({
      view: stored,
      values: { comment: '', category: null },
      user: REVIEWER,
      team: TEAM,
    });
    assert.deepEqual((cleared.view as { state: { values: unknown } }).state.values, {
      category: { pick: { type: 'static_select', selected_option: null } },
      comment: { text: { type: 'plain_text_input', value: null } },
      offset: { offset: { type: 'plain_text_input', value: '0:00' } },
    });
    const sectionId = String(stored.blocks[0]?.block_id);
    assert.throws(
      () => viewSubmissionPayload({ view: stored, values: { [sectionId]: 'x' }, user: REVIEWER, team: TEAM }),
      /no input block/,
    );
    assert.throws(
      () => viewSubmissionPayload({ view: stored, values: { category: 'cat-9' }, user: REVIEWER, team: TEAM }),
      /has no option "cat-9"/,
    );
  });

  it('clicks a button in a message the bot posted', async () => {
    const posted = await client.chat.postMessage({
      channel: 'C0QA00001',
      text: 'Comment failed',
      blocks: [
        {
          type: 'actions',
          block_id: 'retry',
          elements: [{ type: 'button', action_id: 'retry_delivery', text: plain('Retry'), value: 'assessment-7' }],
        },
      ],
    });
    const payload = blockActionsPayload({
      actionId: 'retry_delivery',
      user: REVIEWER,
      team: TEAM,
      message: posted.message as Record<string, unknown>,
      channel: { id: 'C0QA00001', name: 'qa' },
    });
    const [action] = payload.actions as Record<string, unknown>[];
    assert.equal(action?.type, 'button');
    assert.equal(action?.value, 'assessment-7');
    assert.equal(action?.block_id, 'retry');
    assert.deepEqual(payload.container, {
      type: 'message',
      message_ts: posted.ts,
      channel_id: 'C0QA00001',
      is_ephemeral: false,
    });
    assert.throws(
      () =>
        blockActionsPayload({
          actionId: 'nope',
          user: REVIEWER,
          team: TEAM,
          message: posted.message as Record<string, unknown>,
          channel: { id: 'C0QA00001', name: 'qa' },
        }),
      /No interactive element "nope"/,
    );
  });
});

describe('signed requests', () => {
  it("signs the way Bolt's verifier expects, and not with another secret or an old clock", () => {
    const body = 'command=%2Fqm&text=help';
    const now = Math.floor(Date.now() / 1000);
    const headers = signSlackRequest('s3cret', body, now);
    const verify = (secret: string, at: number) =>
      isValidSlackRequest({
        signingSecret: secret,
        body,
        headers: { 'x-slack-signature': headers['x-slack-signature'], 'x-slack-request-timestamp': at },
      });
    assert.equal(verify('s3cret', now), true);
    assert.equal(verify('other', now), false);
    const stale = signSlackRequest('s3cret', body, now - 301);
    assert.equal(
      isValidSlackRequest({
        signingSecret: 's3cret',
        body,
        headers: { 'x-slack-signature': stale['x-slack-signature'], 'x-slack-request-timestamp': now - 301 },
      }),
      false,
    );
  });

  it("sends Slack's exact content types", async () => {
    const seen: { headers: IncomingHttpHeaders; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      req.on('end', () => {
        seen.push({ headers: req.headers, body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"response_action":"clear"}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const sender = new SlackSender({ url: `http://127.0.0.1:${port}/slack/events`, signingSecret: 's3cret' });
      const answer = await sender.interaction({ type: 'view_submission' });
      await sender.slashCommand({ command: '/qm', text: 'help' });
      await sender.event({ type: 'event_callback' });
      await sender.slashCommand({ command: '/qm' }, { signature: 'v0=forged' });

      assert.deepEqual(answer.json, { response_action: 'clear' });
      assert.deepEqual(
        seen.map((r) => r.headers['content-type']),
        [
          'application/x-www-form-urlencoded',
          'application/x-www-form-urlencoded',
          'application/json',
          'application/x-www-form-urlencoded',
        ],
      );
      assert.equal(new URLSearchParams(seen[0]?.body).get('payload'), '{"type":"view_submission"}');
      assert.equal(seen[3]?.headers['x-slack-signature'], 'v0=forged');
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
