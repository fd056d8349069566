import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { IdentityRepository } from '../../src/db/repositories/identity-repository.js';
import { createSecretBox } from '../../src/security/secret-box.js';
import { COMMENTS_PATH, type StoredAnswer, type StoredComment, twilioErrorAnswer } from '../fakes/fake-flex-api.js';
import type { Json, RecordedCall } from '../fakes/fake-slack-api.js';
import { FLEX_PUBLIC_BASE, newSid } from '../fakes/flex/twilio-wire.js';
import { modalRefined, openModalWithQm, qmCommand } from '../helpers/reviewer-story.js';
import { testSecretsKey } from '../helpers/secrets-keys.js';
import { blockActionsPayload, eventCallback, linkSharedEvent, unfurlButtonPayload } from '../helpers/slack-payloads.js';
import {
  AGENT_ID,
  CATEGORY,
  OTHER_CATEGORY,
  REVIEWER,
  SEGMENT_ID,
  startTestApp,
  TEAM_ID,
  type TestApp,
} from '../helpers/test-app.js';

const ASSESSMENTS_PATH = '/v1/Insights/QualityManagement/Assessments';
const OTHER_SEGMENT = 'a6f0c1d2-3b4c-4d5e-8f70-8192a3b4c5d6';
const STRANGER = { id: 'U0STRANGE1', email: 'stranger@example.com' };
const RITA = { id: REVIEWER.userId, name: 'rita', teamId: TEAM_ID };
const ACME = { id: TEAM_ID, domain: 'acme' };
const QA = { id: 'C0QA00001', name: 'qa' };
const LINK = `https://analytics.ytica.com/player/segment/${SEGMENT_ID}?t=42`;
const NOV_24 = Date.parse('2026-11-24T09:00:00Z');

/** A comment as Flex holds it, written by someone in Flex (not necessarily through this app). */
function heldComment(
  t: TestApp,
  input: { text: string; category: { id: string; name: string }; author: string; minutes: number; offset: string },
  segmentId = SEGMENT_ID,
): StoredComment {
  const sid = newSid('FM');
  return {
    account_sid: t.flex.accountSid,
    assessment_sid: sid,
    comment: { comment: input.text, category: { category_id: input.category.id, name: input.category.name } },
    offset: input.offset,
    report: true,
    weight: '1',
    agent_id: AGENT_ID,
    segment_id: segmentId,
    user_name: input.author,
    user_email: `${input.author.split(' ')[0]?.toLowerCase()}@example.com`,
    timestamp: String(NOV_24 + input.minutes * 60_000),
    url: `${FLEX_PUBLIC_BASE}${COMMENTS_PATH}/${sid}`,
  };
}

/** A scorecard answer Flex holds, made with the app's own credentials (Flex lists those to it). */
function heldAnswer(
  t: TestApp,
  question: string,
  answer: string,
  minutes: number,
  author = { name: 'Flex Account', email: 'flex-account@example.com' },
): StoredAnswer {
  const sid = newSid('FM');
  return {
    account_sid: t.flex.accountSid,
    assessment_sid: sid,
    offset: '83.0',
    report: true,
    weight: '1',
    agent_id: AGENT_ID,
    segment_id: SEGMENT_ID,
    user_name: author.name,
    user_email: author.email,
    answer_text: answer,
    answer_id: newSid('XX'),
    timestamp: String(NOV_24 + minutes * 60_000),
    assessment: {
      questionnaire: {
        questionnaire_sid: 'GM00000000000000000000000000000001',
        name: 'Standard QA',
        question: {
          question_sid: newSid('GE'),
          name: question,
          category: { category_sid: newSid('FY'), name: 'Opening' },
        },
      },
    },
    url: `${FLEX_PUBLIC_BASE}${ASSESSMENTS_PATH}/${sid}`,
  };
}

/** Everything a view shows, as one text, for matching. */
function textOf(view: Json | undefined): string {
  return JSON.stringify((view as { blocks?: unknown } | undefined)?.blocks ?? []);
}

