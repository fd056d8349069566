import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { IdentityRepository } from '../../src/db/repositories/identity-repository.js';
import { createSecretBox } from '../../src/security/secret-box.js';
import { modalRefined, openModalWithQm, qmCommand, submitModal } from '../helpers/reviewer-story.js';
import { testSecretsKey } from '../helpers/secrets-keys.js';
import { viewSubmissionPayload } from '../helpers/slack-payloads.js';
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

const OTHER_SEGMENT = 'a6f0c1d2-3b4c-4d5e-8f70-8192a3b4c5d6';
const OTHER_AGENT = 'b7e1d2c3-4a5b-4c6d-9e8f-0a1b2c3d4e5f';

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
    t.flex.reset();
  });

  const qm = (text: string, userId = REVIEWER.userId) => qmCommand(t, text, userId);
  const openModal = (text: string, userId = REVIEWER.userId) => openModalWithQm(t, text, userId);
  const refined = (viewId: string) => modalRefined(t, viewId);
  const submit = (viewId: string, values: Record<string, string | null>, userId = REVIEWER.userId) =>
    submitModal(t, viewId, values, userId);

  const posted = () => t.flex.requests.filter((r) => r.method === 'POST');

  it('opens the modal, shows the call from Flex, posts exactly one comment and confirms privately', async () => {
    const { viewId, responseUrl } = await openModal(`${SEGMENT_ID} 1:23`);
    const update = await refined(viewId);
    assert.match(JSON.stringify(update.args.view), /Alex Agent\* \(Billing\) · queue Support · with Casey Customer/);
    assert.ok(!JSON.stringify(t.slack.currentView(viewId)).includes('"block_id":"agent"'), 'the agent is not asked');

    const submission = await submit(viewId, {
      category: CATEGORY.id,
      comment: 'Great empathy & a clear close. <!channel> 😀',
    });
    assert.equal(submission.status, 200);
    assert.equal((submission.json as { response_action: string }).response_action, 'update');
    assert.match(JSON.stringify(submission.json), /Posting your comment to Flex/);

    const assessment = await eventually(async () => {
      const row = await t.prisma.assessment.findFirstOrThrow();
      assert.equal(row.status, 'posted');
      return row;
    });
    assert.equal(posted().length, 1);
    assert.equal(
      posted()[0]?.rawBody,
      `CategoryId=${CATEGORY.id}&CategoryName=Good%20for%20Training&Comment=Great%20empathy%20%26%20a%20clear%20close.%20%3C%21channel%3E%20%F0%9F%98%80&SegmentId=${SEGMENT_ID}&AgentId=${AGENT_ID}&Offset=83`,
    );
    assert.equal(
      posted()[0]?.headers.authorization,
      `Basic ${Buffer.from(`${t.flex.accountSid}:${t.flex.authToken}`).toString('base64')}`,
    );
    assert.match(assessment.flexAssessmentSid ?? '', /^FM[0-9a-f]{32}$/);
    assert.equal(JSON.parse(assessment.flexResponse ?? '{}').assessment_sid, assessment.flexAssessmentSid);
    assert.equal(assessment.attempts, 1);
    assert.equal(assessment.slackUserId, REVIEWER.userId);
    assert.equal(assessment.slackChannelId, 'C0QA00001');

    const confirmation = await t.slack.waitForResponse(responseUrl);
    const text = JSON.stringify(confirmation.body);
    assert.equal(confirmation.body.response_type, 'ephemeral');
    assert.match(text, new RegExp(assessment.flexAssessmentSid ?? 'x'));
    assert.match(text, /Good for Training/);
    assert.match(text, /at 1:23/);
    assert.ok(!text.includes('<!channel>'), 'user text is escaped in what the app writes');
    const finalView = await t.slack.waitForCall(
      'views.update',
      (c) => c.args.view_id === viewId && /is in Flex/.test(JSON.stringify(c.args.view)),
    );
    assert.match(JSON.stringify(finalView.args.view), new RegExp(assessment.flexAssessmentSid ?? 'x'));
    assert.equal(t.slack.responsesTo(responseUrl).length, 1, 'confirmed once');
  });

  it('reads the time from a call link in /qm that Slack sent HTML-escaped (&amp;)', async () => {
    // Slack escapes & < > in command text (api.slack.com/reference/surfaces/formatting#escaping).
    const link = `https://analytics.ytica.com/player/segment/${SEGMENT_ID}?utm_source=slack&amp;t=1:23`;
    const { viewId } = await openModal(`<${link}>`);
    await refined(viewId);
    await submit(viewId, { category: CATEGORY.id, comment: 'Escaped link' });
    await eventually(async () => assert.equal((await t.prisma.assessment.findFirstOrThrow()).status, 'posted'));
    assert.match(posted()[0]?.rawBody ?? '', /&Offset=83$/);
  });

  it('answers /qm help with its usage, only to the person who asked', async () => {
    const ack = await t.sender.slashCommand(qm('help'));
    assert.equal(ack.status, 200);
    const body = ack.json as { response_type: string; text: string };
    assert.equal(body.response_type, 'ephemeral');
    assert.match(body.text, /\/qm <segment id or Flex Insights call link> \[time\]/);
  });

  it('tells the reviewer to run /qm again when Slack’s 3 seconds to open the form ran out', async () => {
    t.slack.failNext('views.open', { error: 'expired_trigger_id' });
    const command = qm(`${SEGMENT_ID} 1:23`);
    const ack = await t.sender.slashCommand(command);
    assert.equal(ack.status, 200);
    const [told] = await eventually(() => {
      const posts = t.slack.responsesTo(String(command.response_url));
      assert.equal(posts.length, 1, 'the reviewer is told privately where they ran the command');
      return posts;
    });
    const body = told?.body as { response_type?: string; text?: string } | undefined;
    assert.equal(body?.response_type, 'ephemeral');
    assert.ok(body?.text?.includes(`Run \`/qm ${SEGMENT_ID} 1:23\` again`), body?.text);
    assert.equal(await t.prisma.assessment.count(), 0, 'nothing stored');
  });

  it('puts each bad field’s error beside it, sends nothing to Flex, and stores nothing', async () => {
    const { viewId } = await openModal('');
    const view = t.slack.currentView(viewId);
    assert.match(JSON.stringify(view), /"block_id":"segment"/);
    const result = await submit(viewId, { category: CATEGORY.id, comment: '   ', segment: 'call 12', offset: '1:99' });
    assert.equal(result.status, 200);
    const body = result.json as { response_action: string; errors: Record<string, string> };
    assert.equal(body.response_action, 'errors');
    assert.deepEqual(Object.keys(body.errors).sort(), ['comment', 'offset', 'segment']);
    assert.match(body.errors.segment ?? '', /not a segment id/);
    assert.match(body.errors.offset ?? '', /m:ss/);
    assert.equal(await t.prisma.assessment.count(), 0);
    assert.equal(posted().length, 0);
  });

  it('says in the form when the time typed after the call cannot be read, and keeps it there to fix', async () => {
    const { viewId } = await openModal(`${SEGMENT_ID} 99:99`);
    await refined(viewId);
    const view = JSON.stringify(t.slack.currentView(viewId));
    assert.match(view, /Alex Agent\* \(Billing\)/, 'the call is still looked up');
    assert.match(view, /“99:99” is not a time in the recording I can read/);
    assert.match(view, /"block_id":"offset".*"initial_value":"99:99"/);
    const result = await submit(viewId, { category: CATEGORY.id, comment: 'Timing' });
    const body = result.json as { response_action: string; errors: Record<string, string> };
    assert.equal(body.response_action, 'errors');
    assert.match(body.errors.offset ?? '', /m:ss/);
    assert.equal(posted().length, 0);
  });

  it('takes the call from a link typed into the modal and learns its agent from Flex at submission', async () => {
    const { viewId } = await openModal('');
    await submit(viewId, {
      category: CATEGORY.id,
      comment: 'Typed link',
      segment: `https://analytics.ytica.com/player/segment/${SEGMENT_ID}?t=1m5s`,
      agent: '',
      offset: '',
    });
    const row = await eventually(async () => {
      const found = await t.prisma.assessment.findFirstOrThrow();
      assert.equal(found.status, 'posted');
      return found;
    });
    assert.equal(row.agentId, AGENT_ID);
    assert.equal(row.offsetSeconds, 65);
  });

  it('asks for the agent when Flex does not know the call, and posts with the agent typed', async () => {
    const { viewId } = await openModal(OTHER_SEGMENT);
    const update = await refined(viewId);
    assert.match(JSON.stringify(update.args.view), /Flex does not know this call/);
    assert.match(JSON.stringify(t.slack.currentView(viewId)), /"block_id":"agent"/);
    const empty = await submit(viewId, { category: CATEGORY.id, comment: 'x', agent: '' });
    assert.match(JSON.stringify(empty.json), /"agent":"Flex does not know an agent for this call/);
    await submit(viewId, { category: CATEGORY.id, comment: 'Unknown to Flex', agent: OTHER_AGENT });
    await eventually(async () => assert.equal((await t.prisma.assessment.findFirstOrThrow()).status, 'posted'));
    assert.match(posted()[0]?.rawBody ?? '', new RegExp(`AgentId=${OTHER_AGENT}&Offset=0$`));
  });

  it('tells someone unlinked while the modal was open, in the modal, what to do, and keeps what they typed', async () => {
    t.slack.addUser({ id: 'U0STRANGER', name: 'stranger', email: 'stranger@example.com', teamId: TEAM_ID });
    await t.prisma.identity.create({
      data: { email: 'gone@example.com', flexUserName: 'Soon Gone', slackUserId: 'U0STRANGER', slackTeamId: TEAM_ID },
    });
    const { viewId } = await openModal(SEGMENT_ID, 'U0STRANGER');
    await refined(viewId);
    // An admin removes them while the form is open; the submission checks again.
    await new IdentityRepository(t.prisma).remove(undefined, 'U0STRANGER');
    const result = await submit(viewId, { category: CATEGORY.id, comment: 'Hello' }, 'U0STRANGER');
    const body = result.json as { response_action: string; errors: Record<string, string> };
    assert.equal(body.response_action, 'errors');
    assert.match(
      body.errors.comment ?? '',
      /not linked to a Flex identity yet: no Flex user matches your Slack email \(stranger@example.com\).*npm run identities -- add --email .*--slack-user U0STRANGER/,
    );
    assert.equal(posted().length, 0);
  });

  it('links an unmapped person whose Slack email matches exactly one unlinked identity, then posts', async () => {
    t.slack.addUser({ id: 'U0NEWBIE1', name: 'nina', email: 'Nina.New@example.com', teamId: TEAM_ID });
    await t.prisma.identity.create({
      data: { email: 'nina.new@example.com', flexUserName: 'Nina New', role: 'reviewer' },
    });
    const { viewId } = await openModal(SEGMENT_ID, 'U0NEWBIE1');
    await refined(viewId);
    await submit(viewId, { category: CATEGORY.id, comment: 'First comment' }, 'U0NEWBIE1');
    await eventually(async () => assert.equal((await t.prisma.assessment.findFirstOrThrow()).status, 'posted'));
    const identity = await t.prisma.identity.findUniqueOrThrow({
      where: { slackWorkspaceId_email: { slackWorkspaceId: '', email: 'nina.new@example.com' } },
    });
    assert.equal(identity.slackUserId, 'U0NEWBIE1');
    assert.equal(identity.slackTeamId, TEAM_ID);
  });

  it('refuses at submission someone whose reviewer role was taken away while the modal was open', async () => {
    t.slack.addUser({ id: 'U0AGENT01', name: 'agent', teamId: TEAM_ID });
    await t.prisma.identity.create({
      data: { email: 'agent@example.com', flexUserName: 'An Agent', role: 'reviewer', slackUserId: 'U0AGENT01' },
    });
    const { viewId } = await openModal(SEGMENT_ID, 'U0AGENT01');
    await refined(viewId);
    await t.prisma.identity.update({
      where: { slackWorkspaceId_email: { slackWorkspaceId: '', email: 'agent@example.com' } },
      data: { role: 'none' },
    });
    const result = await submit(viewId, { category: CATEGORY.id, comment: 'x' }, 'U0AGENT01');
    assert.match(JSON.stringify(result.json), /is not a reviewer/);
    assert.equal(posted().length, 0);
  });

  it('sends a reviewer’s own Flex Authorization value so Flex attributes the comment to them', async () => {
    const identities = new IdentityRepository(t.prisma, createSecretBox(testSecretsKey(7)));
    t.slack.addUser({ id: 'U0OWNAUTH', name: 'own', teamId: TEAM_ID });
    await identities.upsertByEmail({
      email: 'own@example.com',
      flexUserName: 'Owen Own',
      slackUserId: 'U0OWNAUTH',
      flexAuthorization: 'Token owen-flex-token',
    });
    t.flex.addUser('Token owen-flex-token', { name: 'Owen Own', email: 'own@example.com' });
    const { viewId } = await openModal(SEGMENT_ID, 'U0OWNAUTH');
    await refined(viewId);
    await submit(viewId, { category: CATEGORY.id, comment: 'As myself' }, 'U0OWNAUTH');
    const row = await eventually(async () => {
      const found = await t.prisma.assessment.findFirstOrThrow();
      assert.equal(found.status, 'posted');
      return found;
    });
    assert.equal(posted()[0]?.headers.authorization, 'Token owen-flex-token');
    assert.equal(JSON.parse(row.flexResponse ?? '{}').user_email, 'own@example.com');
  });

  it('handles the same submission arriving twice as one assessment and one Flex comment', async () => {
    const { viewId } = await openModal(SEGMENT_ID);
    await refined(viewId);
    const payload = viewSubmissionPayload({
      view: t.slack.currentView(viewId),
      values: { category: CATEGORY.id, comment: 'Once' },
      user: { id: REVIEWER.userId, name: 'rita', teamId: TEAM_ID },
      team: { id: TEAM_ID, domain: 'acme' },
    });
    const [first, second] = await Promise.all([t.sender.interaction(payload), t.sender.interaction(payload)]);
    assert.equal(first.status, 200);
    assert.equal(second.status, 200);
    await eventually(async () => assert.equal((await t.prisma.assessment.findFirstOrThrow()).status, 'posted'));
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(await t.prisma.assessment.count(), 1);
    assert.equal(t.flex.commentsCreated(), 1);
  });
});
