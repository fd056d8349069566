import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Json } from '../fakes/fake-slack-api.js';
import { commentWithQm } from '../helpers/reviewer-story.js';
import {
  appHomeOpenedEvent,
  blockActionsPayload,
  type EnteredValue,
  eventCallback,
  viewSubmissionPayload,
} from '../helpers/slack-payloads.js';
import {
  CATEGORY,
  eventually,
  REVIEWER,
  SEGMENT_ID,
  startTestApp,
  TEAM_ID,
  type TestApp,
} from '../helpers/test-app.js';
import { TEST_ADMIN, TEST_AGENT, TEST_QA_FEED, TEST_STRANGER, TEST_WORLD_WITH_AGENTS } from '../helpers/world.js';

const team = { id: TEAM_ID, domain: 'acme' };
const person = (p: { userId: string; handle: string }) => ({ id: p.userId, name: p.handle, teamId: TEAM_ID });
const AGENT = person(TEST_AGENT);
const AUTHOR = person({ userId: REVIEWER.userId, handle: 'rita' });
const ADMIN = person(TEST_ADMIN);
const STRANGER = person(TEST_STRANGER);
type Who = typeof AGENT;

/** Hostile text: Slack's control characters and a channel-wide mention, which no message may let through. */
const TYPED = 'Greeting <!channel> & <@U0ADMIN01> *bold* <https://evil.example|click>';

