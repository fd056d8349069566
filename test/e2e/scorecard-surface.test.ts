import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { COMMENTS_PATH } from '../fakes/fake-flex-api.js';
import type { RecordedCall } from '../fakes/fake-slack-api.js';
import { fixedSid, scorecardCatalog } from '../fakes/flex/scorecard-catalog.js';
import { ASSESSMENTS_PATH } from '../fakes/flex/scorecards.js';
import { openModalWithQm, qmCommand } from '../helpers/reviewer-story.js';
import {
  appHomeOpenedEvent,
  blockActionsPayload,
  type EnteredValue,
  eventCallback,
  linkSharedEvent,
  messageShortcutPayload,
  unfurlButtonPayload,
  viewSubmissionPayload,
} from '../helpers/slack-payloads.js';
import {
  BOT_TOKEN,
  CATEGORY,
  eventually,
  REVIEWER,
  SEGMENT_ID,
  startTestApp,
  TEAM_ID,
  type TestApp,
} from '../helpers/test-app.js';

/**
 * The scorecards' Slack surface: the "Score this call" buttons (comment form, call preview, the message
 * shortcut's form), the admins' questionnaires on the Home tab.
 */
const QUICK = fixedSid('GM', 1);
const CATALOG = scorecardCatalog([
  { name: 'Quick Check', questions: 6, number: 1 },
  { name: 'Old Audit 2024', questions: 2, number: 2, active: false },
]);
const ADMIN = { userId: 'U0ADMIN01', email: 'ada.admin@example.com' };
const OUTSIDER = { id: 'U0NOBODY1', name: 'nina', teamId: TEAM_ID };
const LINK = `https://analytics.ytica.com/player/segment/${SEGMENT_ID}?t=42`;
const QA = { id: 'C0QA00001', name: 'qa' };
const rita = { id: REVIEWER.userId, name: 'rita', teamId: TEAM_ID };
const team = { id: TEAM_ID, domain: 'acme' };
type Json = Record<string, unknown>;