/** The sections' texts of a view, in order. */
function sections(view: Json): string[] {
  return ((view.blocks as Json[]) ?? []).flatMap((block) =>
    block.type === 'section' ? [String((block.text as { text: string }).text)] : [],
  );
}

/** The history the app filled in: the views.update of the view it opened (or pushed) with `opened`. */
async function filledIn(t: TestApp, opened: RecordedCall): Promise<Json> {
  assert.equal(opened.result.ok, true, JSON.stringify(opened.result));
  const viewId = String((opened.result.view as { id: string }).id);
  assert.match(textOf(opened.args.view as Json), /Reading what Flex holds on this call/, 'opens at once');
  const update = await t.slack.waitForCall('views.update', (c) => c.args.view_id === viewId);
  assert.equal(update.result.ok, true, JSON.stringify(update.result));
  return update.args.view as Json;
}

/** `/qm history <text>` by someone, and the history modal the app filled in. */
async function historyByCommand(t: TestApp, text: string, userId = REVIEWER.userId): Promise<Json> {
  const command = qmCommand(t, `history ${text}`, userId);
  const ack = await t.sender.slashCommand(command);
  assert.equal(ack.status, 200);
  const open = await t.slack.waitForCall('views.open', (c) => c.args.trigger_id === command.trigger_id);
  return filledIn(t, open);
}

