import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { QuestionnaireRepository } from '../../src/db/repositories/questionnaire-repository.js';
import type { Json } from '../fakes/fake-slack-api.js';
import { scorecardCatalog } from '../fakes/flex/scorecard-catalog.js';
import { ASSESSMENTS_PATH } from '../fakes/flex/scorecards.js';
import { qmCommand } from '../helpers/reviewer-story.js';
import { runCli } from '../helpers/run-cli.js';
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

// Every assert.ok carries a message (test/tooling/assert-messages.test.ts says why).
const QUESTIONS = 10;
const CATALOG = scorecardCatalog([{ name: 'Customer Experience', questions: QUESTIONS, number: 1 }]);
const OTHER = { userId: 'U0OTHER01', email: 'otto.other@example.com' };
const QA = { id: 'C0QA00001', name: 'qa' };
const team = { id: TEAM_ID, domain: 'acme' };
const userRef = (id: string) => ({ id, name: id.toLowerCase(), teamId: TEAM_ID });

describe('the Retry button of a half-delivered scorecard', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    t.flex.setScorecardCatalog(CATALOG);
    const repository = new QuestionnaireRepository(t.prisma);
    await repository.syncFromFlex(
      await t.flexClient.listQuestionnaires({ includeInactive: true }),
      await t.flexClient.fetchAnswerSets(),
      null,
    );
    // A reviewer, but not the one who scored the call.
    await t.prisma.identity.create({
      data: { email: OTHER.email, flexUserName: 'Otto Other', slackUserId: OTHER.userId, slackTeamId: TEAM_ID },
    });
  });
  after(async () => {
    await t.close();
  });

  async function submit(viewId: string, values: Record<string, EnteredValue>) {
    const result = await t.sender.interaction(
      viewSubmissionPayload({
        view: t.slack.currentView(viewId),
        values,
        user: { ...userRef(REVIEWER.userId), name: 'rita' },
        team,
      }),
    );
    assert.equal(result.status, 200, result.text);
    const body = (result.json ?? {}) as { response_action?: string; view?: Json };
    if (body.response_action === 'update') {
      const response = await fetch(`${t.slack.apiUrl}views.update`, {
        method: 'POST',
        headers: { authorization: `Bearer ${BOT_TOKEN}`, 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ view_id: viewId, view: body.view }),
      });
      assert.equal(((await response.json()) as { ok: boolean }).ok, true, 'Slack took the view');
    }
  }

  /** A click on the Retry button of the private message, as Slack sends it, with a response_url for the answer. */
  async function clickRetry(message: Json, userId: string) {
    const responseUrl = t.slack.newResponseUrl({ channel: QA.id, userId });
    const payload = blockActionsPayload({
      actionId: 'qm_score_retry',
      user: userRef(userId),
      team,
      message,
      channel: QA,
      responseUrl,
    });
    const sent = await t.sender.interaction(payload);
    assert.equal(sent.status, 200, sent.text);
    return t.slack.waitForResponse(responseUrl);
  }

  /** `npm run scorecards -- …` as an admin runs it, on the app's database (in this process: run-cli.ts). */
  function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return runCli('scorecards', args, { env: { DATABASE_URL: t.databaseUrl } });
  }

  async function scoreWithFailures(failures: number) {
    const refusal = JSON.stringify({ code: 20001, message: 'Invalid MetricId', more_info: 'x', status: 400 });
    for (let i = 0; i < failures; i += 1) {
      t.flex.failNext({ method: 'POST', path: ASSESSMENTS_PATH, status: 400, body: refusal });
    }
    const command = qmCommand(t, `score ${SEGMENT_ID} 1:23`);
    assert.equal((await t.sender.slashCommand(command)).status, 200);
    const open = await t.slack.waitForCall('views.open', (c) => c.args.trigger_id === command.trigger_id);
    const viewId = String((open.result.view as { id: string }).id);
    await t.slack.waitForCall('views.update', (c) => c.args.view_id === viewId);
    await submit(viewId, {});
    const values: Record<string, string> = {};
    for (let i = 0; i < QUESTIONS; i += 1) values[`q${i}`] = '0';
    await submit(viewId, values);
    return { viewId, responseUrl: String(command.response_url) };
  }

  it('shows which answers failed and why; only the reviewer may retry; each answer ends in Flex once', async () => {
    // Flex refuses the first half of the answers for good (400: not retried by the app).
    const { viewId, responseUrl } = await scoreWithFailures(QUESTIONS / 2);

    // The private message: the score, 5 of 10 in Flex, the 5 that failed with Flex's reason, and Retry.
    const first = await t.slack.waitForResponse(responseUrl, 20_000);
    const firstText = JSON.stringify(first.body);
    assert.match(firstText, /5 of 10 answers are in Flex; 5 could not be sent/);
    assert.match(firstText, /Invalid MetricId|refused|400/);
    assert.match(firstText, /"action_id":"qm_score_retry"/);
    const rows = await t.prisma.scorecardAnswer.findMany();
    assert.equal(rows.filter((r) => r.status === 'failed').length, 5);
    assert.equal(t.flex.scorecards.answers.length, 5);
    const message: Json = {
      type: 'message',
      ts: '1763640000.000100',
      text: first.body.text,
      blocks: first.body.blocks,
    };

    // Another reviewer's click is refused and changes nothing.
    const refused = await clickRetry(message, OTHER.userId);
    assert.match(String(refused.body.text), /Only <@U\w+>, who scored this call, or a QM admin/);
    assert.equal(await t.prisma.scorecardAnswer.count({ where: { status: 'failed' } }), 5);

    // The reviewer's click queues the five; the message says they are being sent.
    const queued = await clickRetry(message, REVIEWER.userId);
    assert.equal(queued.body.replace_original, true);
    assert.match(JSON.stringify(queued.body), /5 of 10 answers are in Flex; the rest are being sent/);

    await eventually(async () => {
      const settled = await t.prisma.scorecardAnswer.findMany();
      assert.ok(
        settled.every((r) => r.status === 'posted'),
        'every answer posted',
      );
    }, 20_000);
    const inFlex = t.flex.scorecards.answers;
    assert.equal(inFlex.length, QUESTIONS, 'each answer in Flex once');
    assert.equal(new Set(inFlex.map((a) => a.assessment.questionnaire.question.question_sid)).size, QUESTIONS);
    // The reviewer is told again once they landed: the form and a second private message.
    const [, second] = await eventually(() => {
      const posts = t.slack.responsesTo(responseUrl);
      assert.equal(posts.length, 2, 'told once more');
      return posts;
    }, 10_000);
    assert.match(JSON.stringify(second?.body), /All 10 answers are in Flex/);
    await t.slack.waitForCall(
      'views.update',
      (c) => c.args.view_id === viewId && /All 10 answers are in Flex/.test(JSON.stringify(c.args.view)),
    );
  });

  it('npm run scorecards -- show and retry: an admin sends the failed answers again from the command line', async () => {
    await t.prisma.scorecard.deleteMany();
    t.flex.reset();
    const { responseUrl } = await scoreWithFailures(3);
    await t.slack.waitForResponse(responseUrl, 20_000);
    const { id } = await t.prisma.scorecard.findFirstOrThrow();
    const shown = await cli(['show', id]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /Customer Experience .*: failed/);
    assert.equal(shown.stdout.match(/ failed .*Invalid MetricId/g)?.length, 3, shown.stdout);
    const retried = await cli(['retry', id]);
    assert.equal(retried.code, 0, retried.stderr);
    assert.match(retried.stdout, /3 failed answers of .* are queued again/);
    await eventually(async () => {
      const rows = await t.prisma.scorecardAnswer.findMany();
      assert.ok(
        rows.every((r) => r.status === 'posted'),
        'every answer posted',
      );
    }, 20_000);
    assert.equal(t.flex.scorecards.answers.length, QUESTIONS, 'each answer in Flex once');
    const again = await cli(['retry', id]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /no failed answers: nothing to retry/);
  });
});