describe('the scorecards in Slack: Score this call, and the questionnaires on the Home tab', () => {
  let t: TestApp;
  let events = 0;
  before(async () => {
    t = await startTestApp();
    t.flex.setScorecardCatalog(CATALOG);
    t.slack.addUser({ id: ADMIN.userId, name: 'ada', email: ADMIN.email, teamId: TEAM_ID });
    t.slack.addUser({ id: OUTSIDER.id, name: OUTSIDER.name, email: 'nina@example.com', teamId: TEAM_ID });
    await t.prisma.identity.create({
      data: {
        email: ADMIN.email,
        flexUserName: 'Ada Admin',
        role: 'admin',
        slackUserId: ADMIN.userId,
        slackTeamId: TEAM_ID,
      },
    });
  });
  after(async () => {
    await t.close();
  });

  const questionnaireReads = () => t.flex.requests.filter((r) => r.path.includes('Questionnaires')).length;
  const creates = () => t.flex.requests.filter((r) => r.method === 'POST' && r.path === ASSESSMENTS_PATH);

  async function openHome(userId: string): Promise<{ view: Json; text: string }> {
    const before = t.slack.calls('views.publish').length;
    events += 1;
    const event = eventCallback({ teamId: TEAM_ID, eventId: `Ev0SCHOME${events}`, event: appHomeOpenedEvent(userId) });
    assert.equal((await t.sender.event(event)).status, 200);
    const call = await t.slack.waitForCall(
      'views.publish',
      (c) => c.args.user_id === userId && t.slack.calls('views.publish').indexOf(c) >= before,
    );
    assert.equal(call.result.ok, true, JSON.stringify(call.result));
    const view = t.slack.currentView((call.result.view as { id: string }).id);
    return { view, text: JSON.stringify(view.blocks) };
  }

  /** Clicks the Home tab's questionnaires Sync button (of `home`) as `user`; the publish that follows. */
  async function clickSync(home: Json, user: { id: string; name: string; teamId: string }): Promise<RecordedCall[]> {
    const before = t.slack.calls('views.publish').length;
    const ack = await t.sender.interaction(
      blockActionsPayload({ actionId: 'questionnaires_sync', view: home, user, team }),
    );
    assert.equal(ack.status, 200);
    return eventually(() => {
      const publishes = t.slack
        .calls('views.publish')
        .slice(before)
        .filter((c) => c.args.user_id === user.id);
      assert.ok(
        publishes.some((c) => !JSON.stringify(c.args.view).includes('Syncing…')),
        'the outcome is shown',
      );
      return publishes;
    });
  }

  /** Submits the view as Slack holds it; an `update` answer is applied as Slack applies it. */
  async function submit(viewId: string, values: Record<string, EnteredValue>, user = rita) {
    const result = await t.sender.interaction(
      viewSubmissionPayload({ view: t.slack.currentView(viewId), values, user, team }),
    );
    assert.equal(result.status, 200, result.text);
    const body = (result.json ?? {}) as { response_action?: string; view?: Json; errors?: Json };
    if (body.response_action === 'update') {
      const response = await fetch(`${t.slack.apiUrl}views.update`, {
        method: 'POST',
        headers: { authorization: `Bearer ${BOT_TOKEN}`, 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ view_id: viewId, view: body.view }),
        // A fake that does not answer fails the test here, not after undici's 5 minutes.
        signal: AbortSignal.timeout(20_000),
      });
      const applied = (await response.json()) as { ok: boolean };
      assert.equal(applied.ok, true, `Slack refused the view: ${JSON.stringify(applied)}`);
    }
    return body;
  }

  const allAnswers = { q0: '0', q1: '0', q2: '0', q3: '0', q4: '0', q5: '0' };

  /** From the scoring form's first view to the score: choose the default, answer all six, submit. */
  async function scoreIt(viewId: string) {
    await t.slack.waitForCall('views.update', (c) => c.args.view_id === viewId);
    assert.match(JSON.stringify(t.slack.currentView(viewId)), /Alex Agent\* \(Billing\)/, 'the call is shown');
    const step = await submit(viewId, {});
    assert.equal(step.response_action, 'update');
    assert.match(JSON.stringify(t.slack.currentView(viewId)), /Quick Check/);
    const done = await submit(viewId, allAnswers);
    assert.equal(done.response_action, 'update');
    assert.match(JSON.stringify(t.slack.currentView(viewId)), /score \*\d/);
  }

  async function waitForScorecard(segmentId = SEGMENT_ID) {
    return eventually(async () => {
      const scorecard = await t.prisma.scorecard.findFirstOrThrow({ where: { segmentId }, include: { answers: true } });
      assert.equal(scorecard.answers.length, 6);
      assert.ok(
        scorecard.answers.every((a) => a.status === 'posted'),
        "scorecard.answers.every((a) => a.status === 'posted')",
      );
      return scorecard;
    }, 15_000);
  }

  it('shows the questionnaires only to QM admins, and syncs them from Flex only for an admin', async () => {
    const reviewerHome = await openHome(REVIEWER.userId);
    assert.ok(!reviewerHome.text.includes('Questionnaires (admin)'), 'a reviewer sees no admin section');
    const adminHome = await openHome(ADMIN.userId);
    assert.match(adminHome.text, /Questionnaires \(admin\)/);
    assert.match(adminHome.text, /No questionnaires yet/);

    // A reviewer's forged click on the admin's button changes nothing and reads nothing from Flex.
    const reads = questionnaireReads();
    const refused = await clickSync(adminHome.view, rita);
    assert.ok(
      !JSON.stringify(refused.at(-1)?.args.view).includes('Questionnaires (admin)'),
      "!JSON.stringify(refused.at(-1)?.args.view).includes('Questionnaires (admin)')",
    );
    assert.equal(await t.prisma.questionnaire.count(), 0, 'nothing synced for a reviewer');
    assert.equal(questionnaireReads(), reads, 'Flex was not asked');

    const published = await clickSync(adminHome.view, { id: ADMIN.userId, name: 'ada', teamId: TEAM_ID });
    assert.ok(
      published.some((c) => JSON.stringify(c.args.view).includes('Syncing…')),
      'the button says it is syncing',
    );
    const after = JSON.stringify(published.at(-1)?.args.view);
    assert.match(after, /Synced questionnaires: added 2, updated 0, deactivated 0, unchanged 0/);
    assert.match(after, /1 active of 2/);
    assert.match(after, /:large_green_circle: active · \*Quick Check\* · 6 questions/);
    assert.match(after, /:white_circle: inactive · \*Old Audit 2024\* · 2 questions/);
    assert.equal(await t.prisma.questionnaire.count({ where: { active: true } }), 1);

    await t.prisma.questionnaire.updateMany({ where: { sid: QUICK }, data: { isDefault: true } });
    assert.match((await openHome(ADMIN.userId)).text, /\*Quick Check\* · \*default\* · 6 questions/);
  });

  it('pushes the scoring form from the comment form’s Score this call, with the time typed there', async () => {
    const opened = await openModalWithQm(t, `${SEGMENT_ID} 1:23`);
    await t.slack.waitForCall('views.update', (c) => c.args.view_id === opened.viewId);
    const form = t.slack.currentView(opened.viewId);
    const section = (form.blocks as Json[]).find((b) => (b.accessory as Json | undefined)?.action_id);
    assert.equal((section?.accessory as Json | undefined)?.action_id, 'qm_score_from_comment', 'beside the call');
    assert.match(JSON.stringify(section?.text ?? null), /Alex Agent/);

    const triggerId = t.slack.issueTriggerId({ viewId: opened.viewId });
    const ack = await t.sender.interaction(
      blockActionsPayload({
        actionId: 'qm_score_from_comment',
        view: form,
        values: { offset: '2:05', comment: 'half typed' },
        user: rita,
        team,
        triggerId,
      }),
    );
    assert.equal(ack.status, 200);
    const push = await t.slack.waitForCall('views.push', (c) => c.args.trigger_id === triggerId);
    assert.equal(push.result.ok, true, JSON.stringify(push.result));
    const pushed = push.result.view as { id: string; previous_view_id: string };
    assert.equal(pushed.previous_view_id, opened.viewId, 'on top of the comment form, which stays');
    assert.match(JSON.stringify(t.slack.currentView(pushed.id)), /at 2:05/);
    await scoreIt(pushed.id);

    await waitForScorecard();
    assert.equal(creates().length, 6);
    assert.ok(
      creates().every((r) => r.rawBody.includes('Offset=125')),
      'the time typed in the comment form',
    );
    const told = await t.slack.waitForResponse(opened.responseUrl);
    assert.match(JSON.stringify(told.body), /All 6 answers are in Flex/);
    assert.equal(t.slack.currentView(opened.viewId).callback_id, 'qm_comment', 'the comment form is untouched');
  });

  it('opens the scoring form from the call preview’s Score this call and answers in the message’s thread', async () => {
    await t.prisma.scorecard.deleteMany();
    t.flex.requests.length = 0;
    const messageTs = '1763634000.000300';
    t.slack.addMessage(QA.id, { ts: messageTs, user: 'U0SUPER01', text: `listen <${LINK}>` });
    const ack = await t.sender.event(
      eventCallback({
        teamId: TEAM_ID,
        eventId: 'Ev0SCUNFURL1',
        event: linkSharedEvent({ channel: QA.id, userId: 'U0SUPER01', messageTs, links: [LINK] }),
      }),
    );
    assert.equal(ack.status, 200);
    const unfurl = await t.slack.waitForCall('chat.unfurl', (c) => c.args.ts === messageTs);
    assert.equal(unfurl.result.ok, true, JSON.stringify(unfurl.result));
    const blocks = (unfurl.args.unfurls as Record<string, { blocks: Json[] }>)[LINK]?.blocks ?? [];
    const row = blocks.find((b) => b.type === 'actions');
    const buttons = (row?.elements ?? []) as Json[];
    assert.deepEqual(
      buttons.map((b) => b.action_id),
      ['qm_comment_on_unfurl', 'qm_score_from_unfurl'],
      'Score this call next to Comment',
    );
    const score = buttons[1] as { value: string; text: unknown };

    const clickScore = (user: typeof rita, triggerId: string) => {
      const payload = unfurlButtonPayload({ user, team, channel: QA, messageTs, value: score.value, triggerId });
      const [action] = payload.actions as Json[];
      payload.actions = [{ ...action, action_id: 'qm_score_from_unfurl', text: score.text }];
      return t.sender.interaction(payload);
    };

    // Someone who may not comment gets the same answer as from `/qm score`, privately, and no form.
    const refusedTrigger = t.slack.issueTriggerId();
    assert.equal((await clickScore(OUTSIDER, refusedTrigger)).status, 200);
    const refusal = await t.slack.waitForCall('chat.postEphemeral', (c) => c.args.user === OUTSIDER.id);
    assert.match(String(refusal.args.text), /can’t leave QM comments/);
    assert.ok(
      !t.slack.calls('views.open').some((c) => c.args.trigger_id === refusedTrigger),
      "!t.slack.calls('views.open').some((c) => c.args.trigger_id === refusedTrigger)",
    );

    const triggerId = t.slack.issueTriggerId();
    assert.equal((await clickScore(rita, triggerId)).status, 200);
    const open = await t.slack.waitForCall('views.open', (c) => c.args.trigger_id === triggerId);
    assert.equal(open.result.ok, true, JSON.stringify(open.result));
    const viewId = (open.result.view as { id: string }).id;
    assert.match(JSON.stringify(t.slack.currentView(viewId)), /at 0:42/);
    await scoreIt(viewId);

    await waitForScorecard();
    const reply = await t.slack.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === QA.id && c.args.thread_ts === messageTs,
    );
    assert.equal(reply.result.ok, true);
    assert.match(JSON.stringify(reply.args.blocks), /Quick Check\* · score/);
    assert.ok(
      creates().every((r) => r.rawBody.includes('Offset=42')),
      "creates().every((r) => r.rawBody.includes('Offset=42'))",
    );
  });

  it('scores from the form the “Comment on this call” shortcut opened, answering in that message’s thread', async () => {
    await t.prisma.scorecard.deleteMany();
    const messageTs = '1763634000.000400';
    const triggerId = t.slack.issueTriggerId();
    const ack = await t.sender.interaction(
      messageShortcutPayload({
        callbackId: 'comment_on_call',
        triggerId,
        responseUrl: t.slack.newResponseUrl(),
        user: rita,
        team,
        channel: QA,
        message: { user: 'U0SUPER01', ts: messageTs, thread_ts: '1763634000.000100', text: `this one <${LINK}>` },
      }),
    );
    assert.equal(ack.status, 200);
    const open = await t.slack.waitForCall('views.open', (c) => c.args.trigger_id === triggerId);
    const commentViewId = (open.result.view as { id: string }).id;
    await t.slack.waitForCall('views.update', (c) => c.args.view_id === commentViewId);

    const pushTrigger = t.slack.issueTriggerId({ viewId: commentViewId });
    await t.sender.interaction(
      blockActionsPayload({
        actionId: 'qm_score_from_comment',
        view: t.slack.currentView(commentViewId),
        user: rita,
        team,
        triggerId: pushTrigger,
      }),
    );
    const push = await t.slack.waitForCall('views.push', (c) => c.args.trigger_id === pushTrigger);
    assert.equal(push.result.ok, true, JSON.stringify(push.result));
    await scoreIt((push.result.view as { id: string }).id);

    await waitForScorecard();
    const reply = await t.slack.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === QA.id && c.args.thread_ts === '1763634000.000100',
    );
    assert.match(JSON.stringify(reply.args.blocks), /Calculated by this app/);
    const scorecard = await t.prisma.scorecard.findFirstOrThrow();
    assert.equal(scorecard.slackMessageTs, messageTs);
  });

  it('sends the form’s closing comment once through the comment flow, linked to the scorecard', async () => {
    await t.prisma.scorecard.deleteMany();
    await t.prisma.assessment.deleteMany();
    t.flex.reset();
    const command = qmCommand(t, `score ${SEGMENT_ID} 0:07`);
    assert.equal((await t.sender.slashCommand(command)).status, 200);
    const open = await t.slack.waitForCall('views.open', (c) => c.args.trigger_id === command.trigger_id);
    const viewId = (open.result.view as { id: string }).id;
    await t.slack.waitForCall('views.update', (c) => c.args.view_id === viewId);
    await submit(viewId, {});
    const step = JSON.stringify(t.slack.currentView(viewId));
    assert.match(step, /Comment \(optional\)/, 'the last step ends with the optional comment');
    assert.match(step, /Good for Training/, 'filed under a comment category');

    // A comment without its category is answered beside the field, and nothing is stored.
    const missing = await submit(viewId, { ...allAnswers, score_comment: 'Lovely greeting' });
    assert.equal(missing.response_action, 'errors');
    assert.match(JSON.stringify(missing.errors), /score_comment_category.*Choose a category/);
    assert.equal(await t.prisma.scorecard.count(), 0);

    const done = await submit(viewId, {
      ...allAnswers,
      score_comment: 'Lovely greeting <!here>',
      score_comment_category: CATEGORY.id,
    });
    assert.equal(done.response_action, 'update');
    assert.match(JSON.stringify(t.slack.currentView(viewId)), /Your comment \(\*Good for Training\*/);

    const scorecard = await waitForScorecard();
    await eventually(() => assert.equal(t.flex.comments.length, 1), 10_000);
    const posts = t.flex.requests.filter((r) => r.method === 'POST' && r.path === COMMENTS_PATH);
    assert.equal(posts.length, 1, 'the comment reached Flex’s comments endpoint once');
    assert.equal(t.flex.comments[0]?.comment.comment, 'Lovely greeting <!here>', 'as typed');
    assert.equal(Number(t.flex.comments[0]?.offset), 7);
    const row = await eventually(async () => {
      const found = await t.prisma.assessment.findFirstOrThrow();
      assert.equal(found.status, 'posted');
      return found;
    });
    assert.equal(row.scorecardId, scorecard.id, 'linked to the scorecard');
    assert.equal(row.segmentId, SEGMENT_ID);
    const told = await eventually(() => {
      const found = t.slack
        .responsesTo(command.response_url ?? '')
        .find((r) => JSON.stringify(r.body).includes('All 6 answers'));
      assert.ok(found, 'found');
      return found;
    }, 10_000);
    assert.match(JSON.stringify(told.body), /Your comment \(\*Good for Training\*, :white_check_mark: in Flex\)/);
    assert.ok(!JSON.stringify(told.body).includes('<!here>'), 'what was typed cannot ping anyone');
  });
});