describe('/qm history: what a call already holds, before adding to it', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    t.slack.addUser({ id: STRANGER.id, name: 'stranger', email: STRANGER.email, teamId: TEAM_ID });
  });
  after(async () => {
    await t.close();
  });
  beforeEach(async () => {
    t.flex.reset();
    await t.prisma.scorecard.deleteMany();
    await t.prisma.assessment.deleteMany();
  });

  it('lists Flex’s comments from several authors across two pages and its scorecard answers, newest first, after what the app is still sending', async () => {
    const newest = heldComment(t, {
      text: 'Newest: kind close',
      category: CATEGORY,
      author: 'Sam Supervisor',
      minutes: 50,
      offset: '200.0',
    });
    t.flex.comments.push(
      heldComment(t, {
        text: 'Oldest: good opening',
        category: CATEGORY,
        author: 'Ada Admin',
        minutes: 0,
        offset: '12.0',
      }),
      heldComment(t, {
        text: 'Said <!channel> & <@U0BOSS001> *loudly*',
        category: OTHER_CATEGORY,
        author: 'Rita Reviewer',
        minutes: 30,
        offset: '83.5',
      }),
      heldComment(
        t,
        { text: 'Another call', category: CATEGORY, author: 'Ada Admin', minutes: 31, offset: '1.0' },
        OTHER_SEGMENT,
      ),
      newest,
      heldComment(t, {
        text: 'Middle: hold music',
        category: OTHER_CATEGORY,
        author: 'Ada Admin',
        minutes: 20,
        offset: '0.0',
      }),
    );
    t.flex.scorecards.answers.push(
      heldAnswer(t, 'Did the agent greet the customer?', 'Yes', 40),
      heldAnswer(t, 'Did the agent confirm the address?', 'No', 41),
    );
    // Three a page: the four comments of this call come in two pages.
    t.flex.setMaxPageSize(3);
    const rita = await t.prisma.identity.findFirstOrThrow({ where: { email: REVIEWER.email } });
    const pending = {
      reviewerId: rita.id,
      segmentId: SEGMENT_ID,
      agentId: AGENT_ID,
      slackTeamId: TEAM_ID,
      slackUserId: REVIEWER.userId,
      source: 'command',
      // Not due: the delivery worker leaves them as they are during the test.
      nextAttemptAt: new Date('2100-01-01T00:00:00Z'),
    };
    await t.prisma.assessment.create({
      data: {
        ...pending,
        submissionKey: 'V-pending',
        categoryId: CATEGORY.id,
        categoryName: CATEGORY.name,
        comment: 'Still on its way <b>',
        offsetSeconds: 61,
        attempts: 2,
      },
    });
    await t.prisma.assessment.create({
      data: {
        ...pending,
        submissionKey: 'V-failed',
        categoryId: OTHER_CATEGORY.id,
        categoryName: OTHER_CATEGORY.name,
        comment: 'Refused one',
        offsetSeconds: 5,
        status: 'failed',
        lastError: 'Flex did not accept the comment’s details',
      },
    });
    await t.prisma.assessment.create({
      data: {
        ...pending,
        submissionKey: 'V-posted',
        categoryId: CATEGORY.id,
        categoryName: CATEGORY.name,
        comment: 'Posted',
        offsetSeconds: 1,
        status: 'posted',
        flexAssessmentSid: newest.assessment_sid,
      },
    });
    await t.prisma.scorecard.create({
      data: {
        reviewerId: rita.id,
        questionnaireSid: 'GM00000000000000000000000000000002',
        questionnaireName: 'Compliance check',
        segmentId: SEGMENT_ID,
        agentId: AGENT_ID,
        offsetSeconds: 0,
        submissionKey: 'V-score',
        slackTeamId: TEAM_ID,
        slackUserId: REVIEWER.userId,
        answers: {
          create: [
            {
              position: 0,
              questionSid: newSid('GE'),
              questionText: 'Q1',
              categorySid: newSid('FY'),
              categoryName: 'C',
              answerId: 'a',
              answerText: 'Yes',
              nextAttemptAt: new Date('2100-01-01T00:00:00Z'),
            },
            {
              position: 1,
              questionSid: newSid('GE'),
              questionText: 'Q2',
              categorySid: newSid('FY'),
              categoryName: 'C',
              answerId: 'b',
              answerText: 'No',
              nextAttemptAt: new Date('2100-01-01T00:00:00Z'),
            },
          ],
        },
      },
    });

    const view = await historyByCommand(t, SEGMENT_ID);
    const text = sections(view);
    const flexAt = text.findIndex((s) => s.startsWith('*In Flex*'));
    assert.equal(text[flexAt], '*In Flex*: 4 comments and 1 scorecard, newest first');
    const listed = text.slice(flexAt + 1);
    assert.deepEqual(
      listed.map((s) => /Newest|Middle|Oldest|loudly|Scorecard/.exec(s)?.[0]),
      ['Newest', 'Scorecard', 'loudly', 'Middle', 'Oldest'],
      'newest first, the other call’s comment left out',
    );
    // Flex's author, and who posted it from Slack when the app did.
    assert.match(
      listed[0] ?? '',
      /^:memo: \*Good for Training\* · at 3:20 · Sam Supervisor \(posted from Slack by <@U0REVIEW1>\) · <!date\^\d+\^/,
    );
    assert.match(listed[2] ?? '', /Rita Reviewer · <!date/, 'not posted through the app: Flex’s author alone');
    // Flex's text is what people typed: nothing in it can ping or format.
    assert.match(listed[2] ?? '', /\*Compliance\* · at 1:23\.5 · Rita Reviewer/);
    assert.match(
      listed[2] ?? '',
      /&gt;Said &lt;!channel&gt; &amp; &lt;@U0BOSS001&gt; \*loudly\*|>Said &lt;!channel&gt; &amp; &lt;@U0BOSS001&gt; \*loudly\*/,
    );
    assert.ok(!/<!channel>|<@U0BOSS001>/.test(JSON.stringify(view)), 'no mention survives');
    assert.match(listed[1] ?? '', /\*Scorecard: Standard QA\* · at 1:23 · Flex Account/);
    assert.match(listed[1] ?? '', /• _Opening_ · Did the agent greet the customer\?: \*Yes\*/);
    assert.match(listed[1] ?? '', /• _Opening_ · Did the agent confirm the address\?: \*No\*/);

    const notYet = text.slice(0, flexAt);
    assert.equal(
      notYet.find((s) => s.startsWith('*Not in Flex yet*')),
      '*Not in Flex yet* (3)',
    );
    const pendingComment = notYet.find((s) => s.includes('Still on its way')) ?? '';
    assert.match(pendingComment, /^<@U0REVIEW1>’s comment · \*Good for Training\* · at 1:01/);
    assert.match(pendingComment, /Still on its way &lt;b&gt;/);
    assert.match(pendingComment, /Being sent to Flex \(attempt 2\)/);
    const failed = notYet.find((s) => s.includes('Refused one')) ?? '';
    assert.match(
      failed,
      /Flex did not take it: Flex did not accept the comment’s details\. Its reviewer has a \*Retry\* button/,
    );
    assert.ok(
      notYet.some((s) => /’s scorecard · \*Compliance check\*[\s\S]*2 answers not in Flex yet/.test(s)),
      'notYet.some((s) => /’s scorecard · \\*Compliance check\\*[\\s\\S]*2 answers not in Flex yet…',
    );
    assert.ok(!text.some((s) => s.includes('Posted')), 'what Flex holds already is not listed twice');

    // Flex's lists, paged by following meta.next_page_url (with its PageToken), filtered to the call.
    const lists = t.flex.requests.filter((r) => r.method === 'GET' && r.path === COMMENTS_PATH);
    assert.equal(lists.length, 2);
    assert.equal(lists[0]?.rawQuery, `SegmentId=${SEGMENT_ID}&PageSize=1000`);
    assert.match(lists[1]?.rawQuery ?? '', /SegmentId=.*&Page=1&PageToken=PT/);
    const answers = t.flex.requests.filter((r) => r.method === 'GET' && r.path === ASSESSMENTS_PATH);
    assert.equal(answers[0]?.rawQuery, `SegmentId=${SEGMENT_ID}&PageSize=1000`);
  });

  it('reads, beside the app’s, the scorecard answers Flex lists only to the reviewer who made them with their own Flex authorization', async () => {
    const identities = new IdentityRepository(t.prisma, createSecretBox(testSecretsKey(7)));
    t.slack.addUser({ id: 'U0OWNAUTH', name: 'own', teamId: TEAM_ID });
    await identities.upsertByEmail({
      email: 'own@example.com',
      flexUserName: 'Owen Own',
      slackUserId: 'U0OWNAUTH',
      flexAuthorization: 'Token owen-flex-token',
    });
    t.flex.addUser('Token owen-flex-token', { name: 'Owen Own', email: 'own@example.com' });
    t.flex.scorecards.answers.push(
      heldAnswer(t, 'Greeting?', 'Yes', 1),
      heldAnswer(t, 'Empathy?', 'Good', 2, { name: 'Owen Own', email: 'own@example.com' }),
      heldAnswer(t, 'Hidden?', 'No', 3, { name: 'Someone Else', email: 'else@example.com' }),
    );
    const view = await historyByCommand(t, SEGMENT_ID, 'U0OWNAUTH');
    const text = sections(view).join('\n');
    assert.match(text, /Scorecard: Standard QA\* · at 1:23 · Owen Own[\s\S]*Empathy\?: \*Good\*/);
    assert.match(text, /Scorecard: Standard QA\* · at 1:23 · Flex Account[\s\S]*Greeting\?: \*Yes\*/);
    assert.ok(!text.includes('Hidden'), 'Flex lists nobody else’s');
    const reads = t.flex.requests.filter((r) => r.path === ASSESSMENTS_PATH).map((r) => r.headers.authorization);
    assert.deepEqual(reads.map((value) => (value?.startsWith('Basic ') ? 'Basic' : value)).sort(), [
      'Basic',
      'Token owen-flex-token',
    ]);
  });

  it('pages through a long history with Older and Newer, reading Flex afresh each time', async () => {
    for (let minutes = 0; minutes < 45; minutes += 1) {
      t.flex.comments.push(
        heldComment(t, { text: `Entry ${minutes}`, category: CATEGORY, author: 'Ada Admin', minutes, offset: '1.0' }),
      );
    }
    const command = qmCommand(t, `history ${SEGMENT_ID}`);
    await t.sender.slashCommand(command);
    const open = await t.slack.waitForCall('views.open', (c) => c.args.trigger_id === command.trigger_id);
    const first = sections(await filledIn(t, open));
    assert.ok(
      first.includes('*In Flex*: 45 comments and 0 scorecards, newest first (1–40)'),
      "first.includes('*In Flex*: 45 comments and 0 scorecards, newest first (1–40)')",
    );
    assert.match(first[1] ?? '', /Entry 44/);
    const viewId = String((open.result.view as { id: string }).id);
    const before = t.flex.requests.length;
    const click = await t.sender.interaction(
      blockActionsPayload({
        actionId: 'qm_call_history_older',
        view: t.slack.currentView(viewId),
        user: RITA,
        team: ACME,
      }),
    );
    assert.equal(click.status, 200);
    const older = await t.slack.waitForCall(
      'views.update',
      (c) => c.args.view_id === viewId && textOf(c.args.view as Json).includes('(41–45)'),
    );
    assert.equal(older.result.ok, true, JSON.stringify(older.result));
    const shown = sections(older.args.view as Json);
    assert.deepEqual(
      shown.filter((s) => s.startsWith(':memo:')).map((s) => /Entry \d+/.exec(s)?.[0]),
      ['Entry 4', 'Entry 3', 'Entry 2', 'Entry 1', 'Entry 0'],
    );
    assert.match(textOf(older.args.view as Json), /qm_call_history_newer/);
    assert.ok(t.flex.requests.length > before, 'read afresh from Flex');
  });

  it('reads at most five pages of a list, shows what it read and says the list was cut', async () => {
    for (let minutes = 0; minutes < 6; minutes += 1) {
      t.flex.comments.push(
        heldComment(t, { text: `Entry ${minutes}`, category: CATEGORY, author: 'Ada Admin', minutes, offset: '1.0' }),
      );
    }
    // One a page: six pages, one more than the history reads.
    t.flex.setMaxPageSize(1);
    const view = await historyByCommand(t, SEGMENT_ID);
    const text = sections(view);
    assert.ok(
      text.includes('*In Flex*: 5 comments and 0 scorecards, newest first'),
      `five comments read, not six: ${text.join('\n')}`,
    );
    assert.ok(!text.some((s) => s.includes('Entry 5')), 'the sixth page was not read');
    assert.match(textOf(view), /Flex holds more than the app reads at once; Flex Insights shows them all\./);
    assert.ok(!textOf(view).includes('Could not read'), 'a cut list is not a failure');
    assert.equal(t.flex.requests.filter((r) => r.method === 'GET' && r.path === COMMENTS_PATH).length, 5);
  });

  it('says so when the call holds nothing yet', async () => {
    const view = await historyByCommand(t, `<${LINK}>`);
    assert.ok(
      sections(view).includes('Flex holds no comments or scorecard answers on this call yet.'),
      "sections(view).includes('Flex holds no comments or scorecard answers on this call yet.')",
    );
  });

  it('refuses a stranger as /qm does, and asks Flex nothing', async () => {
    const command = qmCommand(t, `history ${SEGMENT_ID}`, STRANGER.id);
    await t.sender.slashCommand(command);
    const told = await t.slack.waitForResponse(String(command.response_url));
    assert.match(String(told.body.text), /You can’t leave QM comments yet: you are not linked to a Flex identity/);
    assert.equal(t.slack.calls('views.open').filter((c) => c.args.trigger_id === command.trigger_id).length, 0);
    assert.equal(t.flex.requests.length, 0);
  });

  it('tells how to give the call when there is none', async () => {
    const command = qmCommand(t, 'history call&lt;1&gt;');
    await t.sender.slashCommand(command);
    const told = await t.slack.waitForResponse(String(command.response_url));
    assert.match(
      String(told.body.text),
      /“call&lt;1&gt;” is not a segment id or a call link I know\. Give the call: `\/qm history <segment id/,
    );
  });

  it('says what to do when Flex fails (503, 401, 403), and still shows what the app is sending', async () => {
    const rita = await t.prisma.identity.findFirstOrThrow({ where: { email: REVIEWER.email } });
    await t.prisma.assessment.create({
      data: {
        reviewerId: rita.id,
        segmentId: SEGMENT_ID,
        agentId: AGENT_ID,
        slackTeamId: TEAM_ID,
        slackUserId: REVIEWER.userId,
        source: 'command',
        nextAttemptAt: new Date('2100-01-01T00:00:00Z'),
        submissionKey: 'V-waiting',
        categoryId: CATEGORY.id,
        categoryName: CATEGORY.name,
        comment: 'Waiting for Flex',
        offsetSeconds: 3,
      },
    });
    t.flex.failNext({ method: 'GET', path: COMMENTS_PATH, status: 503, body: '' });
    const down = sections(await historyByCommand(t, SEGMENT_ID));
    assert.ok(
      down.includes(
        ':warning: Could not read the comments from Flex. Flex answered with a server error (HTTP 503): Flex is having trouble. Try again in a few minutes; if it goes on, tell your Slack admin.',
      ),
      down.join('\n'),
    );
    assert.ok(
      down.some((s) => s.includes('Waiting for Flex')),
      'the app’s own rows are still shown',
    );
    assert.ok(
      down.includes('Flex holds no other entries on this call yet.'),
      "down.includes('Flex holds no other entries on this call yet.')",
    );

    t.flex.failNext(
      twilioErrorAnswer(401, 20003, 'Authenticate', { path: COMMENTS_PATH }),
      twilioErrorAnswer(401, 20003, 'Authenticate', { path: ASSESSMENTS_PATH }),
    );
    const refused = sections(await historyByCommand(t, SEGMENT_ID));
    for (const what of ['the comments', 'the scorecard answers']) {
      assert.ok(
        refused.includes(
          `:warning: Could not read ${what} from Flex. Flex refused the app's credentials (Twilio error 20003: Authenticate). Ask your Slack admin to check the app's Twilio settings.`,
        ),
        refused.join('\n'),
      );
    }

    t.flex.failNext(twilioErrorAnswer(403, 20403, 'Forbidden', { path: COMMENTS_PATH }));
    const forbidden = sections(await historyByCommand(t, SEGMENT_ID));
    assert.ok(
      forbidden.includes(
        ':warning: Could not read the comments from Flex. Flex does not allow this Twilio account to use quality management (Twilio error 20403: Forbidden). Ask your Flex admin for Flex Insights quality-management access.',
      ),
      forbidden.join('\n'),
    );
  });

  it('shows in the comment form how many comments the call has, with a button that shows them on top of the form', async () => {
    for (const minutes of [1, 2, 3]) {
      t.flex.comments.push(
        heldComment(t, { text: `Note ${minutes}`, category: CATEGORY, author: 'Ada Admin', minutes, offset: '1.0' }),
      );
    }
    const opened = await openModalWithQm(t, SEGMENT_ID);
    const refined = (await modalRefined(t, opened.viewId)).args.view as Json;
    const count = (refined.blocks as Json[]).find((b) => JSON.stringify(b).includes('already on this call'));
    assert.ok(count, textOf(refined));
    assert.equal((count.text as { text: string }).text, ':speech_balloon: 3 comments already on this call');
    assert.equal((count.accessory as { action_id: string }).action_id, 'qm_call_history');
    // One page is enough for a count, with the filter Twilio declares.
    const counted = t.flex.requests.filter((r) => r.path === COMMENTS_PATH);
    assert.deepEqual(
      counted.map((r) => r.rawQuery),
      [`SegmentId=${SEGMENT_ID}&PageSize=50`],
    );

    const triggerId = t.slack.issueTriggerId({ viewId: opened.viewId });
    const click = await t.sender.interaction(
      blockActionsPayload({
        actionId: 'qm_call_history',
        view: t.slack.currentView(opened.viewId),
        user: RITA,
        team: ACME,
        triggerId,
      }),
    );
    assert.equal(click.status, 200);
    const pushed = await t.slack.waitForCall('views.push', (c) => c.args.trigger_id === triggerId);
    const history = sections(await filledIn(t, pushed));
    assert.ok(
      history.includes('*In Flex*: 3 comments and 0 scorecards, newest first'),
      "history.includes('*In Flex*: 3 comments and 0 scorecards, newest first')",
    );
    assert.equal(
      (pushed.result.view as { previous_view_id: string }).previous_view_id,
      opened.viewId,
      'on top of the form, which it closes back to',
    );
  });

  it('says "No comments on this call yet" in the form of a call without any', async () => {
    const opened = await openModalWithQm(t, SEGMENT_ID);
    const refined = (await modalRefined(t, opened.viewId)).args.view as Json;
    assert.match(textOf(refined), /No comments on this call yet\./);
    assert.ok(!textOf(refined).includes('qm_call_history'), "!textOf(refined).includes('qm_call_history')");
  });

  it('shows the count in a call link’s preview with a button for the list, refused to a stranger', async () => {
    t.flex.comments.push(
      heldComment(t, { text: 'One', category: CATEGORY, author: 'Ada Admin', minutes: 1, offset: '1.0' }),
      heldComment(t, { text: 'Two', category: CATEGORY, author: 'Rita Reviewer', minutes: 2, offset: '1.0' }),
    );
    t.slack.addMessage(QA.id, { ts: '1764000000.000100', user: 'U0SUPER01', text: `listen <${LINK}>` });
    await t.sender.event(
      eventCallback({
        teamId: TEAM_ID,
        event: linkSharedEvent({ channel: QA.id, userId: 'U0SUPER01', messageTs: '1764000000.000100', links: [LINK] }),
      }),
    );
    const unfurl = await t.slack.waitForCall('chat.unfurl', (c) => c.args.ts === '1764000000.000100');
    assert.equal(unfurl.result.ok, true, JSON.stringify(unfurl.result));
    const blocks = (unfurl.args.unfurls as Record<string, { blocks: Json[] }>)[LINK]?.blocks ?? [];
    const count = blocks.find((b) => JSON.stringify(b).includes('already on this call'));
    assert.equal(
      (count?.text as { text: string } | undefined)?.text,
      ':speech_balloon: 2 comments already on this call',
    );
    const button = count?.accessory as { value: string; text: unknown; action_id: string };
    assert.equal(button.action_id, 'qm_call_history');

    const click = (userId: string, triggerId: string) =>
      t.sender.interaction({
        ...unfurlButtonPayload({
          user: { id: userId, name: userId.toLowerCase(), teamId: TEAM_ID },
          team: ACME,
          channel: QA,
          messageTs: '1764000000.000100',
          value: button.value,
          text: button.text,
          blocks,
          triggerId,
        }),
        actions: [
          {
            type: 'button',
            action_id: 'qm_call_history',
            block_id: 'x2',
            text: button.text,
            value: button.value,
            action_ts: '1764000001.000300',
          },
        ],
      });
    const strangerTrigger = t.slack.issueTriggerId();
    await click(STRANGER.id, strangerTrigger);
    const refused = await t.slack.waitForCall('chat.postEphemeral', (c) => c.args.user === STRANGER.id);
    assert.match(String(refused.args.text), /You can’t leave QM comments yet/);
    assert.equal(t.slack.calls('views.open').filter((c) => c.args.trigger_id === strangerTrigger).length, 0);

    const triggerId = t.slack.issueTriggerId();
    await click(REVIEWER.userId, triggerId);
    const open = await t.slack.waitForCall('views.open', (c) => c.args.trigger_id === triggerId);
    const history = sections(await filledIn(t, open));
    assert.ok(
      history.includes('*In Flex*: 2 comments and 0 scorecards, newest first'),
      "history.includes('*In Flex*: 2 comments and 0 scorecards, newest first')",
    );
  });

  it('lists the command in /qm help', async () => {
    const ack = await t.sender.slashCommand(qmCommand(t, 'help'));
    assert.match(
      String((ack.json as { text: string }).text),
      /`\/qm history <segment id or call link>` shows you the comments/,
    );
  });
});
