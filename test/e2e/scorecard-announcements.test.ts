import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { QuestionnaireRepository } from '../../src/db/repositories/questionnaire-repository.js';
import { createFlexClient } from '../../src/flex/flex-client.js';
import { fixedSid, scorecardCatalog } from '../fakes/flex/scorecard-catalog.js';
import { qmCommand } from '../helpers/reviewer-story.js';
import { type EnteredValue, viewSubmissionPayload } from '../helpers/slack-payloads.js';
import {
  AGENT_ID,
  BOT_TOKEN,
  eventually,
  REVIEWER,
  SEGMENT_ID,
  startTestApp,
  TEAM_ID,
  type TestApp,
} from '../helpers/test-app.js';

const CATALOG = scorecardCatalog([{ name: 'Quick Check', questions: 6, number: 1 }]);
const rita = { id: REVIEWER.userId, name: 'rita', teamId: TEAM_ID };
const team = { id: TEAM_ID, domain: 'acme' };
type Json = Record<string, unknown>;

describe('announcing scorecards to the team, as comments are announced', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ env: { NOTIFY_CHANNEL: 'C0ANNOUNCE' } });
    t.flex.setScorecardCatalog(CATALOG);
    t.slack.addChannel({ id: 'C0ANNOUNCE', name: 'qa-feed', isMember: true });
    t.slack.addChannel({ id: 'C0GREET01', name: 'greetings', isMember: true });
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
    // A category that names its own channel: its part of a scorecard is announced there, as its comments are.
    await t.prisma.category.create({
      data: { id: fixedSid('FY', 1), name: 'Greeting', notifyChannelId: 'C0GREET01', active: false },
    });
    const client = createFlexClient({
      baseUrl: t.flex.baseUrl,
      credentials: { username: t.flex.accountSid, password: t.flex.authToken },
      timeoutMs: 2_000,
    });
    await new QuestionnaireRepository(t.prisma).syncFromFlex(
      await client.listQuestionnaires({ includeInactive: true }),
      await client.fetchAnswerSets(),
      null,
    );
    await client.close();
  });
  after(async () => {
    await t.close();
  });

  async function submit(viewId: string, values: Record<string, EnteredValue>) {
    const result = await t.sender.interaction(
      viewSubmissionPayload({ view: t.slack.currentView(viewId), values, user: rita, team }),
    );
    assert.equal(result.status, 200, result.text);
    const body = (result.json ?? {}) as { response_action?: string; view?: Json };
    if (body.response_action === 'update') {
      const response = await fetch(`${t.slack.apiUrl}views.update`, {
        method: 'POST',
        headers: { authorization: `Bearer ${BOT_TOKEN}`, 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ view_id: viewId, view: body.view }),
        // A fake that does not answer fails the test here, not after undici's 5 minutes.
        signal: AbortSignal.timeout(20_000),
      });
      assert.equal(((await response.json()) as { ok: boolean }).ok, true);
    }
  }

  async function score(answers: Record<string, string>) {
    const command = qmCommand(t, `score https://analytics.ytica.com/player/segment/${SEGMENT_ID}?t=5 1:23`);
    assert.equal((await t.sender.slashCommand(command)).status, 200);
    const open = await t.slack.waitForCall('views.open', (c) => c.args.trigger_id === command.trigger_id);
    const viewId = (open.result.view as { id: string }).id;
    await t.slack.waitForCall('views.update', (c) => c.args.view_id === viewId);
    await submit(viewId, {});
    await submit(viewId, answers);
  }

  const announcementsIn = (channel: string) =>
    t.slack.calls('chat.postMessage').filter((c) => c.args.channel === channel && !c.args.thread_ts);

  it('announces a scorecard once all its answers are in Flex: questionnaire, agent, scores and the call', async () => {
    await score({ q0: '0', q1: '0', q2: '0', q3: '0', q4: '0', q5: '0' });
    const announcement = await t.slack.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0ANNOUNCE');
    assert.equal(announcement.result.ok, true, JSON.stringify(announcement.result));
    const text = JSON.stringify(announcement.args.blocks);
    assert.match(
      text,
      new RegExp(`<@${REVIEWER.userId}> scored a call of <@U0ALEX001> with \\*Quick Check\\*: \\*66.7%\\*`),
    );
    assert.match(text, /Compliance: \*100%\*/);
    assert.match(text, /Resolution: \*0%\*/);
    assert.match(text, /Score calculated by this app/);
    assert.match(text, /\?t=83\|Open the call at 1:23>/);
    // Greeting names its own channel: announced there as well, once each.
    const greeting = await t.slack.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0GREET01');
    assert.equal(greeting.result.ok, true);
    const scorecard = await eventually(async () => {
      const found = await t.prisma.scorecard.findFirstOrThrow();
      assert.equal(found.announcedRevision, 1);
      return found;
    });
    assert.equal(scorecard.announceError, null);
    await eventually(async () => {
      // Polls keep running: still one announcement per channel.
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(announcementsIn('C0ANNOUNCE').length, 1);
      assert.equal(announcementsIn('C0GREET01').length, 1);
    });
  });

  it('announces a re-score again, as an update, with the new score', async () => {
    await score({ q2: '4' });
    const update = await t.slack.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === 'C0ANNOUNCE' && JSON.stringify(c.args.blocks).includes('updated their scorecard'),
    );
    assert.match(JSON.stringify(update.args.blocks), /\*Quick Check\*: \*83.3%\*/);
    await eventually(async () => {
      assert.equal((await t.prisma.scorecard.findFirstOrThrow()).announcedRevision, 2);
    });
    assert.equal(announcementsIn('C0ANNOUNCE').length, 2);
  });
});