describe('feedback on an agent’s calls: the DM, Acknowledge, Dispute, Uphold, Revise and the Home tab', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({
      world: TEST_WORLD_WITH_AGENTS,
      env: { NOTIFY_AGENT_DM: 'true', NOTIFY_CHANNEL: TEST_QA_FEED.id },
    });
  });
  after(async () => {
    await t.close();
  });
  beforeEach(async () => {
    await t.prisma.feedback.deleteMany();
    await t.prisma.memberPreference.deleteMany();
    t.flex.reset();
  });

  /** Rita comments on Alex's call; resolves once Alex's DM is in Slack, with the feedback row and the DM. */
  async function commentAndDm(text = 'Warm greeting, clear close.') {
    const before = new Set((await t.prisma.assessment.findMany({ select: { id: true } })).map((a) => a.id));
    await commentWithQm(t, `https://analytics.ytica.com/player/segment/${SEGMENT_ID}?t=5 1:23`, {
      category: CATEGORY.id,
      comment: text,
    });
    const row = await eventually(async () => {
      const found = await t.prisma.feedback.findFirst({
        where: { assessmentId: { notIn: [...before] }, notifiedAt: { not: null } },
      });
      assert.ok(found, 'the agent was sent the feedback');
      return found;
    });
    return { row, dm: dmMessage(row) };
  }

  function dmMessage(row: { dmChannelId: string | null; dmMessageTs: string | null }): Json {
    const message = t.slack.messagesIn(String(row.dmChannelId)).find((m) => m.ts === row.dmMessageTs);
    assert.ok(message, 'the DM is in Slack');
    return { type: 'message', ts: message.ts, text: message.text, blocks: message.blocks };
  }

  /** A click on a button of a message, as Slack sends it, with a response_url for the answer. */
  async function click(actionId: string, who: Who, message: Json, channel: string) {
    const responseUrl = t.slack.newResponseUrl({ channel, userId: who.id });
    const triggerId = t.slack.issueTriggerId();
    const result = await t.sender.interaction(
      blockActionsPayload({
        actionId,
        user: who,
        team,
        message,
        channel: { id: channel, name: channel },
        responseUrl,
        triggerId,
      }),
    );
    assert.equal(result.status, 200);
    return { responseUrl, triggerId };
  }

  /** Someone who may not: told why, privately, and nothing changes (row, events, no form opened). */
  async function refused(actionId: string, who: Who, message: Json, channel: string, feedbackId: string) {
    const before = await snapshot(feedbackId);
    const { responseUrl, triggerId } = await click(actionId, who, message, channel);
    const answer = await t.slack.waitForResponse(responseUrl);
    assert.match(String(answer.body.text), /^Only the (agent|reviewer)/);
    assert.equal(answer.body.response_type, 'ephemeral');
    assert.equal(t.slack.calls('views.open').filter((c) => c.args.trigger_id === triggerId).length, 0);
    assert.deepEqual(await snapshot(feedbackId), before, `${who.name} changed nothing`);
  }

  async function snapshot(id: string) {
    const row = await t.prisma.feedback.findUniqueOrThrow({ where: { id } });
    const events = await t.prisma.feedbackEvent.count({ where: { feedbackId: id } });
    return { state: row.state, updatedAt: row.updatedAt.getTime(), events };
  }

  async function openedForm(triggerId: string): Promise<string> {
    const open = await t.slack.waitForCall('views.open', (c) => c.args.trigger_id === triggerId);
    assert.equal(open.result.ok, true, JSON.stringify(open.result));
    return String((open.result.view as { id: string }).id);
  }

  async function submitForm(viewId: string, who: Who, values: Record<string, EnteredValue>) {
    const result = await t.sender.interaction(
      viewSubmissionPayload({ view: t.slack.currentView(viewId), values, user: who, team }),
    );
    assert.equal(result.status, 200, result.text);
    return (result.json ?? {}) as { response_action?: string; errors?: Record<string, string> };
  }

  const buttonsOf = (message: Json) =>
    [...JSON.stringify(message.blocks ?? []).matchAll(/"action_id":"(feedback_[a-z]+)"/g)].map((m) => m[1]);

  /** Alex disputes: the button, then the form with the reason. Returns the dispute message in the QA channel. */
  async function dispute(row: { id: string }, dm: Json, reason = TYPED) {
    const { triggerId } = await click('feedback_dispute', AGENT, dm, String((await dmRow(row.id)).dmChannelId));
    const viewId = await openedForm(triggerId);
    assert.deepEqual(await submitForm(viewId, AGENT, { dispute_reason: reason }), {});
    return eventually(() => {
      const message = t.slack
        .messagesIn(TEST_QA_FEED.id)
        .findLast((m) => JSON.stringify(m.blocks ?? []).includes(`"value":"${row.id}"`));
      assert.ok(message, 'the dispute is in the QA channel');
      return { type: 'message', ts: message.ts, text: message.text, blocks: message.blocks } as Json;
    }).then(async (message) => {
      // Its thread is where the next steps go, once the app has stored where it is.
      await eventually(async () => assert.equal((await dmRow(row.id)).disputeMessageTs, message.ts));
      return message;
    });
  }

  const dmRow = (id: string) => t.prisma.feedback.findUniqueOrThrow({ where: { id } });
  const threadOf = (ts: string) =>
    t.slack
      .messagesIn(TEST_QA_FEED.id)
      .filter((m) => m.threadTs === ts)
      .map((m) => String(m.text));

  /** Nothing anyone typed may ping, link or format in a message of the app's. */
  function assertEscaped(what: string, message: unknown) {
    const text = JSON.stringify(message);
    assert.doesNotMatch(text, /<!channel>|<@U0ADMIN01>|<https:\/\/evil/, what);
  }

  it('sends the agent one DM per comment, once it is in Flex: reviewer, category, comment, call link, buttons', async () => {
    const { row, dm } = await commentAndDm(TYPED);
    const text = JSON.stringify(dm.blocks);
    assert.match(text, new RegExp(`<@${REVIEWER.userId}> left QM feedback on one of your calls`));
    assert.match(text, /Good for Training/);
    assert.match(text, /\?t=83\|Open the call at 1:23>/, 'a link to the call at the comment’s time');
    assert.match(text, /Greeting &lt;!channel&gt; &amp; &lt;@U0ADMIN01&gt;/, 'the comment, escaped');
    assertEscaped('agent DM', dm);
    assert.deepEqual(buttonsOf(dm), ['feedback_acknowledge', 'feedback_dispute']);
    assert.equal(row.state, 'new');
    assert.equal(row.agentSlackUserId, TEST_AGENT.userId);
    assert.equal(row.reviewerSlackUserId, REVIEWER.userId);
    assert.equal(row.notifyNextAttemptAt, null, 'nothing left to send');
    const assessment = await t.prisma.assessment.findUniqueOrThrow({ where: { id: String(row.assessmentId) } });
    assert.ok(assessment.agentNotifiedAt, 'the comment says its agent was told, as before');
    const dms = t.slack.calls('chat.postMessage').filter((c) => c.args.channel === TEST_AGENT.userId);
    assert.equal(dms.filter((c) => JSON.stringify(c.args.blocks).includes(row.id)).length, 1, 'one DM');
    assert.deepEqual(
      (await t.prisma.feedbackEvent.findMany({ where: { feedbackId: row.id } })).map((e) => e.kind),
      ['notified'],
    );
  });

  it('Acknowledge: only the agent; the DM changes and the reviewer is told “acknowledged by @agent”', async () => {
    const { row, dm } = await commentAndDm();
    const channel = String(row.dmChannelId);
    for (const who of [STRANGER, AUTHOR, ADMIN]) await refused('feedback_acknowledge', who, dm, channel, row.id);

    await click('feedback_acknowledge', AGENT, dm, channel);
    const after = await eventually(async () => {
      const found = await dmRow(row.id);
      assert.equal(found.state, 'acknowledged');
      return found;
    });
    assert.ok(after.acknowledgedAt, 'after.acknowledgedAt');
    const event = await t.prisma.feedbackEvent.findFirstOrThrow({
      where: { feedbackId: row.id, kind: 'acknowledged' },
    });
    assert.equal(event.slackUserId, TEST_AGENT.userId);
    const toReviewer = await t.slack.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === REVIEWER.userId && /Acknowledged by <@U0ALEX001>/.test(String(c.args.text)),
    );
    assert.equal(toReviewer.result.ok, true);
    await eventually(() => assert.deepEqual(buttonsOf(dmMessage(after)), ['feedback_dispute']));
    assert.match(JSON.stringify(dmMessage(after).blocks), /Acknowledged/);

    // A second click changes nothing and says so.
    const again = await click('feedback_acknowledge', AGENT, dm, channel);
    assert.match(String((await t.slack.waitForResponse(again.responseUrl)).body.text), /already acknowledged/);
    assert.equal(await t.prisma.feedbackEvent.count({ where: { feedbackId: row.id, kind: 'acknowledged' } }), 1);
  });

  it('Dispute: only the agent opens the form; the reason is required; it reaches the reviewer and the QA channel', async () => {
    const { row, dm } = await commentAndDm();
    const channel = String(row.dmChannelId);
    for (const who of [STRANGER, AUTHOR, ADMIN]) await refused('feedback_dispute', who, dm, channel, row.id);

    const { triggerId } = await click('feedback_dispute', AGENT, dm, channel);
    const viewId = await openedForm(triggerId);
    assert.equal(t.slack.currentView(viewId).callback_id, 'feedback_dispute_form');
    const blank = await submitForm(viewId, AGENT, { dispute_reason: '   ' });
    assert.equal(blank.response_action, 'errors');
    assert.match(String(blank.errors?.dispute_reason), /Say why/);
    // The form as Slack holds it, submitted by someone else: refused beside the field, nothing changes.
    const before = await snapshot(row.id);
    const forged = await submitForm(viewId, STRANGER, { dispute_reason: 'Not mine to dispute' });
    assert.equal(forged.response_action, 'errors');
    assert.match(String(forged.errors?.dispute_reason), /Only the agent/);
    assert.deepEqual(await snapshot(row.id), before);

    assert.deepEqual(await submitForm(viewId, AGENT, { dispute_reason: TYPED }), {});
    const after = await dmRow(row.id);
    assert.equal(after.state, 'disputed');
    assert.equal(after.disputeReason, TYPED, 'kept as typed');
    const inChannel = await eventually(() => {
      const found = t.slack.messagesIn(TEST_QA_FEED.id).find((m) => JSON.stringify(m.blocks ?? []).includes(row.id));
      assert.ok(found, 'found');
      return found;
    });
    assert.match(JSON.stringify(inChannel.blocks), /<@U0ALEX001> disputes the comment/);
    assert.deepEqual(buttonsOf({ blocks: inChannel.blocks }), ['feedback_uphold', 'feedback_revise']);
    assertEscaped('dispute in the channel', inChannel);
    const toReviewer = await t.slack.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === REVIEWER.userId && /disputes the comment/.test(JSON.stringify(c.args.blocks ?? [])),
    );
    // The buttons are in the channel, whose message each step updates; the reviewer's copy points there.
    assert.match(JSON.stringify(toReviewer.args.blocks), /Uphold or revise it in <#C0QAFEED1>/);
    assert.deepEqual(buttonsOf(toReviewer.args), []);
    assertEscaped('dispute to the reviewer', toReviewer.args);
    await eventually(async () =>
      assert.equal((await dmRow(row.id)).disputeMessageTs, inChannel.ts, 'later steps go in its thread'),
    );
    await eventually(() => {
      const thread = threadOf(inChannel.ts);
      assert.ok(
        thread.some((line) => /told by DM/.test(line)),
        'thread.some((line) => /told by DM/.test(line))',
      );
      assert.ok(
        thread.some((line) => /Disputed by <@U0ALEX001>/.test(line)),
        'thread.some((line) => /Disputed by <@U0ALEX001>/.test(line))',
      );
    });
    await eventually(() => assert.deepEqual(buttonsOf(dmMessage(after)), [], 'no buttons while disputed'));
  });

  it('Uphold: only the reviewer and QM admins; the agent gets the note; the step is in the thread', async () => {
    const { row, dm } = await commentAndDm();
    const disputed = await dispute(row, dm);
    for (const who of [STRANGER, AGENT]) await refused('feedback_uphold', who, disputed, TEST_QA_FEED.id, row.id);

    // The admin may open it too; the reviewer's form is the one submitted.
    await openedForm((await click('feedback_uphold', ADMIN, disputed, TEST_QA_FEED.id)).triggerId);
    const { triggerId } = await click('feedback_uphold', AUTHOR, disputed, TEST_QA_FEED.id);
    const viewId = await openedForm(triggerId);
    const before = await snapshot(row.id);
    const forged = await submitForm(viewId, AGENT, { uphold_note: 'I uphold my own dispute' });
    assert.equal(forged.response_action, 'errors');
    assert.match(String(forged.errors?.uphold_note), /Only the reviewer/);
    assert.deepEqual(await snapshot(row.id), before);

    assert.deepEqual(await submitForm(viewId, AUTHOR, { uphold_note: `Listen at 1:23 ${TYPED}` }), {});
    const after = await dmRow(row.id);
    assert.equal(after.state, 'resolved');
    assert.equal(after.resolution, 'upheld');
    assert.equal(after.resolvedBySlackUserId, REVIEWER.userId);
    const toAgent = await t.slack.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === TEST_AGENT.userId && /upheld the feedback you disputed/.test(String(c.args.text)),
    );
    assert.match(JSON.stringify(toAgent.args.blocks), /Listen at 1:23/);
    assertEscaped('uphold note to the agent', toAgent.args);
    await eventually(() =>
      assert.ok(
        threadOf(String(disputed.ts)).some((l) => /Upheld by <@U0REVIEW1>/.test(l)),
        'threadOf(String(disputed.ts)).some((l) => /Upheld by <@U0REVIEW1>/.test(l))',
      ),
    );
    await eventually(() => {
      const channelMessage = t.slack.messagesIn(TEST_QA_FEED.id).find((m) => m.ts === disputed.ts);
      assert.deepEqual(buttonsOf({ blocks: channelMessage?.blocks }), [], 'resolved: no more buttons');
    });
    assert.deepEqual(
      (await t.prisma.feedbackEvent.findMany({ where: { feedbackId: row.id }, orderBy: { createdAt: 'asc' } })).map(
        (e) => e.kind,
      ),
      ['notified', 'disputed', 'upheld'],
    );
  });

  it('Revise a comment: a new comment naming the old one, by an admin; the dispute is resolved as revised', async () => {
    const { row, dm } = await commentAndDm('Rushed the close.');
    const disputed = await dispute(row, dm, 'I did not rush it');
    for (const who of [STRANGER, AGENT]) await refused('feedback_revise', who, disputed, TEST_QA_FEED.id, row.id);

    const { triggerId } = await click('feedback_revise', ADMIN, disputed, TEST_QA_FEED.id);
    const viewId = await openedForm(triggerId);
    const form = JSON.stringify(t.slack.currentView(viewId));
    assert.match(form, /Flex cannot edit or delete a comment/);
    assert.match(form, /Revises the comment of \d{4}-\d\d-\d\d \d\d:\d\d UTC \(Good for Training\) after a dispute: /);
    const before = await snapshot(row.id);
    const forged = await submitForm(viewId, AGENT, { comment: 'Revises the comment… by the agent' });
    assert.equal(forged.response_action, 'errors');
    assert.match(String(forged.errors?.comment), /Only the reviewer/);
    assert.deepEqual(await snapshot(row.id), before);

    const typed = 'The close was fine on a second listen.';
    await submitForm(viewId, ADMIN, { comment: typed });
    const after = await eventually(async () => {
      const found = await dmRow(row.id);
      assert.equal(found.state, 'resolved');
      return found;
    });
    assert.equal(after.resolution, 'revised');
    assert.equal(after.resolvedBySlackUserId, TEST_ADMIN.userId);
    const revision = await t.prisma.assessment.findUniqueOrThrow({
      where: { id: String(after.revisedByAssessmentId) },
    });
    assert.match(
      revision.comment,
      /^Revises the comment of .* \(Good for Training\) after a dispute: The close was fine/,
    );
    await eventually(() =>
      assert.ok(
        t.flex.comments.some((c) => c.comment.comment === revision.comment),
        't.flex.comments.some((c) => c.comment.comment === revision.comment)',
      ),
    );
    await eventually(() =>
      assert.ok(
        threadOf(String(disputed.ts)).some((l) => /Revised by <@U0ADMIN01>/.test(l)),
        'threadOf(String(disputed.ts)).some((l) => /Revised by <@U0ADMIN01>/.test(l))',
      ),
    );
    // The revision is feedback of its own: Alex is sent it.
    await eventually(async () =>
      assert.ok(
        (await t.prisma.feedback.findUnique({ where: { assessmentId: revision.id } }))?.notifiedAt,
        '(await t.prisma.feedback.findUnique({ where: { assessmentId: revision.id } }))?.notifiedAt',
      ),
    );
  });

  it('the Home tab lists the agent’s feedback, latest first with its state and buttons; the mute toggle stops DMs', async () => {
    const first = await commentAndDm('First');
    await click('feedback_acknowledge', AGENT, first.dm, String(first.row.dmChannelId));
    await eventually(async () => assert.equal((await dmRow(first.row.id)).state, 'acknowledged'));
    const second = await commentAndDm('Second');

    const home = await openHome(AGENT);
    const text = JSON.stringify(home.blocks);
    assert.match(text, /Feedback on your calls/);
    assert.ok(text.indexOf(second.row.id) < text.indexOf(first.row.id), 'latest first');
    assert.match(text, /\*New\* · comment · \*Good for Training\*/);
    assert.match(text, /\*Acknowledged\* · comment/);
    assert.match(text, /"action_id":"feedback_mute".*"value":"mute"/);

    // Acknowledging from the Home tab works too, and shows at once.
    const ack = await t.sender.interaction(
      blockActionsPayload({
        actionId: 'feedback_acknowledge',
        blockId: `feedback_actions_${second.row.id}`,
        view: home,
        user: AGENT,
        team,
      }),
    );
    assert.equal(ack.status, 200);
    await eventually(async () => assert.equal((await dmRow(second.row.id)).state, 'acknowledged'));

    // A stranger's Home tab shows none of it.
    assert.doesNotMatch(JSON.stringify((await openHome(STRANGER)).blocks), /Feedback on your calls/);

    const muted = await openHome(AGENT);
    await t.sender.interaction(blockActionsPayload({ actionId: 'feedback_mute', view: muted, user: AGENT, team }));
    await eventually(async () =>
      assert.equal(
        (
          await t.prisma.memberPreference.findUnique({
            where: { slackTeamId_slackUserId: { slackTeamId: TEAM_ID, slackUserId: TEST_AGENT.userId } },
          })
        )?.feedbackDmsMuted,
        true,
      ),
    );
    const dmsBefore = t.slack.calls('chat.postMessage').filter((c) => c.args.channel === TEST_AGENT.userId).length;
    await commentWithQm(t, SEGMENT_ID, { category: CATEGORY.id, comment: 'While muted' });
    const quiet = await eventually(async () => {
      const found = await t.prisma.feedback.findFirst({ where: { notifyError: 'muted' } });
      assert.ok(found, 'recorded, not sent');
      return found;
    });
    assert.equal(quiet.notifiedAt, null);
    assert.equal(quiet.notifyNextAttemptAt, null);
    assert.equal(
      t.slack.calls('chat.postMessage').filter((c) => c.args.channel === TEST_AGENT.userId).length,
      dmsBefore,
      'no DM while muted',
    );
    assert.match(JSON.stringify((await openHome(AGENT)).blocks), /Send me DMs again/);
  });

  it('sends what the database holds as due, after Slack’s Retry-After, exactly once', async () => {
    // Nothing else is on its way to Slack, so the rate limit falls on the DM.
    await eventually(async () => assert.equal(await t.prisma.assessment.count({ where: { announcedAt: null } }), 0));
    t.slack.failNext('chat.postMessage', { retryAfterSeconds: 1 });
    const assessment = await t.prisma.assessment.findFirstOrThrow();
    // As an instance that recorded it and stopped before sending would leave it.
    const row = await t.prisma.feedback.create({
      data: {
        kind: 'comment',
        assessmentId: assessment.id,
        slackTeamId: TEAM_ID,
        agentId: assessment.agentId,
        agentSlackUserId: TEST_AGENT.userId,
        reviewerSlackUserId: REVIEWER.userId,
        notifyNextAttemptAt: new Date(),
      },
    });
    const sent = await eventually(async () => {
      const found = await dmRow(row.id);
      assert.ok(found.notifiedAt, 'found.notifiedAt');
      return found;
    });
    assert.equal(sent.notifyAttempts, 2, 'the rate-limited try, then the DM');
    const tries = t.slack
      .calls('chat.postMessage')
      .filter((c) => c.args.channel === TEST_AGENT.userId && JSON.stringify(c.args.blocks ?? []).includes(row.id));
    assert.deepEqual(
      tries.map((c) => c.result.ok),
      [false, true],
    );
    assert.ok((tries[1]?.at ?? 0) - (tries[0]?.at ?? 0) >= 900, 'waited for Retry-After');
  });

  async function openHome(who: Who): Promise<Json> {
    const before = t.slack.calls('views.publish').length;
    const result = await t.sender.event(eventCallback({ teamId: TEAM_ID, event: appHomeOpenedEvent(who.id) }));
    assert.equal(result.status, 200);
    const published = await eventually(() => {
      const call = t.slack
        .calls('views.publish')
        .slice(before)
        .find((c) => c.args.user_id === who.id);
      assert.ok(call, 'call');
      return call;
    });
    return { ...(published.result.view as Json) };
  }
});
