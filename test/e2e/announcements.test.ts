import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { commentWithQm } from '../helpers/reviewer-story.js';
import {
  AGENT_ID,
  CATEGORY,
  eventually,
  OTHER_CATEGORY,
  REVIEWER,
  SEGMENT_ID,
  startTestApp,
  TEAM_ID,
  type TestApp,
} from '../helpers/test-app.js';

describe('announcing posted comments to the team', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ env: { NOTIFY_CHANNEL: 'C0ANNOUNCE', NOTIFY_AGENT_DM: 'true' } });
    t.slack.addChannel({ id: 'C0ANNOUNCE', name: 'qa-feed', isMember: true });
    t.slack.addChannel({ id: 'C0COMPLY1', name: 'compliance', isMember: true });
    t.slack.addUser({ id: 'U0ALEX001', name: 'alex', teamId: TEAM_ID });
    await t.prisma.identity.create({
      data: {
        email: 'alex@example.com',
        flexUserName: 'Alex Agent',
        role: 'none',
        agentId: AGENT_ID,
        slackUserId: 'U0ALEX001',
      },
    });
    await t.prisma.category.update({ where: { id: OTHER_CATEGORY.id }, data: { notifyChannelId: 'C0COMPLY1' } });
  });
  after(async () => {
    await t.close();
  });
  beforeEach(async () => {
    await t.prisma.assessment.deleteMany();
  });

  const comment = (categoryId: string, text: string) =>
    commentWithQm(t, `https://analytics.ytica.com/player/segment/${SEGMENT_ID}?t=5 1:23`, {
      category: categoryId,
      comment: text,
    });

  it('posts one announcement in the default channel, mentioning the mapped agent, with a link at the offset', async () => {
    await comment(CATEGORY.id, 'Announce me <!here>');
    const announcement = await t.slack.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0ANNOUNCE');
    const text = JSON.stringify(announcement.args.blocks);
    assert.match(text, new RegExp(`<@${REVIEWER.userId}> left a QM comment on a call of <@U0ALEX001>`));
    assert.match(text, /Good for Training/);
    assert.match(text, /\?t=83\|Open the call at 1:23>/);
    assert.ok(!text.includes('<!here>'), 'the comment cannot ping the channel');
    const dm = await t.slack.waitForCall('chat.postMessage', (c) => c.args.channel === 'U0ALEX001');
    assert.match(String(dm.args.text), /new QM feedback/);
    await eventually(async () =>
      assert.ok(
        (await t.prisma.assessment.findFirstOrThrow()).announcedAt,
        '(await t.prisma.assessment.findFirstOrThrow()).announcedAt',
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(t.slack.calls('chat.postMessage').filter((c) => c.args.channel === 'C0ANNOUNCE').length, 1);
  });

  it('uses the category’s own channel, and waits out Slack’s Retry-After without losing the announcement', async () => {
    const before = t.slack.calls('chat.postMessage').length;
    t.slack.failNext('chat.postMessage', { retryAfterSeconds: 1 });
    await comment(OTHER_CATEGORY.id, 'Compliance note');
    const posted = await eventually(() => {
      const calls = t.slack
        .calls('chat.postMessage')
        .slice(before)
        .filter((c) => c.args.channel === 'C0COMPLY1');
      assert.equal(calls.length, 2, 'a rate-limited try, then the real post');
      return calls;
    });
    assert.equal(posted[0]?.result.error, 'ratelimited');
    assert.equal(posted[1]?.result.ok, true);
    assert.ok((posted[1]?.at ?? 0) - (posted[0]?.at ?? 0) >= 900, 'waited for Retry-After');
    const row = await t.prisma.assessment.findFirstOrThrow();
    assert.equal(row.status, 'posted', 'the comment itself was never held back');
  });
});
