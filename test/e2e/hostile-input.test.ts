import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { RecordedCall } from '../fakes/fake-slack-api.js';
import { commentWithQm, modalRefined, openModalWithQm, submitModal } from '../helpers/reviewer-story.js';
import {
  AGENT_ID,
  CATEGORY,
  eventually,
  SEGMENT_ID,
  startTestApp,
  TEAM_ID,
  type TestApp,
} from '../helpers/test-app.js';

const THREAD_LINK = 'https://acme.slack.com/archives/C0QA00001/p1763632800000200';
const COMMENTS_PATH = '/v1/Insights/QualityManagement/Assessments/Comments';
const HOSTILE_LINK = `https://analytics.ytica.com/player/segment/${SEGMENT_ID}?x=a|<!channel>&y=<b>&z=a>b`;

/** Comments from every corner of Unicode and every kind of markup: each must reach Flex exactly as typed. */
const TYPED: Record<string, string> = {
  'astral emoji and skin tones': 'Great call 👍🏽 — 😀🎉🧑‍💻 𝒜𝓈𝓉𝓇𝒶𝓁 𝄞',
  'planes 14 to 16: tag sequences, variation selectors, private use':
    '🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F} 葛\u{E0100} \u{F0000}\u{10FFFD}',
  'control characters': 'bell\u0007esc\u001b[31mred\u001b[0m del\u007f c1\u0085\u009b',
  CJK: '日本語のコメント、中文评论、한국어 𠜎𠜱𠝹',
  'combining marks': 'e\u0301 n\u0303 Z\u0351\u0358\u0336a\u0489l\u0308g\u0310o',
  'right-to-left and bidi overrides': 'مرحبا بالعالم עברית \u202Eevil\u202C \u2067isolate\u2069',
  'zero-width characters': 'zero\u200Bwidth\u200Cnon\u200Djoiner\u2060word\uFEFFjoiner',
  HTML: '<b>bold</b> & &amp; &lt; <script>alert(1)</script> <img src=x onerror=alert(1)>',
  'Slack control sequences':
    '<!channel> <!here> <!everyone> @channel @here <@U0REVIEW1> <#C0QA00001> <https://evil.example|click>',
  'mrkdwn formatting': '*bold* _italic_ ~strike~ `code` ```block``` > not a quote\n> quoted?',
  SQL: `'; DROP TABLE "Assessment"; -- " OR 1=1`,
  shell: '$(rm -rf /) `whoami` && echo pwned | sh; %00 %s %n \\x00 $HOME',
  'line breaks and tabs': 'line one\r\nline two\n\n\tindented\rcarriage',
  'form-encoding characters': 'a+b=c&d=e%20f?g#h;i/j\\k',
};

/** Every `<…>` in a mrkdwn text must be one the app wrote: a user, a channel, a date, or an escaped link. */
const ALLOWED_TOKEN = /^<(@[A-Z0-9]+|#[A-Z0-9]+|!date\^[^<>|]*\|[^<>]*|https?:\/\/[^\s<>|]+\|[^<>|]*)>$/;

function mrkdwnTexts(value: unknown, inMrkdwn = false): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => mrkdwnTexts(item, inMrkdwn));
  if (typeof value !== 'object' || value === null) return [];
  const record = value as Record<string, unknown>;
  const own = record.type === 'mrkdwn' && typeof record.text === 'string' ? [record.text] : [];
  return [...own, ...Object.values(record).flatMap((child) => mrkdwnTexts(child, inMrkdwn))];
}

/** Asserts that nothing in what Slack received can ping, link or format beyond what the app meant. */
function assertSafe(where: string, message: { text?: unknown; blocks?: unknown; link_names?: unknown }) {
  assert.notEqual(message.link_names, true, `${where}: link_names would turn @channel into a ping`);
  const texts = [...(typeof message.text === 'string' ? [message.text] : []), ...mrkdwnTexts(message.blocks)];
  assert.ok(texts.length > 0, `${where}: no text`);
  for (const text of texts) {
    for (const token of text.match(/<[^>]*>?/g) ?? []) {
      assert.match(token, ALLOWED_TOKEN, `${where}: ${JSON.stringify(token)} in ${JSON.stringify(text.slice(0, 300))}`);
    }
    assert.doesNotMatch(text, /<!(channel|here|everyone)/, where);
  }
}

