import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Json } from '../fakes/fake-slack-api.js';
import { commentWithQm } from '../helpers/reviewer-story.js';
import { blockActionsPayload } from '../helpers/slack-payloads.js';
import {
  CATEGORY,
  eventually,
  REVIEWER,
  SEGMENT_ID,
  startTestApp,
  TEAM_ID,
  type TestApp,
} from '../helpers/test-app.js';

const OTHER = { userId: 'U0OTHER01', email: 'otto.other@example.com' };
const ADMIN = { userId: 'U0ADMIN01', email: 'ada.admin@example.com' };
const QA = { id: 'C0QA00001', name: 'qa' };

describe('the Retry button on a comment Flex did not take', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await t.prisma.identity.createMany({
      data: [
        { email: OTHER.email, flexUserName: 'Otto Other', slackUserId: OTHER.userId, slackTeamId: TEAM_ID },
        {
          email: ADMIN.email,
          flexUserName: 'Ada Admin',
          slackUserId: ADMIN.userId,
          slackTeamId: TEAM_ID,
          role: 'admin',
        },
      ],
    });
  });
  after(async () => {
    await t.close();
  });
  beforeEach(async () => {
    await t.prisma.assessment.deleteMany();
    t.flex.reset();
  });

  const rejectOnce = () =>
    t.flex.failNext({
      method: 'POST',
      status: 400,
      body: JSON.stringify({ code: 20001, message: 'Invalid segment', more_info: 'x', status: 400 }),
    });

  /** The reviewer comments, Flex refuses; returns the private message that says so, as a message Slack shows. */
  async function failedComment(text: string) {
    const { responseUrl } = await commentWithQm(t, SEGMENT_ID, { category: CATEGORY.id, comment: text });
    const post = await t.slack.waitForResponse(responseUrl);
    const row = await eventually(async () => {
      const found = await t.prisma.assessment.findFirstOrThrow();
      assert.equal(found.status, 'failed');
      return found;
    });
    const message: Json = { type: 'message', ts: '1763640000.000100', text: post.body.text, blocks: post.body.blocks };
    return { responseUrl, message, row };
  }

  /** A click on the message's Retry button, as Slack sends it, with a response_url for the answer. */
  function click(message: Json, userId: string) {
    const responseUrl = t.slack.newResponseUrl({ channel: QA.id, userId });
    const payload = blockActionsPayload({
      actionId: 'assessment_retry',
      user: { id: userId, name: userId.toLowerCase(), teamId: TEAM_ID },
      team: { id: TEAM_ID, domain: 'acme' },
      message,
      channel: QA,
      responseUrl,
    });
    return { responseUrl, sent: t.sender.interaction(payload) };
  }

  it('shows a Retry button; a click by the author queues it, Flex takes it, it exists once, and the reviewer is told', async () => {
    rejectOnce();
    const { responseUrl, message, row } = await failedComment('Please retry me');
    const buttons = JSON.stringify(message.blocks);
    assert.match(buttons, /"action_id":"assessment_retry"/);
    assert.match(buttons, new RegExp(`"value":"${row.id}"`));

    const { responseUrl: clickUrl, sent } = click(message, REVIEWER.userId);
    const ack = await sent;
    assert.equal(ack.status, 200);
    const feedback = await t.slack.waitForResponse(clickUrl);
    assert.equal(feedback.body.replace_original, true, 'the failed message is replaced');
    assert.match(String(feedback.body.text), /queued again/);
    assert.doesNotMatch(JSON.stringify(feedback.body.blocks), /assessment_retry/, 'no second button to click');

    const posted = await eventually(async () => {
      const found = await t.prisma.assessment.findFirstOrThrow();
      assert.equal(found.status, 'posted');
      return found;
    });
    assert.equal(t.flex.commentsCreated(), 1);
    assert.equal(t.flex.comments[0]?.comment.comment, 'Please retry me');
    assert.equal(posted.flexAssessmentSid, t.flex.comments[0]?.assessment_sid);
    const told = await eventually(() => {
      const posts = t.slack.responsesTo(responseUrl);
      assert.equal(posts.length, 2);
      return posts[1];
    });
    assert.match(JSON.stringify(told?.body), /posted a QM comment/);
  });

  it('queues a double click once', async () => {
    rejectOnce();
    const { message } = await failedComment('Double click');
    t.flex.setLatency(200);
    const first = click(message, REVIEWER.userId);
    const second = click(message, REVIEWER.userId);
    assert.equal((await first.sent).status, 200);
    assert.equal((await second.sent).status, 200);
    const answers = await Promise.all([
      t.slack.waitForResponse(first.responseUrl),
      t.slack.waitForResponse(second.responseUrl),
    ]);
    assert.equal(answers.filter((a) => a.body.replace_original === true).length, 1, 'one click queued it');
    assert.match(JSON.stringify(answers.map((a) => a.body.text)), /already (queued|in Flex)/);
    await eventually(async () => assert.equal((await t.prisma.assessment.findFirstOrThrow()).status, 'posted'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(t.flex.commentsCreated(), 1);
    assert.equal(t.flex.requests.filter((r) => r.method === 'POST').length, 2, 'the refused attempt and one retry');
  });

  it('tells anyone else why they may not, privately, and sends nothing', async () => {
    rejectOnce();
    const { message } = await failedComment('Not yours');
    const { responseUrl, sent } = click(message, OTHER.userId);
    assert.equal((await sent).status, 200);
    const answer = await t.slack.waitForResponse(responseUrl);
    assert.equal(answer.body.response_type, 'ephemeral');
    assert.equal(answer.body.replace_original, false);
    assert.match(
      String(answer.body.text),
      new RegExp(`Only <@${REVIEWER.userId}>, who wrote this comment, or a QM admin`),
    );
    const stranger = click(message, 'U0NOBODY1');
    await stranger.sent;
    assert.match(
      String((await t.slack.waitForResponse(stranger.responseUrl)).body.text),
      /not linked to a Flex identity/,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal((await t.prisma.assessment.findFirstOrThrow()).status, 'failed');
    assert.equal(t.flex.requests.filter((r) => r.method === 'POST').length, 1);
  });

  it('lets a QM admin send it again after the app gave up on an unreachable Flex', async () => {
    t.flex.failNext(
      { method: 'POST', status: 503, body: '' },
      { method: 'POST', status: 503, body: '' },
      { method: 'POST', status: 503, body: '' },
    );
    const { responseUrl } = await commentWithQm(t, SEGMENT_ID, { category: CATEGORY.id, comment: 'Gave up' });
    const gaveUp = await eventually(() => {
      const posts = t.slack.responsesTo(responseUrl);
      assert.equal(posts.length, 2);
      return posts[1];
    });
    assert.match(JSON.stringify(gaveUp?.body), /after 3 attempts/);
    const message: Json = { type: 'message', ts: '1763640000.000200', blocks: gaveUp?.body.blocks };
    const { responseUrl: clickUrl, sent } = click(message, ADMIN.userId);
    await sent;
    assert.match(String((await t.slack.waitForResponse(clickUrl)).body.text), /queued again/);
    const row = await eventually(async () => {
      const found = await t.prisma.assessment.findFirstOrThrow();
      assert.equal(found.status, 'posted');
      return found;
    });
    assert.equal(row.attempts, 1, 'fresh attempts after the retry');
    assert.equal(t.flex.commentsCreated(), 1);
  });
});
