import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { QuestionnaireRepository } from '../../src/db/repositories/questionnaire-repository.js';
import { TwilioContract } from '../contracts/twilio-contract.js';
import { fixedSid, scorecardCatalog } from '../fakes/flex/scorecard-catalog.js';
import { ASSESSMENTS_PATH } from '../fakes/flex/scorecards.js';
import { CaptureLogger } from '../helpers/capture-logger.js';
import { parsePrometheusText, sampleValue } from '../helpers/prometheus-text.js';
import { qmCommand } from '../helpers/reviewer-story.js';
import { blockActionsPayload, type EnteredValue, viewSubmissionPayload } from '../helpers/slack-payloads.js';
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

const CX = fixedSid('GM', 1);
const LONG = fixedSid('GM', 3);
const CATALOG = scorecardCatalog([
  { name: 'Customer Experience', questions: 30, number: 1 },
  { name: 'Old Audit 2024', questions: 4, number: 2, active: false },
  { name: 'Long Audit', questions: 60, number: 3 },
]);
const user = { id: REVIEWER.userId, name: 'rita', teamId: TEAM_ID };
const team = { id: TEAM_ID, domain: 'acme' };
type Json = Record<string, unknown>;

// Every assert.ok here carries a message. Without one, a falsy assert.ok makes Node parse the caller's
// source to word its error, which under tsx's module hooks can take minutes (nodejs/node#52677, #52962):
// an `eventually` whose first look finds answers still pending then seems to hang. That was the
// "PostgreSQL teardown hang" of this file (test/tooling/assert-messages.test.ts keeps it from coming back).
describe('scoring a call against a Flex Insights questionnaire with /qm score', () => {
  let t: TestApp;
  // At info, as production logs: one line per answer's delivery attempt.
  const logger = new CaptureLogger();
  before(async () => {
    t = await startTestApp({ logger, env: { LOG_LEVEL: 'info' } });
    t.flex.setScorecardCatalog(CATALOG);
    // As `npm run questionnaires -- sync` and `-- set-default` do.
    const client = t.flexClient;
    const repository = new QuestionnaireRepository(t.prisma);
    const report = await repository.syncFromFlex(
      await client.listQuestionnaires({ includeInactive: true }),
      await client.fetchAnswerSets(),
      null,
    );
    assert.deepEqual(
      { ...report, unusable: report.unusable.length },
      {
        added: 3,
        updated: 0,
        deactivated: 0,
        unchanged: 0,
        unusable: 0,
      },
    );
    assert.equal(await repository.setDefault(CX, null), true);
  });
  after(async () => {
    await t.close();
  });
  beforeEach(async () => {
    await t.prisma.scorecard.deleteMany();
    t.flex.reset();
    logger.clear();
  });

  const answersInFlex = () => t.flex.scorecards.answers;
  const creates = () => t.flex.requests.filter((r) => r.method === 'POST' && r.path === ASSESSMENTS_PATH);
  const updates = () =>
    t.flex.requests.filter((r) => r.method === 'POST' && r.path.startsWith(`${ASSESSMENTS_PATH}/FM`));

  /** `/qm score <text>`: the form opens, then shows the call from Flex. */
  async function openScoreForm(text: string) {
    const command = qmCommand(t, `score ${text}`);
    const ack = await t.sender.slashCommand(command);
    assert.equal(ack.status, 200);
    assert.equal(ack.text, '');
    const open = await t.slack.waitForCall('views.open', (c) => c.args.trigger_id === command.trigger_id);
    assert.equal(open.result.ok, true, JSON.stringify(open.result));
    const viewId = String((open.result.view as { id: string }).id);
    await t.slack.waitForCall('views.update', (c) => c.args.view_id === viewId);
    return { viewId, responseUrl: String(command.response_url) };
  }

  /** Submits the view as Slack holds it; an `update` answer is applied as Slack applies it. */
  async function submit(viewId: string, values: Record<string, EnteredValue>) {
    const result = await t.sender.interaction(
      viewSubmissionPayload({ view: t.slack.currentView(viewId), values, user, team }),
    );
    assert.equal(result.status, 200, result.text);
    const body = (result.json ?? {}) as { response_action?: string; view?: Json; errors?: Json };
    if (body.response_action === 'update') await viewsUpdate({ view_id: viewId, view: body.view });
    return body;
  }

  async function viewsUpdate(args: Json) {
    const response = await fetch(`${t.slack.apiUrl}views.update`, {
      method: 'POST',
      headers: { authorization: `Bearer ${BOT_TOKEN}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(args),
    });
    const result = (await response.json()) as { ok: boolean; error?: string; response_metadata?: unknown };
    assert.equal(result.ok, true, `Slack refused the view: ${JSON.stringify(result)}`);
  }

  const viewText = (viewId: string) => JSON.stringify(t.slack.currentView(viewId));
  // Input blocks only: Slack gives a block without a block_id a random one of its own (the fake too, 5
  // characters of [0-9a-z]), which now and then reads "q" and digits (a CI run counted 26 questions of 25).
  const questionBlocks = (viewId: string) =>
    (t.slack.currentView(viewId).blocks as Json[]).filter(
      (b) => b.type === 'input' && /^q\d+$/.test(String(b.block_id)),
    );

  /** The answer a test gives question i of a questionnaire: N/A where allowed, else cycling through the set. */
  function answerFor(questionnaireNumber: number, i: number): number {
    const question = CATALOG.questions.find(
      (q) => q.question_sid === fixedSid('GE', questionnaireNumber * 1000 + i + 1),
    );
    const set = CATALOG.answerSets.find((s) => s.id === question?.answer_set_id);
    if (!question || !set) throw new Error(`no question ${i}`);
    return question.allow_na && i % 2 === 1 ? set.answers.length : (i * 7) % set.answers.length;
  }
  function valuesFor(number: number, from: number, to: number, pick = answerFor) {
    const values: Record<string, string> = {};
    for (let i = from; i < to; i += 1) values[`q${i}`] = String(pick(number, i));
    return values;
  }
  function expectedScore(number: number, count: number): string {
    const scores: number[] = [];
    for (let i = 0; i < count; i += 1) {
      const question = CATALOG.questions.find((q) => q.question_sid === fixedSid('GE', number * 1000 + i + 1));
      const set = CATALOG.answerSets.find((s) => s.id === question?.answer_set_id);
      const answer = set?.answers[answerFor(number, i)];
      if (answer) scores.push(answer.score);
    }
    const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
    return `${Math.round(mean * 10) / 10}%`;
  }

  async function scoreCustomerExperience(text = `${SEGMENT_ID} 1:23`) {
    const opened = await openScoreForm(text);
    assert.match(viewText(opened.viewId), /Alex Agent\* \(Billing\)/);
    await submit(opened.viewId, {});
    assert.match(viewText(opened.viewId), /Step 1 of 2/);
    await submit(opened.viewId, valuesFor(1, 0, 25));
    assert.match(viewText(opened.viewId), /Step 2 of 2/);
    const last = await submit(opened.viewId, valuesFor(1, 25, 30));
    assert.equal(last.response_action, 'update');
    return opened;
  }

  it('scores a call from /qm score to Flex: one assessment per answer, then the score in the form and privately', async () => {
    const opened = await openScoreForm(`${SEGMENT_ID} 1:23`);
    const chooser = t.slack.currentView(opened.viewId);
    assert.match(JSON.stringify(chooser), /Alex Agent\* \(Billing\) · queue Support · with Casey Customer/);
    assert.ok(!JSON.stringify(chooser).includes('Old Audit'), 'inactive questionnaires are not offered');
    const select = (chooser.blocks as Json[]).find((b) => b.block_id === 'questionnaire') as { element: Json };
    assert.equal((select.element.initial_option as { value: string }).value, CX, 'the default is pre-selected');

    await submit(opened.viewId, {});
    const step1 = viewText(opened.viewId);
    assert.match(step1, /Step 1 of 2/);
    assert.match(step1, /"type":"header".*Greeting/);
    assert.equal(questionBlocks(opened.viewId).length, 25);
    assert.match(step1, /"text":"N\/A"/, 'N/A is offered where the question allows it');
    await submit(opened.viewId, valuesFor(1, 0, 25));
    assert.match(viewText(opened.viewId), /Step 2 of 2/);
    assert.equal(questionBlocks(opened.viewId).length, 5);
    await submit(opened.viewId, valuesFor(1, 25, 30));
    assert.match(viewText(opened.viewId), new RegExp(`score \\*${expectedScore(1, 30).replace('.', '\\.')}\\*`));

    await eventually(() => assert.equal(answersInFlex().length, 30), 10_000);
    assert.equal(creates().length, 30, 'one create per answer');
    const first = creates().find((r) => r.rawBody.includes(`MetricId=${fixedSid('GE', 1001)}`));
    assert.equal(
      first?.rawBody,
      `CategorySid=${fixedSid('FY', 1)}&CategoryName=Greeting&SegmentId=${SEGMENT_ID}&AgentId=583fcaa6-a4ef-5447-9077-900421e37a61&Offset=83&MetricId=${fixedSid('GE', 1001)}&MetricName=Greeting%3A%20question%201%20of%20Customer%20Experience%3F&AnswerText=Yes&AnswerId=4e34f701-8206-4670-b376-c9fe26bb3ca3&QuestionnaireSid=${CX}`,
    );
    const confirmation = await t.slack.waitForResponse(opened.responseUrl);
    const text = JSON.stringify(confirmation.body);
    assert.equal(confirmation.body.response_type, 'ephemeral');
    assert.match(text, /All 30 answers are in Flex/);
    assert.match(text, new RegExp(expectedScore(1, 30).replace('.', '\\.')));
    assert.match(text, /Calculated by this app/);
    assert.match(text, /Compliance: \*\d/);
    await t.slack.waitForCall(
      'views.update',
      (c) => c.args.view_id === opened.viewId && /All 30 answers are in Flex/.test(JSON.stringify(c.args.view)),
    );
    const rows = await t.prisma.scorecardAnswer.findMany();
    assert.equal(rows.length, 30);
    assert.ok(
      rows.every((r) => r.status === 'posted' && /^FM[0-9a-f]{32}$/.test(r.flexAssessmentSid ?? '')),
      'every answer posted, with its assessment SID',
    );
    assert.equal(t.slack.responsesTo(opened.responseUrl).length, 1, 'confirmed once');

    // The app's one Flex client made these calls: /metrics timed them and /readyz shows the last one.
    const metrics = parsePrometheusText(await (await fetch(`${t.baseUrl}/metrics`)).text());
    const value = (name: string, labels: Record<string, string>) => sampleValue(metrics, name, labels);
    assert.equal(value('flexqm_flex_request_duration_seconds_count', { operation: 'createAnswer', status: 'ok' }), 30);
    assert.equal(
      value('flexqm_scorecard_answer_attempts_total', { result: 'posted', http_status: '', twilio_error_code: '' }),
      30,
    );
    assert.equal(value('flexqm_scorecard_answer_outcomes_total', { outcome: 'posted' }), 30);
    const ready = (await (await fetch(`${t.baseUrl}/readyz`)).json()) as { flex: { result: string; call: string } };
    assert.deepEqual({ result: ready.flex.result, call: ready.flex.call }, { result: 'ok', call: 'createAnswer' });
    // One log line per attempt, with ids and no answer or question text.
    const attempts = logger.withFields({ event: 'answer_delivery_attempt' });
    assert.equal(attempts.length, 30);
    assert.equal(new Set(attempts.map((line) => line.record.answerId)).size, 30);
    assert.ok(
      attempts.every((line) => line.record.result === 'posted' && line.level === 'info'),
      'each attempt logged as posted, at info',
    );
    assert.ok(!/question 1 of|"Yes"|Fair|of 5/.test(logger.text()), 'no answer or question text in the log');
    // What the running app sent, against Twilio's description of each operation (test/contracts/twilio).
    const spec = new TwilioContract('flex-v1.json');
    for (const request of t.flex.requests) {
      assert.deepEqual(
        spec.requestProblems({ ...request, contentType: request.headers['content-type'] }),
        [],
        `${request.method} ${request.path}?${request.rawQuery}`,
      );
    }
  });

  it('splits a 60-question questionnaire into three steps, keeping every answer across Back', async () => {
    const opened = await openScoreForm(SEGMENT_ID);
    await submit(opened.viewId, { questionnaire: LONG });
    assert.match(viewText(opened.viewId), /Step 1 of 3/);
    await submit(opened.viewId, valuesFor(3, 0, 25));
    assert.match(viewText(opened.viewId), /Step 2 of 3/);
    assert.match(viewText(opened.viewId), /Back to step 1/);

    // Half of step 2 answered, then Back: step 1 shows its answers, and step 2 keeps what was entered.
    const partial = valuesFor(3, 25, 37);
    const back = await t.sender.interaction(
      blockActionsPayload({
        actionId: 'qm_score_back',
        view: t.slack.currentView(opened.viewId),
        values: partial,
        user,
        team,
      }),
    );
    assert.equal(back.status, 200);
    await eventually(() => assert.match(viewText(opened.viewId), /Step 1 of 3/));
    const initial = (i: number) =>
      (
        (questionBlocks(opened.viewId).find((b) => b.block_id === `q${i}`)?.element as Json)?.initial_option as {
          value: string;
        }
      )?.value;
    for (let i = 0; i < 25; i += 1) assert.equal(initial(i), String(answerFor(3, i)), `q${i} kept`);
    await submit(opened.viewId, {});
    assert.match(viewText(opened.viewId), /Step 2 of 3/);
    for (let i = 25; i < 37; i += 1) assert.equal(initial(i), String(answerFor(3, i)), `q${i} kept across Back`);
    await submit(opened.viewId, valuesFor(3, 37, 50));
    assert.match(viewText(opened.viewId), /Step 3 of 3/);
    assert.equal(questionBlocks(opened.viewId).length, 10);
    await submit(opened.viewId, valuesFor(3, 50, 60));

    await eventually(async () => {
      const rows = await t.prisma.scorecardAnswer.findMany();
      assert.equal(rows.length, 60);
      assert.ok(
        rows.every((r) => r.status === 'posted'),
        'all 60 posted',
      );
    }, 15_000);
    assert.equal(answersInFlex().length, 60);
    const scored = new Map(answersInFlex().map((a) => [a.assessment.questionnaire.question.question_sid, a.answer_id]));
    for (let i = 0; i < 60; i += 1) {
      const question = CATALOG.questions.find((q) => q.question_sid === fixedSid('GE', 3001 + i));
      const set = CATALOG.answerSets.find((s) => s.id === question?.answer_set_id);
      const picked = answerFor(3, i);
      const expected = picked === set?.answers.length ? CATALOG.notApplicable.id : set?.answers[picked]?.id;
      assert.equal(scored.get(fixedSid('GE', 3001 + i)), expected, `answer ${i} in Flex`);
    }
  });

  it('keeps a closing comment typed on the last step across Back, and one too long to carry on its step', async () => {
    const opened = await openScoreForm(SEGMENT_ID);
    await submit(opened.viewId, {});
    await submit(opened.viewId, valuesFor(1, 0, 25));
    assert.match(viewText(opened.viewId), /Step 2 of 2/);
    const clickBack = async (values: Record<string, EnteredValue>) => {
      const back = await t.sender.interaction(
        blockActionsPayload({
          actionId: 'qm_score_back',
          view: t.slack.currentView(opened.viewId),
          values,
          user,
          team,
        }),
      );
      assert.equal(back.status, 200);
    };
    const commentField = () =>
      ((t.slack.currentView(opened.viewId).blocks as Json[]).find((b) => b.block_id === 'score_comment')?.element ??
        {}) as { initial_value?: string };
    const categoryField = () =>
      ((t.slack.currentView(opened.viewId).blocks as Json[]).find((b) => b.block_id === 'score_comment_category')
        ?.element ?? {}) as { initial_option?: { value: string } };

    const typed = 'Warm greeting <!here>; offer the payment plan earlier.';
    await clickBack({ ...valuesFor(1, 25, 30), score_comment: typed, score_comment_category: CATEGORY.id });
    await eventually(() => assert.match(viewText(opened.viewId), /Step 1 of 2/));
    await submit(opened.viewId, {});
    assert.match(viewText(opened.viewId), /Step 2 of 2/);
    assert.equal(commentField().initial_value, typed, 'the comment is there again');
    assert.equal(categoryField().initial_option?.value, CATEGORY.id, 'and its category');

    // Longer than private_metadata can carry: Back keeps the reviewer on the last step, comment and all.
    const long = `${'A long closing comment. '.repeat(120)}`.slice(0, 2_900);
    await clickBack({ ...valuesFor(1, 25, 30), score_comment: long, score_comment_category: CATEGORY.id });
    await eventually(() => assert.match(viewText(opened.viewId), /too long to carry to an earlier step/));
    assert.match(viewText(opened.viewId), /Step 2 of 2/);
    assert.equal(commentField().initial_value, long, 'the long comment is kept where it was typed');
    assert.equal(await t.prisma.scorecard.count(), 0, 'nothing is stored before Submit');
  });

  it('re-scoring the call pre-fills the earlier answers and sends only the two changed, as updates', async () => {
    await scoreCustomerExperience();
    await eventually(() => assert.equal(answersInFlex().length, 30), 10_000);
    const firstResponse = await t.slack.waitForResponse(
      String((await t.prisma.scorecard.findFirstOrThrow()).slackResponseUrl),
    );
    assert.match(JSON.stringify(firstResponse.body), /All 30/);
    t.flex.requests.length = 0;

    const again = await openScoreForm(SEGMENT_ID);
    await submit(again.viewId, {});
    assert.match(viewText(again.viewId), /Your earlier answers are filled in/);
    // q1 (Good, Fair, Poor) and q26 (Rating) change; everything else is submitted as pre-filled.
    await submit(again.viewId, { q1: '2' });
    await submit(again.viewId, { q26: '4' });
    await eventually(async () => {
      const scorecard = await t.prisma.scorecard.findFirstOrThrow({ include: { answers: true } });
      assert.equal(scorecard.revision, 2);
      assert.ok(
        scorecard.answers.every((a) => a.status === 'posted'),
        'all posted',
      );
      // Two assessments updated; an update whose answer was lost may be sent again (it is idempotent).
      assert.equal(new Set(updates().map((r) => r.path)).size, 2);
    }, 10_000);
    assert.equal(creates().length, 0, 'no second set');
    assert.equal(answersInFlex().length, 30);
    const byQuestion = (n: number) =>
      answersInFlex().find((a) => a.assessment.questionnaire.question.question_sid === fixedSid('GE', 1000 + n + 1));
    assert.equal(byQuestion(1)?.answer_text, 'Poor');
    assert.equal(byQuestion(26)?.answer_text, '5 of 5');
    const [told] = await eventually(() => {
      const posts = t.slack.responsesTo(again.responseUrl);
      assert.equal(posts.length, 1, 'the reviewer is told once');
      return posts;
    }, 10_000);
    assert.match(JSON.stringify(told?.body), /All 30 answers are in Flex/);
  });

  it('ends with each answer in Flex once when Flex fails half of them, some after creating them', async () => {
    const target = { method: 'POST' as const, path: ASSESSMENTS_PATH };
    const serverError = JSON.stringify({ code: 20500, message: 'Internal Server Error', status: 500 });
    for (let i = 0; i < 15; i += 1) {
      // Every other one was created before the 500: only listing the call's assessments can tell.
      t.flex.failNext({ ...target, status: 500, body: serverError, processed: i % 2 === 0 });
    }
    const opened = await scoreCustomerExperience();
    await eventually(async () => {
      const rows = await t.prisma.scorecardAnswer.findMany();
      assert.equal(rows.length, 30);
      assert.ok(
        rows.every((r) => r.status === 'posted'),
        'all posted in the end',
      );
    }, 20_000);
    assert.equal(answersInFlex().length, 30, 'each answer once');
    assert.equal(new Set(answersInFlex().map((a) => a.assessment.questionnaire.question.question_sid)).size, 30);
    assert.ok(
      t.flex.requests.some(
        (r) => r.method === 'GET' && r.path === ASSESSMENTS_PATH && r.query.get('SegmentId') === SEGMENT_ID,
      ),
      'the outcome was settled by listing the call’s assessments',
    );
    const told = await t.slack.waitForResponse(opened.responseUrl);
    assert.match(JSON.stringify(told.body), /All 30 answers are in Flex/);
  });

  it('answers /qm score without a call with its usage, and opens nothing', async () => {
    const ack = await t.sender.slashCommand(qmCommand(t, 'score'));
    assert.match(
      String((ack.json as { text?: string }).text),
      /\/qm score <segment id or Flex Insights call link> \[time\]/,
    );
  });
});
