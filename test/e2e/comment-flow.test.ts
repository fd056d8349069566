import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { slashCommandFields, viewSubmissionPayload } from '../helpers/slack-payloads.js';
import {
  AGENT_ID,
  CATEGORY,
  eventually,
  REVIEWER,
  SEGMENT_ID,
  startTestApp,
  TEAM_ID,
  type TestApp,
} from '../helpers/test-app.js';

/** What Slack sends when the reviewer types `/qm <text>` in #qa. */
function qm(t: TestApp, text: string, userId = REVIEWER.userId) {
  return slashCommandFields({
    command: '/qm',
    text,
    userId,
    teamId: TEAM_ID,
    channelId: 'C0QA00001',
    channelName: 'qa',
    triggerId: t.slack.issueTriggerId(),
    responseUrl: t.slack.newResponseUrl(),
  });
}

describe('commenting on a call with /qm', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => {
    await t.close();
  });
  beforeEach(async () => {
    await t.prisma.assessment.deleteMany();
  });

  /** Sends the command, waits for the modal to show the call, and returns it as Slack holds it now. */
  async function openModalFor(text: string) {
    const command = qm(t, text);
    const ack = await t.sender.slashCommand(command);
    assert.equal(ack.status, 200);
    const open = await t.slack.waitForCall('views.open', (call) => call.args.trigger_id === command.trigger_id);
    const viewId = String((open.result as { view: { id: string } }).view.id);
    return { command, viewId };
  }

  it('opens the modal, shows the call from Flex, posts exactly one comment and confirms privately', async () => {
    const { command, viewId } = await openModalFor(`${SEGMENT_ID} 1:23`);
    const updated = await t.slack.waitForCall('views.update', (call) => call.args.view_id === viewId);
    assert.match(JSON.stringify(updated.args.view), /Alex Agent/);
    const view = t.slack.currentView(viewId);
    assert.ok(!JSON.stringify(view.blocks).includes('"block_id":"agent"'), 'Flex knew the agent: not asked');

    const submission = await t.sender.interaction(
      viewSubmissionPayload({
        view,
        values: { category: CATEGORY.id, comment: 'Great empathy & a clear close. <!channel> 😀' },
        user: { id: REVIEWER.userId, name: 'rita', teamId: TEAM_ID },
        team: { id: TEAM_ID, domain: 'acme' },
      }),
    );
    assert.equal(submission.status, 200);
    assert.equal((submission.json as { response_action: string }).response_action, 'update');

    const assessment = await eventually(async () => {
      const row = await t.prisma.assessment.findFirstOrThrow();
      assert.equal(row.status, 'posted');
      return row;
    });
    assert.equal(t.flex.commentsCreated(), 1);
    const posted = t.flex.requests.filter((r) => r.method === 'POST');
    assert.equal(posted.length, 1);
    assert.equal(
      posted[0]?.rawBody,
      `CategoryId=${CATEGORY.id}&CategoryName=Good%20for%20Training&Comment=Great%20empathy%20%26%20a%20clear%20close.%20%3C%21channel%3E%20%F0%9F%98%80&SegmentId=${SEGMENT_ID}&AgentId=${AGENT_ID}&Offset=83`,
    );
    assert.match(assessment.flexAssessmentSid ?? '', /^FM[0-9a-f]{32}$/);
    assert.equal(assessment.agentId, AGENT_ID);
    assert.equal(assessment.slackUserId, REVIEWER.userId);

    const confirmation = await eventually(() => {
      const [response] = t.slack.responsesTo(String(command.response_url));
      assert.ok(response);
      return response;
    });
    const text = JSON.stringify(confirmation.body);
    assert.match(text, /"response_type":"ephemeral"/);
    assert.match(text, new RegExp(assessment.flexAssessmentSid ?? 'x'));
    assert.match(text, /Good for Training/);
    assert.match(text, /1:23/);
    assert.ok(!text.includes('<!channel>'), 'user text is escaped in what the app writes');
  });
});
