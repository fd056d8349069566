import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createFlexClient, type FlexClient } from '../../src/flex/flex-client.js';
import { createTaskRouterClient } from '../../src/flex/taskrouter-client.js';
import { FakeFlexApi, type StoredAnswer } from '../fakes/fake-flex-api.js';
import { FakeTaskRouterApi } from '../fakes/fake-taskrouter-api.js';
import { fixedSid, scorecardCatalog } from '../fakes/flex/scorecard-catalog.js';
import { commentWithQm } from '../helpers/reviewer-story.js';
import { CATEGORY, eventually, SEGMENT_ID, startTestApp } from '../helpers/test-app.js';
import { TwilioContract } from './twilio-contract.js';

const flexSpec = new TwilioContract('flex-v1.json');
const taskRouterSpec = new TwilioContract('taskrouter-v1.json');

const QM = '/v1/Insights/QualityManagement';
const SEGMENTS = [
  '0105be7a-9b87-51f1-8df8-aa74ddb9c4a7',
  'dbdf1f7b-c776-5e78-9676-98a397fb3cdc',
  'a6f0c1d2-3b4c-4d5e-8f70-8192a3b4c5d6',
];
const AGENT = '583fcaa6-a4ef-5447-9077-900421e37a61';
const TAG = { id: '4b4e78e4-4f05-49e2-bf52-0973c5cde418', name: 'Good for Training', default: true };

function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

interface Answer {
  method: string;
  path: string;
  status: number;
  body: unknown;
}

