import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Agent, request } from 'undici';
import { QuestionnaireRepository } from '../../src/db/repositories/questionnaire-repository.js';
import { createFlexClient } from '../../src/flex/flex-client.js';
import type { Json } from '../fakes/fake-slack-api.js';
import { fixedSid, scorecardCatalog } from '../fakes/flex/scorecard-catalog.js';
import { ASSESSMENTS_PATH } from '../fakes/flex/scorecards.js';
import { qmCommand } from '../helpers/reviewer-story.js';
import { blockActionsPayload, type EnteredValue, viewSubmissionPayload } from '../helpers/slack-payloads.js';
import {
  BOT_TOKEN,
  eventually,
  REVIEWER,
  SEGMENT_ID,
  startTestApp,
  TEAM_ID,
  type TestApp,
} from '../helpers/test-app.js';
import { TEST_ADMIN, TEST_AGENT, TEST_QA_FEED, TEST_STRANGER, TEST_WORLD_WITH_AGENTS } from '../helpers/world.js';

const QUICK = fixedSid('GM', 1);
const team = { id: TEAM_ID, domain: 'acme' };
const person = (p: { userId: string; handle: string }) => ({ id: p.userId, name: p.handle, teamId: TEAM_ID });
const AGENT = person(TEST_AGENT);
const AUTHOR = person({ userId: REVIEWER.userId, handle: 'rita' });
const ADMIN = person(TEST_ADMIN);
const STRANGER = person(TEST_STRANGER);
type Who = typeof AGENT;