describe('whatever a reviewer types', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ env: { NOTIFY_CHANNEL: 'C0ANNOUNCE', NOTIFY_AGENT_DM: 'true' } });
    t.slack.addChannel({ id: 'C0ANNOUNCE', name: 'qa-feed', isMember: true });
    t.slack.addUser({ id: 'U0ALEX001', name: 'alex', teamId: TEAM_ID });
    await t.prisma.identity.create({
      data: {
        email: 'alex@example.com',
        flexUserName: 'Alex',
        role: 'none',
        agentId: AGENT_ID,
        slackUserId: 'U0ALEX001',
      },
    });
  });
  after(async () => {
    await t.close();
  });
  beforeEach(async () => {
    await t.prisma.assessment.deleteMany();
    t.flex.reset();
  });

  /** Comments through /qm with a message link (thread) or without (private), and waits for every message. */
  async function commentAndCollect(typed: string, inThread: boolean) {
    const calls = t.slack.calls().length;
    const { responseUrl } = await commentWithQm(t, `${HOSTILE_LINK} ${inThread ? THREAD_LINK : ''}`, {
      category: CATEGORY.id,
      comment: typed,
    });
    const postedSince = () => t.slack.calls('chat.postMessage').filter((c) => t.slack.calls().indexOf(c) >= calls);
    const row = await eventually(async () => {
      const found = await t.prisma.assessment.findFirstOrThrow();
      assert.equal(found.status, 'posted');
      assert.ok(found.announcedAt && found.agentNotifiedAt, 'announced and the agent told');
      // The reviewer's confirmation is sent on its own and may reach Slack after the announcement.
      if (inThread)
        assert.ok(
          postedSince().some((c) => c.args.channel === 'C0QA00001'),
          'confirmed in the thread',
        );
      else assert.ok(t.slack.responsesTo(responseUrl).length > 0, 'confirmed privately');
      return found;
    });
    const posted = postedSince();
    const byChannel = (channel: string) => posted.find((c: RecordedCall) => c.args.channel === channel);
    return { row, responseUrl, byChannel };
  }

  for (const [name, typed] of Object.entries(TYPED)) {
    it(`reaches Flex byte for byte, and is escaped in every Slack message: ${name}`, async () => {
      const inThread = name.length % 2 === 0;
      const { row, responseUrl, byChannel } = await commentAndCollect(typed, inThread);
      const create = t.flex.requests.find((r) => r.method === 'POST' && r.path === COMMENTS_PATH);
      const sent = new URLSearchParams(create?.rawBody ?? '').get('Comment') ?? '';
      assert.deepEqual(Buffer.from(sent, 'utf8'), Buffer.from(typed, 'utf8'), 'the form field Flex received');
      assert.equal(t.flex.comments[0]?.comment.comment, typed);
      assert.equal(row.comment, typed, 'stored as typed');

      const announcement = byChannel('C0ANNOUNCE');
      const agentDm = byChannel('U0ALEX001');
      assert.ok(announcement && agentDm, 'announced and the agent told');
      assertSafe('announcement', announcement.args);
      assertSafe('agent DM', agentDm.args);
      if (inThread) {
        const thread = byChannel('C0QA00001');
        assert.ok(thread, 'confirmed in the thread');
        assert.equal(thread.args.thread_ts, '1763632800.000200');
        assertSafe('thread confirmation', thread.args);
      } else {
        const [privately] = t.slack.responsesTo(responseUrl);
        assert.ok(privately, 'confirmed privately');
        assertSafe('ephemeral confirmation', privately.body);
      }
      const modal = t.slack.calls('views.update').at(-1)?.args.view as { blocks: unknown } | undefined;
      assertSafe('the modal', { blocks: modal?.blocks });
    });
  }

  it('escapes the comment and Flex’s reason when Flex refuses it: in the modal and in the private message', async () => {
    const typed = `${TYPED['Slack control sequences']}\n${TYPED.HTML}`;
    t.flex.failNext({
      method: 'POST',
      status: 400,
      body: JSON.stringify({ code: 20001, message: 'Bad <!here> & <b>', more_info: 'x', status: 400 }),
    });
    const { viewId, responseUrl } = await commentWithQm(t, HOSTILE_LINK, { category: CATEGORY.id, comment: typed });
    const modal = await t.slack.waitForCall(
      'views.update',
      (c) => c.args.view_id === viewId && /did not accept/.test(JSON.stringify(c.args.view)),
    );
    assertSafe('the refused modal', { blocks: (modal.args.view as { blocks: unknown }).blocks });
    const message = await t.slack.waitForResponse(responseUrl);
    assertSafe('the not-posted message', message.body);
    assert.match(JSON.stringify(message.body), /Bad &lt;!here&gt; &amp; &lt;b&gt;/);
    const row = await t.prisma.assessment.findFirstOrThrow();
    assert.equal(row.status, 'failed');
    assert.equal(row.comment, typed, 'kept as typed');
  });

  it('escapes a category name from Flex that holds Slack control sequences', async () => {
    const hostile = { id: 'f1e2d3c4-b5a6-4978-8a6b-5c4d3e2f1a0b', name: '<!channel> & <@U0REVIEW1> *Ops*' };
    t.flex.setCommentCategories([{ id: CATEGORY.id, name: CATEGORY.name }, hostile]);
    await t.prisma.category.create({ data: { ...hostile, sort: 3, source: 'flex' } });
    await t.app.catalog.refresh();
    try {
      const calls = t.slack.calls().length;
      await commentWithQm(t, `${SEGMENT_ID} ${THREAD_LINK}`, { category: hostile.id, comment: 'Plain' });
      const posted = await eventually(async () => {
        const row = await t.prisma.assessment.findFirstOrThrow();
        assert.ok(row.announcedAt && row.agentNotifiedAt, 'announced and the agent told');
        // The thread confirmation is sent on its own and may come last.
        const since = t.slack.calls('chat.postMessage').filter((c) => t.slack.calls().indexOf(c) >= calls);
        assert.equal(since.length, 3, 'thread, announcement, agent DM');
        return since;
      });
      for (const call of posted) assertSafe(`message to ${String(call.args.channel)}`, call.args);
    } finally {
      await t.prisma.category.delete({ where: { id: hostile.id } });
      await t.app.catalog.refresh();
    }
  });

  it('takes a comment of exactly the limit (3000 characters, astral ones included) and refuses one more', async () => {
    const atLimit = '😀'.repeat(1500) + '<'.repeat(1500);
    const { row, byChannel } = await commentAndCollect(atLimit, false);
    assert.equal([...row.comment].length, 3000);
    assert.equal(
      new URLSearchParams(t.flex.requests.find((r) => r.method === 'POST')?.rawBody).get('Comment'),
      atLimit,
    );
    const announcement = byChannel('C0ANNOUNCE');
    assert.equal(announcement?.result.ok, true, `Slack took the announcement: ${JSON.stringify(announcement?.result)}`);

    await t.prisma.assessment.deleteMany();
    t.flex.reset();
    const over = await refusedWith(`${atLimit}x`);
    assert.match(over, /3001 characters long; Flex takes at most 3000/);
  });

  /** Submits the form with this comment; returns the error Slack shows beside the comment field. */
  async function refusedWith(comment: string): Promise<string> {
    const { viewId } = await openModalWithQm(t, SEGMENT_ID);
    await modalRefined(t, viewId);
    const ack = await submitModal(t, viewId, { category: CATEGORY.id, comment });
    assert.equal(ack.status, 200);
    const body = ack.json as { response_action?: string; errors?: Record<string, string> };
    assert.equal(body.response_action, 'errors', JSON.stringify(body));
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(await t.prisma.assessment.count(), 0, 'nothing stored');
    assert.equal(t.flex.requests.filter((r) => r.method === 'POST').length, 0, 'nothing sent');
    return body.errors?.comment ?? '';
  }

  it('asks for a comment when it is empty, blank, or only invisible characters', async () => {
    for (const blank of [null, '   ', '\n\t\r\n', '\u3000\u00A0', '\u200B\u200C\u200D\uFEFF']) {
      assert.match(await refusedWith(blank as string), /Write the comment: it cannot be empty/, JSON.stringify(blank));
    }
  });

  it('refuses a comment with a broken character rather than send something else', async () => {
    assert.match(await refusedWith('half an emoji \uD83D here'), /broken character/);
  });

  it('refuses a NUL character, which no database the app runs on can store, and says so', async () => {
    assert.match(await refusedWith('nul\u0000here'), /invisible NUL character.*Type that part again/);
  });

  it('previews a hostile call link, and a call whose names in Flex are hostile, without pinging anyone', async () => {
    const segmentId = 'a6f0c1d2-3b4c-4d5e-8f70-8192a3b4c5d6';
    t.flex.addSegment({
      segment_id: segmentId,
      agent_id: AGENT_ID,
      agent_name: '<!channel> *Alex*',
      agent_team_name: 'Team <@U0REVIEW1>',
      queue: 'Q & <!here>',
      customer_name: '<https://evil.example|Casey>',
      date: '2026-11-20T10:00:00Z',
    });
    const link = `https://analytics.ytica.com/player/segment/${segmentId}?x=a|<!channel>&y=<b>`;
    t.slack.addMessage('C0QA00001', { ts: '1763634000.000900', user: 'U0SUPER01', text: `<${link}>` });
    const ack = await t.sender.event({
      token: 'deprecated-verification-token',
      team_id: TEAM_ID,
      api_app_id: 'A0FLEXQM01',
      type: 'event_callback',
      event_id: 'Ev0HOSTILE1',
      event_time: Math.floor(Date.now() / 1000),
      event: {
        type: 'link_shared',
        channel: 'C0QA00001',
        is_bot_user_member: true,
        user: 'U0SUPER01',
        message_ts: '1763634000.000900',
        unfurl_id: 'C0QA00001.1763634000.000900.unfurl',
        source: 'conversations_history',
        links: [{ domain: 'analytics.ytica.com', url: link }],
        event_ts: '1763634000.000900',
      },
    });
    assert.equal(ack.status, 200);
    const unfurl = await t.slack.waitForCall('chat.unfurl', (c) => c.args.ts === '1763634000.000900');
    assert.equal(unfurl.result.ok, true, JSON.stringify(unfurl.result));
    const preview = (unfurl.args.unfurls as Record<string, { blocks: unknown }>)[link];
    assert.ok(preview, 'the link is previewed');
    assertSafe('unfurl preview', { blocks: preview.blocks });
    assert.match(JSON.stringify(preview.blocks), /&lt;!channel&gt; \*Alex\*/);
  });
});