/** Sends one request as any Twilio client would and keeps the answer. */
async function send(
  url: string,
  authorization: string,
  init: { method?: string; form?: Record<string, string> } = {},
): Promise<Answer> {
  const method = init.method ?? 'GET';
  const response = await fetch(url, {
    method,
    headers: {
      authorization,
      ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
  });
  return { method, path: new URL(url).pathname, status: response.status, body: await response.json() };
}

/** Every page of a list, following `meta.next_page_url`. */
async function allPages(first: string, authorization: string): Promise<Answer[]> {
  const pages: Answer[] = [];
  let next: string | null = first;
  while (next) {
    const page = await send(next, authorization);
    pages.push(page);
    next = (page.body as { meta?: { next_page_url?: string | null } }).meta?.next_page_url ?? null;
  }
  return pages;
}

function assertValid(spec: TwilioContract, answers: Answer[]): void {
  for (const answer of answers) {
    assert.ok(
      spec.declaresStatus(answer.method, answer.path, answer.status),
      `${answer.method} ${answer.path} answered ${answer.status}, which the spec does not declare: ${JSON.stringify(answer.body)}`,
    );
    assert.deepEqual(spec.answerProblems(answer.method, answer.path, answer.status, answer.body), [], answer.path);
  }
}

describe('the fake Flex, checked against Twilio’s OpenAPI description of Flex v1', () => {
  let flex: FakeFlexApi;
  let auth: string;
  before(async () => {
    // Two items a page, so every list answer is checked with its paging links.
    flex = await FakeFlexApi.start({ maxPageSize: 2 });
    auth = basic(flex.accountSid, flex.authToken);
    flex.setCommentCategories([TAG, { id: '9c1b7e2a-0d3f-4a5b-8c6d-7e8f9a0b1c2d', name: 'Compliance', sort: 2 }]);
    for (const [i, segment] of SEGMENTS.entries()) {
      flex.addSegment({
        segment_id: segment,
        agent_id: AGENT,
        agent_name: 'Alex Agent',
        queue: 'Support',
        date: '2026-11-20T10:00:00Z',
        segment_recording_offset: i === 0 ? '12.5' : null,
      });
    }
  });
  after(async () => {
    await flex.close();
  });

  it('answers each operation it serves with a body the operation’s response schema accepts', async () => {
    const answers: Answer[] = [];
    answers.push(await send(`${flex.baseUrl}${QM}/Settings/CommentTags`, auth));
    for (const [i, offset] of ['83', '6.985619', '0.0000001', '0'].entries()) {
      const form = {
        CategoryId: TAG.id,
        CategoryName: TAG.name,
        Comment: `Comment ${i}`,
        SegmentId: SEGMENTS[i % 2] ?? '',
        AgentId: AGENT,
        Offset: offset,
      };
      answers.push(await send(`${flex.baseUrl}${QM}/Assessments/Comments`, auth, { method: 'POST', form }));
    }
    answers.push(...(await allPages(`${flex.baseUrl}${QM}/Assessments/Comments?PageSize=1000`, auth)));
    answers.push(...(await allPages(`${flex.baseUrl}${QM}/Assessments/Comments?SegmentId=${SEGMENTS[0]}`, auth)));
    answers.push(...(await allPages(`${flex.baseUrl}/v1/Insights/Segments`, auth)));
    answers.push(...(await allPages(`${flex.baseUrl}/v1/Insights/Segments?SegmentId=${SEGMENTS[0]}`, auth)));
    assert.equal(answers.filter((a) => a.status === 201).length, 4);
    assert.ok(answers.filter((a) => a.path.endsWith('/Comments') && a.status === 200).length >= 3, 'paged');
    assertValid(flexSpec, answers);
  });

  it('sends, from the app’s Flex client, only operations and parameters the spec declares', async () => {
    flex.reset();
    flex.addUser('Bearer reviewers-own', { name: 'Rita Reviewer', email: 'rita@example.com' });
    const client: FlexClient = createFlexClient({
      baseUrl: flex.baseUrl,
      credentials: { username: flex.accountSid, password: flex.authToken },
      timeoutMs: 5_000,
    });
    try {
      const comment = {
        categoryId: TAG.id,
        categoryName: TAG.name,
        comment: 'Clear & kind: 100% 😀',
        segmentId: SEGMENTS[0] ?? '',
        agentId: AGENT,
        offsetSeconds: 1e-7,
      };
      await client.createComment(comment);
      await client.createComment({ ...comment, offsetSeconds: 83 }, { authorization: 'Bearer reviewers-own' });
      await client.createComment({ ...comment, offsetSeconds: 4.5 });
      assert.equal((await client.listComments({ segmentId: SEGMENTS[0] ?? '' })).length, 3);
      await client.listComments({ agentId: AGENT });
      await client.listComments(
        { segmentId: SEGMENTS[0] ?? '', agentId: AGENT },
        { authorization: 'Bearer reviewers-own' },
      );
      assert.ok(await client.findSegment(SEGMENTS[1] ?? ''), "await client.findSegment(SEGMENTS[1] ?? '')");
      assert.equal((await client.listCommentCategories()).length, 2);
    } finally {
      await client.close();
    }
    assert.ok(flex.requests.length >= 8, 'flex.requests.length >= 8');
    for (const request of flex.requests) {
      assert.deepEqual(
        flexSpec.requestProblems({ ...request, contentType: request.headers['content-type'] }),
        [],
        `${request.method} ${request.path}?${request.rawQuery}`,
      );
    }
  });

  it('sends, from the running app commenting on a call, only what the spec declares', async () => {
    const t = await startTestApp();
    try {
      await commentWithQm(t, `${SEGMENT_ID} 1:23`, { category: CATEGORY.id, comment: 'Contract check' });
      await eventually(async () => assert.equal((await t.prisma.assessment.findFirstOrThrow()).status, 'posted'));
      assert.ok(
        t.flex.requests.some((r) => r.method === 'POST'),
        "t.flex.requests.some((r) => r.method === 'POST')",
      );
      for (const request of t.flex.requests) {
        assert.deepEqual(
          flexSpec.requestProblems({ ...request, contentType: request.headers['content-type'] }),
          [],
          `${request.method} ${request.path}?${request.rawQuery}`,
        );
      }
    } finally {
      await t.close();
    }
  });

  // The questionnaire (scorecard) routes: every one the fake serves, with paging, and every call the
  // app's client makes (src/flex/scorecard-client.ts), against the same operations of the spec.
  const CATALOG = scorecardCatalog([
    { name: 'Customer Experience', questions: 5, number: 1 },
    { name: 'Old Audit 2024', questions: 2, number: 2, active: false },
    { name: 'Short', questions: 3, number: 3 },
  ]);
  const QUESTIONNAIRE = fixedSid('GM', 1);
  const firstQuestion = () => {
    const question = CATALOG.questions[0];
    const answer = CATALOG.answerSets.find((set) => set.id === question?.answer_set_id)?.answers[0];
    if (!question || !answer) throw new Error('no question');
    return { question, answer };
  };

  it('answers each questionnaire operation it serves with a body the operation’s response schema accepts', async () => {
    flex.reset();
    flex.setScorecardCatalog(CATALOG);
    const { question, answer } = firstQuestion();
    const answers: Answer[] = [];
    answers.push(...(await allPages(`${flex.baseUrl}${QM}/Questionnaires`, auth)));
    answers.push(...(await allPages(`${flex.baseUrl}${QM}/Questionnaires?IncludeInactive=true&PageSize=1000`, auth)));
    answers.push(await send(`${flex.baseUrl}${QM}/Questionnaires/${QUESTIONNAIRE}`, auth));
    answers.push(...(await allPages(`${flex.baseUrl}${QM}/Questions`, auth)));
    answers.push(...(await allPages(`${flex.baseUrl}${QM}/Questions?CategorySid=${fixedSid('FY', 1)}`, auth)));
    answers.push(...(await allPages(`${flex.baseUrl}${QM}/Categories`, auth)));
    answers.push(await send(`${flex.baseUrl}${QM}/Settings/AnswerSets`, auth));
    const form = {
      CategorySid: question.category.category_sid,
      CategoryName: question.category.category_name,
      SegmentId: SEGMENTS[0] ?? '',
      AgentId: AGENT,
      Offset: '83',
      MetricId: question.question_sid,
      MetricName: question.question,
      AnswerText: answer.name,
      AnswerId: answer.id,
      QuestionnaireSid: QUESTIONNAIRE,
    };
    const created = await send(`${flex.baseUrl}${QM}/Assessments`, auth, { method: 'POST', form });
    answers.push(created);
    answers.push(
      await send(`${flex.baseUrl}${QM}/Assessments`, auth, { method: 'POST', form: { ...form, Offset: '4.5' } }),
    );
    const sid = (created.body as { assessment_sid: string }).assessment_sid;
    answers.push(
      await send(`${flex.baseUrl}${QM}/Assessments/${sid}`, auth, {
        method: 'POST',
        form: { Offset: '83', AnswerText: answer.name, AnswerId: answer.id },
      }),
    );
    answers.push(...(await allPages(`${flex.baseUrl}${QM}/Assessments?SegmentId=${SEGMENTS[0]}`, auth)));
    answers.push(...(await allPages(`${flex.baseUrl}${QM}/Assessments`, auth)));
    assert.equal(answers.filter((a) => a.status === 201).length, 2);
    const paths = new Set(answers.map((a) => `${a.method} ${a.path.replace(/\/(GM|FM)[0-9a-f]{32}$/, '/{sid}')}`));
    assert.deepEqual(
      [...paths].sort(),
      [
        `GET ${QM}/Assessments`,
        `GET ${QM}/Categories`,
        `GET ${QM}/Questionnaires`,
        `GET ${QM}/Questionnaires/{sid}`,
        `GET ${QM}/Questions`,
        `GET ${QM}/Settings/AnswerSets`,
        `POST ${QM}/Assessments`,
        `POST ${QM}/Assessments/{sid}`,
      ],
      'every questionnaire route the fake serves',
    );
    assert.ok(answers.filter((a) => a.path.endsWith('/Questions')).length > 2, 'paged');
    assertValid(flexSpec, answers);
  });

  it('sends, from the app’s questionnaire calls, only operations and parameters the spec declares', async () => {
    flex.reset();
    flex.setScorecardCatalog(CATALOG);
    flex.addUser('Bearer reviewers-own', { name: 'Rita Reviewer', email: 'rita@example.com' });
    const { question, answer } = firstQuestion();
    const client: FlexClient = createFlexClient({
      baseUrl: flex.baseUrl,
      credentials: { username: flex.accountSid, password: flex.authToken },
      timeoutMs: 5_000,
    });
    try {
      assert.equal((await client.listQuestionnaires()).length, 2);
      assert.equal((await client.listQuestionnaires({ includeInactive: true })).length, 3);
      await client.fetchAnswerSets();
      const toCreate = {
        categorySid: question.category.category_sid,
        categoryName: question.category.category_name,
        segmentId: SEGMENTS[0] ?? '',
        agentId: AGENT,
        offsetSeconds: 1e-7,
        questionSid: question.question_sid,
        questionText: question.question,
        answerText: answer.name,
        answerId: answer.id,
        questionnaireSid: QUESTIONNAIRE,
      };
      const own = { authorization: 'Bearer reviewers-own' };
      const created = await client.createAnswer(toCreate, own);
      await client.updateAnswer(
        created.assessmentSid,
        { offsetSeconds: 83, answerText: 'x & y', answerId: answer.id },
        own,
      );
      assert.equal((await client.listAnswers(SEGMENTS[0] ?? '', own)).length, 1);
    } finally {
      await client.close();
    }
    assert.ok(flex.requests.length >= 6, 'flex.requests.length >= 6');
    for (const request of flex.requests) {
      assert.deepEqual(
        flexSpec.requestProblems({ ...request, contentType: request.headers['content-type'] }),
        [],
        `${request.method} ${request.path}?${request.rawQuery}`,
      );
    }
  });

  it('answers the lists /qm history reads (comments by SegmentId and AgentId, assessments by SegmentId) as ListInsightsAssessmentsComment and ListInsightsAssessments declare, and is sent only their declared parameters', async () => {
    flex.reset();
    for (const [i, segment] of [SEGMENTS[0], SEGMENTS[0], SEGMENTS[1], SEGMENTS[0], SEGMENTS[0]].entries()) {
      const form = {
        CategoryId: TAG.id,
        CategoryName: TAG.name,
        Comment: `History ${i}`,
        SegmentId: segment ?? '',
        AgentId: AGENT,
        Offset: String(i * 10),
      };
      await send(`${flex.baseUrl}${QM}/Assessments/Comments`, auth, { method: 'POST', form });
    }
    // Answers made with the account's own credentials: ListInsightsAssessments shows the caller's own.
    for (const i of [0, 1, 2]) flex.scorecards.answers.push(storedAnswer(flex, SEGMENTS[i === 2 ? 1 : 0] ?? '', i));
    const answers: Answer[] = [
      ...(await allPages(`${flex.baseUrl}${QM}/Assessments/Comments?SegmentId=${SEGMENTS[0]}&PageSize=50`, auth)),
      ...(await allPages(`${flex.baseUrl}${QM}/Assessments/Comments?AgentId=${AGENT}`, auth)),
      ...(await allPages(`${flex.baseUrl}${QM}/Assessments?SegmentId=${SEGMENTS[0]}&PageSize=1000`, auth)),
      ...(await allPages(`${flex.baseUrl}${QM}/Assessments`, auth)),
    ];
    const bySegment = answers.filter((a) => a.path.endsWith('/Comments')).slice(0, 2);
    // Two a page (maxPageSize): four comments of the first call in two pages, the filter applied.
    assert.deepEqual(
      bySegment.map((a) => (a.body as { comments: Array<{ segment_id: string }> }).comments.map((c) => c.segment_id)),
      [
        [SEGMENTS[0], SEGMENTS[0]],
        [SEGMENTS[0], SEGMENTS[0]],
      ],
    );
    const assessed = answers.filter((a) => a.path.endsWith('/Assessments'));
    assert.equal(assessed.flatMap((a) => (a.body as { assessments: unknown[] }).assessments).length, 2 + 3);
    assertValid(flexSpec, answers);

    flex.reset();
    const client = createFlexClient({
      baseUrl: flex.baseUrl,
      credentials: { username: flex.accountSid, password: flex.authToken },
      timeoutMs: 5_000,
    });
    try {
      await client.listCallComments(SEGMENTS[0] ?? '');
      await client.listCallAnswers(SEGMENTS[0] ?? '');
      await client.countCallComments(SEGMENTS[0] ?? '');
    } finally {
      await client.close();
    }
    assert.equal(flex.requests.length, 3);
    for (const request of flex.requests) {
      assert.deepEqual(flexSpec.requestProblems(request), [], `${request.method} ${request.path}?${request.rawQuery}`);
    }
  });

  it('catches what the spec does not allow, so a pass means something', () => {
    const post = { method: 'POST', path: `${QM}/Assessments/Comments`, rawQuery: '' };
    const form = 'application/x-www-form-urlencoded';
    assert.match(
      flexSpec.requestProblems({ ...post, rawBody: 'CategoryId=a&Comment=b&Offset=x', contentType: form }).join('\n'),
      /Offset: "x" is not a number[\s\S]*required form parameter CategoryName is missing/,
    );
    assert.match(
      flexSpec.requestProblems({ method: 'GET', path: '/v1/Insights/Segments', rawQuery: 'Limit=5&PageSize=0' }).join(),
      /query parameter Limit is not declared[\s\S]*PageSize: \/ must be >= 1/,
    );
    assert.match(
      flexSpec.answerProblems('POST', post.path, 201, { assessment_sid: 'FM1', report: 'yes' })?.join() ?? '',
      /assessment_sid must match pattern[\s\S]*report must be boolean/,
    );
  });
});

/** An answer as the fake Flex keeps it (the spec's flex.v1.insights_assessments), made with the account's credentials. */
function storedAnswer(flex: FakeFlexApi, segmentId: string, i: number): StoredAnswer {
  const sid = `FM${String(i).padStart(32, '0')}`;
  return {
    account_sid: flex.accountSid,
    assessment_sid: sid,
    offset: `${i}.0`,
    report: true,
    weight: '1',
    agent_id: AGENT,
    segment_id: segmentId,
    user_name: 'Flex Account',
    user_email: 'flex-account@example.com',
    answer_text: 'Yes',
    answer_id: 'yes',
    timestamp: String(1764000000000 + i),
    assessment: {
      questionnaire: {
        questionnaire_sid: `GM${'1'.repeat(32)}`,
        name: 'Standard QA',
        question: {
          question_sid: `GE${'2'.repeat(32)}`,
          name: 'Greeting?',
          category: { category_sid: `FY${'3'.repeat(32)}`, name: 'Opening' },
        },
      },
    },
    url: `https://flex-api.twilio.com${QM}/Assessments/${sid}`,
  };
}

describe('the fake TaskRouter, checked against Twilio’s OpenAPI description of TaskRouter v1', () => {
  let taskRouter: FakeTaskRouterApi;
  before(async () => {
    taskRouter = await FakeTaskRouterApi.start({ maxPageSize: 2 });
    taskRouter.setWorkers([
      FakeTaskRouterApi.worker({ email: 'alex@example.com', full_name: 'Alex Agent', agent_id: AGENT }),
      FakeTaskRouterApi.worker({ email: 'rita@example.com', full_name: 'Rita Reviewer' }),
      FakeTaskRouterApi.worker({ email: 'sam@example.com' }),
      FakeTaskRouterApi.worker('{not json'),
      FakeTaskRouterApi.worker({ full_name: 'No Email' }),
    ]);
  });
  after(async () => {
    await taskRouter.close();
  });

  it('answers the Workers list with pages the response schema accepts', async () => {
    const auth = basic(taskRouter.accountSid, taskRouter.authToken);
    const pages = await allPages(
      `${taskRouter.baseUrl}/v1/Workspaces/${taskRouter.workspaceSid}/Workers?PageSize=50`,
      auth,
    );
    assert.equal(pages.length, 3);
    assertValid(taskRouterSpec, pages);
  });

  it('reads the people of a list whose attributes are null, as the spec describes lists, by fetching each Worker', async () => {
    const spec = await FakeTaskRouterApi.start({ maxPageSize: 2, nullAttributesInLists: true });
    spec.setWorkers([
      FakeTaskRouterApi.worker({ email: 'Alex@Example.com', full_name: 'Alex Agent', agent_id: AGENT }),
      FakeTaskRouterApi.worker({ email: 'rita@example.com', full_name: 'Rita Reviewer' }),
      FakeTaskRouterApi.worker({ full_name: 'No Email' }),
    ]);
    const client = createTaskRouterClient({
      baseUrl: spec.baseUrl,
      workspaceSid: spec.workspaceSid,
      credentials: { username: spec.accountSid, password: spec.authToken },
      timeoutMs: 5_000,
    });
    try {
      const listed = await client.listWorkers();
      assert.deepEqual(
        listed.workers.map((w) => [w.email, w.fullName, w.agentId]),
        [
          ['alex@example.com', 'Alex Agent', AGENT],
          ['rita@example.com', 'Rita Reviewer', undefined],
        ],
      );
      assert.deepEqual(
        listed.broken.map((w) => w.problem),
        ['attributes have no email'],
      );
      const auth = basic(spec.accountSid, spec.authToken);
      const fetched = spec.requests.filter((r) => /\/Workers\/WK/.test(r.path));
      assert.equal(fetched.length, 3);
      for (const request of spec.requests) {
        assert.deepEqual(
          taskRouterSpec.requestProblems({
            method: request.method,
            path: request.path,
            rawQuery: request.query.toString(),
          }),
          [],
        );
      }
      const one = fetched[0]?.path ?? '';
      assertValid(taskRouterSpec, [await send(`${spec.baseUrl}${one}`, auth)]);
      const [list] = await allPages(`${spec.baseUrl}/v1/Workspaces/${spec.workspaceSid}/Workers`, auth);
      assertValid(taskRouterSpec, list ? [list] : []);
    } finally {
      await client.close();
      await spec.close();
    }
  });

  it('is sent, by the app’s identity sync client, only the parameters the spec declares', async () => {
    taskRouter.requests.length = 0;
    const client = createTaskRouterClient({
      baseUrl: taskRouter.baseUrl,
      workspaceSid: taskRouter.workspaceSid,
      credentials: { username: taskRouter.accountSid, password: taskRouter.authToken },
      timeoutMs: 5_000,
    });
    try {
      const listed = await client.listWorkers();
      assert.equal(listed.workers.length + listed.broken.length, 5);
    } finally {
      await client.close();
    }
    assert.equal(taskRouter.requests.length, 3);
    for (const request of taskRouter.requests) {
      assert.deepEqual(
        taskRouterSpec.requestProblems({
          method: request.method,
          path: request.path,
          rawQuery: request.query.toString(),
        }),
        [],
      );
    }
  });
});