// The hang once seen here (a Slack call after the dispute never reaching the fake, in parallel runs) was the
// test process itself blocked: a falsy assert.ok without a message makes Node parse this file's source under
// tsx, which can take minutes (see test/tooling/assert-messages.test.ts); the fake Slack lives in this process.
describe('a scorecard on an agent’s call: the DM with the scores, a dispute, and Revise with the earlier answers', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({
      world: TEST_WORLD_WITH_AGENTS,
      env: { NOTIFY_AGENT_DM: 'true', NOTIFY_CHANNEL: TEST_QA_FEED.id },
    });
    t.flex.setScorecardCatalog(scorecardCatalog([{ name: 'Quick Check', questions: 3, number: 1 }]));
    // As `npm run questionnaires -- sync` and `-- set-default` do.
    const client = createFlexClient({
      baseUrl: t.flex.baseUrl,
      credentials: { username: t.flex.accountSid, password: t.flex.authToken },
      timeoutMs: 2_000,
    });
    const repository = new QuestionnaireRepository(t.prisma);
    await repository.syncFromFlex(await client.listQuestionnaires({}), await client.fetchAnswerSets(), null);
    await client.close();
    assert.equal(await repository.setDefault(QUICK, null), true);
  });
  after(async () => {
    await t.close();
  });

  /** Submits the view as Slack holds it; an `update` answer is applied as Slack applies it. */
  async function submit(viewId: string, who: Who, values: Record<string, EnteredValue>, apply = true) {
    const result = await t.sender.interaction(
      viewSubmissionPayload({ view: t.slack.currentView(viewId), values, user: who, team }),
    );
    assert.equal(result.status, 200, result.text);
    const body = (result.json ?? {}) as { response_action?: string; view?: Json; errors?: Json };
    if (apply && body.response_action === 'update') {
      // As Slack applies an `update` answer; through its own connection, apart from the app's pool.
      const dispatcher = new Agent();
      const response = await request(`${t.slack.apiUrl}views.update`, {
        method: 'POST',
        headers: { authorization: `Bearer ${BOT_TOKEN}`, 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ view_id: viewId, view: body.view }),
        dispatcher,
      });
      assert.equal(((await response.body.json()) as { ok: boolean }).ok, true);
      await dispatcher.close();
    }
    return body;
  }

  async function click(actionId: string, who: Who, message: Json, channel: string) {
    const responseUrl = t.slack.newResponseUrl({ channel, userId: who.id });
    const triggerId = t.slack.issueTriggerId();
    const payload = blockActionsPayload({
      actionId,
      user: who,
      team,
      message,
      channel: { id: channel, name: channel },
      responseUrl,
      triggerId,
    });
    assert.equal((await t.sender.interaction(payload)).status, 200);
    return { responseUrl, triggerId };
  }

  async function openedForm(triggerId: string): Promise<string> {
    const open = await t.slack.waitForCall('views.open', (c) => c.args.trigger_id === triggerId);
    assert.equal(open.result.ok, true, JSON.stringify(open.result));
    return String((open.result.view as { id: string }).id);
  }

  const asMessage = (m: { ts: string; text?: string; blocks?: unknown }): Json => ({
    type: 'message',
    ts: m.ts,
    text: m.text,
    blocks: m.blocks,
  });
  const updates = () =>
    t.flex.requests.filter((r) => r.method === 'POST' && r.path.startsWith(`${ASSESSMENTS_PATH}/FM`));
  const creates = () => t.flex.requests.filter((r) => r.method === 'POST' && r.path === ASSESSMENTS_PATH);

  it('tells the agent the score per category and overall; Revise opens the form with the earlier answers and sends only the change', async () => {
    const command = qmCommand(t, `score ${SEGMENT_ID} 1:23`);
    assert.equal((await t.sender.slashCommand(command)).status, 200);
    const viewId = await openedForm(String(command.trigger_id));
    await t.slack.waitForCall('views.update', (c) => c.args.view_id === viewId);
    await submit(viewId, AUTHOR, {});
    await submit(viewId, AUTHOR, { q0: '0', q1: '0', q2: '4' });

    const row = await eventually(async () => {
      const found = await t.prisma.feedback.findFirst({ where: { kind: 'scorecard', notifiedAt: { not: null } } });
      assert.ok(found, 'the agent was sent the scorecard');
      return found;
    });
    assert.equal(creates().length, 3, 'told only once every answer is in Flex');
    const dm = t.slack.messagesIn(String(row.dmChannelId)).find((m) => m.ts === row.dmMessageTs);
    assert.ok(dm, 'dm');
    const text = JSON.stringify(dm.blocks);
    assert.match(text, /<@U0REVIEW1> left QM a scorecard on one of your calls/);
    assert.match(text, /\*Quick Check\* · overall \*100%\*/);
    assert.match(text, /• Greeting: \*100%\*/);
    assert.match(text, /"action_id":"feedback_acknowledge".*"action_id":"feedback_dispute"/);

    const { triggerId } = await click('feedback_dispute', AGENT, asMessage(dm), String(row.dmChannelId));
    const disputeForm = await openedForm(triggerId);
    assert.deepEqual(await submit(disputeForm, AGENT, { dispute_reason: 'The greeting was there.' }), {});
    const disputed = await eventually(() => {
      const found = t.slack.messagesIn(TEST_QA_FEED.id).find((m) => JSON.stringify(m.blocks ?? []).includes(row.id));
      assert.ok(found, 'found');
      return found;
    });
    assert.match(JSON.stringify(disputed.blocks), /Revise the scorecard/);

    // A stranger's Revise is refused, and opens nothing.
    const stranger = await click('feedback_revise', STRANGER, asMessage(disputed), TEST_QA_FEED.id);
    assert.match(String((await t.slack.waitForResponse(stranger.responseUrl)).body.text), /^Only the reviewer/);
    assert.equal(t.slack.calls('views.open').filter((c) => c.args.trigger_id === stranger.triggerId).length, 0);

    const revise = await click('feedback_revise', AUTHOR, asMessage(disputed), TEST_QA_FEED.id);
    const form = await openedForm(revise.triggerId);
    const initial = (i: number) =>
      (
        (t.slack.currentView(form).blocks as Json[]).find((b) => b.block_id === `q${i}`)?.element as {
          initial_option?: { value: string };
        }
      )?.initial_option?.value;
    assert.deepEqual([initial(0), initial(1), initial(2)], ['0', '0', '4'], 'the earlier answers');

    // The form submitted by someone who may not revise (a forged request: their Slack would not show it):
    // they are told, and nothing is stored.
    const forged = await submit(form, STRANGER, { q0: '1' }, false);
    assert.match(JSON.stringify(forged.view), /Only the reviewer/);
    assert.equal((await t.prisma.scorecard.findFirstOrThrow()).revision, 1);

    const again = await click('feedback_revise', ADMIN, asMessage(disputed), TEST_QA_FEED.id);
    await openedForm(again.triggerId);
    const updatesBefore = updates().length;
    const createsBefore = creates().length;
    await submit(form, AUTHOR, { q0: '1' });
    const revised = await eventually(async () => {
      const found = await t.prisma.feedback.findUniqueOrThrow({ where: { id: row.id } });
      assert.equal(found.scorecardRevision, 2);
      assert.ok(found.notifiedAt, 'told again');
      assert.equal(found.resolution, 'revised');
      return found;
    });
    assert.equal(updates().length - updatesBefore, 1, 'only the changed answer, as an update');
    assert.equal(creates().length, createsBefore, 'nothing created twice');
    assert.equal(revised.resolution, 'revised');
    assert.equal(revised.resolvedBySlackUserId, REVIEWER.userId);
    assert.equal(revised.state, 'new', 'the new scores are for the agent to acknowledge');
    const second = t.slack.messagesIn(String(revised.dmChannelId)).find((m) => m.ts === revised.dmMessageTs);
    assert.match(JSON.stringify(second?.blocks), /scored again, revision 2\) · overall \*66\.7%\*/);
    // The Revise step and the new revision's DM run at the same time (its answers go to Flex meanwhile):
    // either may be recorded first.
    const kinds = (
      await t.prisma.feedbackEvent.findMany({ where: { feedbackId: row.id }, orderBy: { createdAt: 'asc' } })
    ).map((e) => e.kind);
    assert.deepEqual(kinds.slice(0, 2), ['notified', 'disputed']);
    assert.deepEqual(kinds.slice(2).sort(), ['notified', 'revised']);
    await eventually(() =>
      assert.ok(
        t.slack
          .messagesIn(TEST_QA_FEED.id)
          .some((m) => m.threadTs === disputed.ts && /Revised by <@U0REVIEW1>/.test(String(m.text))),
        't.slack .messagesIn(TEST_QA_FEED.id) .some((m) => m.threadTs === disputed.ts && /Revise…',
      ),
    );
  });
  it('a QM admin’s Revise updates the reviewer’s answers in Flex: no second scorecard, nothing created', async () => {
    const row = await t.prisma.feedback.findFirstOrThrow({ where: { kind: 'scorecard' } });
    assert.equal(row.state, 'new', 'left new by the revision before');
    const dm = t.slack.messagesIn(String(row.dmChannelId)).find((m) => m.ts === row.dmMessageTs);
    assert.ok(dm, 'the DM of the revised scores');
    const { triggerId } = await click('feedback_dispute', AGENT, asMessage(dm), String(row.dmChannelId));
    assert.deepEqual(await submit(await openedForm(triggerId), AGENT, { dispute_reason: 'Still wrong.' }), {});
    const disputed = await eventually(() => {
      const found = t.slack
        .messagesIn(TEST_QA_FEED.id)
        .findLast(
          (m) => JSON.stringify(m.blocks ?? []).includes(row.id) && /Still wrong/.test(JSON.stringify(m.blocks)),
        );
      assert.ok(found, 'the second dispute, posted for the QA team');
      return found;
    });

    const revise = await click('feedback_revise', ADMIN, asMessage(disputed), TEST_QA_FEED.id);
    const form = await openedForm(revise.triggerId);
    const updatesBefore = updates().length;
    const createsBefore = creates().length;
    await submit(form, ADMIN, { q1: '1' });
    const revised = await eventually(async () => {
      const found = await t.prisma.feedback.findUniqueOrThrow({ where: { id: row.id } });
      assert.equal(found.scorecardRevision, 3);
      assert.ok(found.notifiedAt, 'the agent told of revision 3');
      assert.equal(found.resolution, 'revised');
      return found;
    });
    assert.equal(revised.resolvedBySlackUserId, ADMIN.id);
    assert.equal(updates().length - updatesBefore, 1, 'the changed answer, as an update of the reviewer’s');
    assert.equal(creates().length, createsBefore, 'nothing created');
    const scorecards = await t.prisma.scorecard.findMany();
    assert.equal(scorecards.length, 1, 'one scorecard: the reviewer’s, revised');
    assert.equal(scorecards[0]?.revision, 3);
    assert.equal(await t.prisma.feedback.count(), 1, 'one feedback for the agent');
  });
});
