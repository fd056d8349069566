import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { commentWithQm } from '../helpers/reviewer-story.js';
import { CATEGORY, eventually, REVIEWER, SEGMENT_ID, startTestApp, type TestApp } from '../helpers/test-app.js';

const OTHER = { id: 'C0OTHER01', name: 'leadership' };
const SECRET = { id: 'G0SECRET1', name: 'secret' };
const permalink = (channel: string, ts = '1763632800000200') => `https://acme.slack.com/archives/${channel}/p${ts}`;

describe('the thread a /qm permalink names', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    // #leadership has the bot but not the reviewer; #secret is private and has neither.
    t.slack.addUser({ id: 'U0LEADER1', name: 'lee', email: 'lee@example.com' });
    t.slack.addChannel({ ...OTHER, isMember: true, members: ['U0LEADER1'] });
    t.slack.addChannel({ ...SECRET, isPrivate: true, isMember: false, members: ['U0LEADER1'] });
  });
  after(async () => {
    await t.close();
  });

  /** Comments with `/qm <call> <link>` from #qa and returns the private confirmation, once it came. */
  async function commentLinking(link: string, comment: string) {
    const { responseUrl } = await commentWithQm(t, `${SEGMENT_ID} ${link}`, { category: CATEGORY.id, comment });
    return eventually(() => {
      const [post] = t.slack.responsesTo(responseUrl);
      assert.ok(post, 'the confirmation came privately, where the command ran');
      return JSON.stringify(post.body);
    }, 5_000);
  }

  it('does not reply in a channel the reviewer is not in; the confirmation stays private and says why', async () => {
    const text = await commentLinking(permalink(OTHER.id), 'Not for the leadership channel');
    assert.match(text, /did not reply in the linked message's thread because you are not a member of <#C0OTHER01>/);
    assert.equal(t.slack.messagesIn(OTHER.id).length, 0, 'nothing was posted in #leadership');
    assert.ok(
      t.slack.calls('conversations.members').some((call) => call.args.channel === OTHER.id),
      'Slack was asked who is in the channel',
    );
  });

  it('keeps it private when Slack will not say who is in the channel (a private channel without the app)', async () => {
    const text = await commentLinking(permalink(SECRET.id), 'Not for the secret channel');
    assert.match(text, /Slack did not confirm that you are a member of <#G0SECRET1>/);
    assert.equal(t.slack.messagesIn(SECRET.id).length, 0);
  });

  it('replies in the thread of a channel the reviewer is in', async () => {
    const { responseUrl } = await commentWithQm(t, `${SEGMENT_ID} ${permalink('C0QA00001', '1763632900000300')}`, {
      category: CATEGORY.id,
      comment: 'For the QA thread',
    });
    const reply = await eventually(() => {
      const found = t.slack
        .messagesIn('C0QA00001')
        .find((message) => message.threadTs === '1763632900.000300' && message.user !== REVIEWER.userId);
      assert.ok(found, 'the confirmation is in the #qa thread');
      return found;
    }, 5_000);
    assert.ok(reply, 'reply');
    assert.equal(t.slack.responsesTo(responseUrl).length, 0, 'and not also privately');
  });
});
