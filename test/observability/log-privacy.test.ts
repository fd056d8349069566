import assert from 'node:assert/strict';
import { after, before, describe, it, mock } from 'node:test';
import { AssessmentRepository } from '../../src/db/repositories/assessment-repository.js';
import { IdentityRepository } from '../../src/db/repositories/identity-repository.js';
import { QuestionnaireRepository } from '../../src/db/repositories/questionnaire-repository.js';
import { createSecretBox } from '../../src/security/secret-box.js';
import { twilioErrorAnswer } from '../fakes/fake-flex-api.js';
import type { Json } from '../fakes/fake-slack-api.js';
import { FakeTaskRouterApi } from '../fakes/fake-taskrouter-api.js';
import { scorecardCatalog } from '../fakes/flex/scorecard-catalog.js';
import { CaptureLogger } from '../helpers/capture-logger.js';
import {
  ACME,
  CLIENT_SECRET,
  install,
  linkReviewer,
  type OAuthTestApp,
  STATE_SECRET,
  startOAuthTestApp,
} from '../helpers/oauth-test-app.js';
import { commentWithQm, qmCommand } from '../helpers/reviewer-story.js';
import { testSecretsKey } from '../helpers/secrets-keys.js';
import {
  appHomeOpenedEvent,
  blockActionsPayload,
  eventCallback,
  linkSharedEvent,
  messageShortcutPayload,
  slashCommandFields,
  unfurlButtonPayload,
  viewSubmissionPayload,
} from '../helpers/slack-payloads.js';
import {
  BOT_TOKEN,
  CATEGORY,
  eventually,
  REVIEWER,
  SEGMENT_ID,
  SIGNING_SECRET,
  startTestApp,
  TEAM_ID,
  type TestApp,
} from '../helpers/test-app.js';

const SECRETS_KEY = testSecretsKey(7);
const OWN_AUTHORIZATION = 'Token flexuser.eyJwcml2YXRlIjoicml0YSJ9.privacy-sig-77aa';
const LINK = `https://analytics.ytica.com/player/segment/${SEGMENT_ID}?t=42`;
const QA = { id: 'C0QA00001', name: 'qa' };
const team = { id: TEAM_ID, domain: 'acme' };
const rita = { id: REVIEWER.userId, name: 'rita', teamId: TEAM_ID };
const ADMIN = { userId: 'U0ADMIN01', email: 'ada.private-admin@example.com', name: 'Ada Privatadmin' };
const LENA = { userId: 'U0LENA001', slackEmail: 'lena.private@home.example', flexEmail: 'lena.l@example.com' };
const WANDA = { userId: 'U0WANDA01', email: 'wanda.private@example.com', name: 'Wanda Privatworker' };
/** Each flow's comment: words a reviewer wrote about a call, never for a log. */
const COMMENTS = {
  qm: 'Agent promised a refund of 40 EUR qm-9911',
  retry: 'Customer was upset about the delay retry-7342',
  shortcut: 'Good empathy, missed the upsell shortcut-5120',
  unfurl: 'Hold music was far too loud unfurl-6673',
  oauth: 'Installed workspace comment oauth-2281',
  score: 'Closing words on a scorecard score-4410',
  unsaved: 'Closing words the database refused unsaved-8832',
};

/**
 * Every flow of the app, run at LOG_LEVEL=debug with the log captured (Bolt's, the Web API client's,
 * the OAuth installer's and ours), then searched for every secret and personal value the flows used.
 */
describe('the log at debug level holds no secret and nothing personal, through every flow', () => {
  const logger = new CaptureLogger();
  const responseUrls: string[] = [];
  let t: TestApp;

  before(async () => {
    t = await startTestApp({ logger, withTaskRouter: true, env: { LOG_LEVEL: 'debug', NOTIFY_CHANNEL: QA.id } });
    t.flex.addUser(OWN_AUTHORIZATION, { name: REVIEWER.name, email: REVIEWER.email });
    const identities = new IdentityRepository(t.prisma, createSecretBox(SECRETS_KEY));
    await identities.upsertByEmail({
      email: REVIEWER.email,
      flexUserName: REVIEWER.name,
      flexAuthorization: OWN_AUTHORIZATION,
    });
    t.slack.addUser({ id: ADMIN.userId, name: 'ada', email: ADMIN.email, teamId: TEAM_ID });
    t.slack.addUser({ id: LENA.userId, name: 'lena', email: LENA.slackEmail, teamId: TEAM_ID });
    t.slack.addUser({ id: WANDA.userId, name: 'wanda', email: WANDA.email, teamId: TEAM_ID });
    await t.prisma.identity.createMany({
      data: [
        {
          email: ADMIN.email,
          flexUserName: ADMIN.name,
          role: 'admin',
          slackUserId: ADMIN.userId,
          slackTeamId: TEAM_ID,
        },
        { email: LENA.flexEmail, flexUserName: 'Lena Privatlink', role: 'reviewer' },
      ],
    });
  });
  after(async () => {
    await t.close();
  });

  const posted = (comment: string) =>
    eventually(async () => {
      const row = await t.prisma.assessment.findFirstOrThrow({ where: { comment } });
      assert.equal(row.status, 'posted');
    }, 8_000);

  it('/qm: Flex busy once (503), then posted', async () => {
    t.flex.failNext({
      method: 'POST',
      status: 503,
      body: JSON.stringify({ code: 20500, message: 'Service unavailable', more_info: 'x', status: 503 }),
    });
    const { responseUrl } = await commentWithQm(t, SEGMENT_ID, { category: CATEGORY.id, comment: COMMENTS.qm });
    responseUrls.push(responseUrl);
    await posted(COMMENTS.qm);
  });

  it('retry: Flex refuses (400), the author clicks Retry, Flex takes it', async () => {
    t.flex.failNext({
      method: 'POST',
      status: 400,
      body: JSON.stringify({ code: 20001, message: 'Invalid segment', more_info: 'x', status: 400 }),
    });
    const { responseUrl } = await commentWithQm(t, SEGMENT_ID, { category: CATEGORY.id, comment: COMMENTS.retry });
    responseUrls.push(responseUrl);
    const told = await t.slack.waitForResponse(responseUrl);
    await eventually(async () => {
      const row = await t.prisma.assessment.findFirstOrThrow({ where: { comment: COMMENTS.retry } });
      assert.equal(row.status, 'failed');
    });
    const message: Json = { type: 'message', ts: '1763640000.000100', text: told.body.text, blocks: told.body.blocks };
    const clickUrl = t.slack.newResponseUrl({ channel: QA.id, userId: REVIEWER.userId });
    responseUrls.push(clickUrl);
    const click = await t.sender.interaction(
      blockActionsPayload({
        actionId: 'assessment_retry',
        user: rita,
        team,
        message,
        channel: QA,
        responseUrl: clickUrl,
      }),
    );
    assert.equal(click.status, 200);
    await posted(COMMENTS.retry);
  });

  it('message shortcut', async () => {
    const triggerId = t.slack.issueTriggerId();
    const shortcutUrl = t.slack.newResponseUrl();
    responseUrls.push(shortcutUrl);
    const ack = await t.sender.interaction(
      messageShortcutPayload({
        callbackId: 'comment_on_call',
        triggerId,
        responseUrl: shortcutUrl,
        user: rita,
        team,
        channel: QA,
        message: { user: 'U0SUPER01', ts: '1763632800.000500', text: `listen <${LINK}|recording>` },
      }),
    );
    assert.equal(ack.status, 200);
    const open = await t.slack.waitForCall('views.open', (c) => c.args.trigger_id === triggerId);
    const viewId = String((open.result.view as { id: string }).id);
    await t.slack.waitForCall('views.update', (c) => c.args.view_id === viewId);
    await t.sender.interaction(
      viewSubmissionPayload({
        view: t.slack.currentView(viewId),
        values: { category: CATEGORY.id, comment: COMMENTS.shortcut },
        user: rita,
        team,
      }),
    );
    await posted(COMMENTS.shortcut);
  });

  it('unfurl and its Comment button', async () => {
    t.slack.addMessage(QA.id, { ts: '1763634000.000100', user: 'U0SUPER01', text: `listen <${LINK}>` });
    await t.sender.event(
      eventCallback({
        teamId: TEAM_ID,
        eventId: 'Ev0PRIVACY1',
        event: linkSharedEvent({ channel: QA.id, userId: 'U0SUPER01', messageTs: '1763634000.000100', links: [LINK] }),
      }),
    );
    const unfurl = await t.slack.waitForCall('chat.unfurl');
    const blocks = (unfurl.args.unfurls as Record<string, { blocks: Array<Record<string, unknown>> }>)[LINK]?.blocks;
    const button = (blocks?.[0] as { accessory?: { value: string; text: unknown } } | undefined)?.accessory;
    assert.ok(button, 'button');
    const triggerId = t.slack.issueTriggerId();
    await t.sender.interaction(
      unfurlButtonPayload({
        user: rita,
        team,
        channel: QA,
        messageTs: '1763634000.000100',
        value: button.value,
        text: button.text,
        blocks,
        triggerId,
      }),
    );
    const open = await t.slack.waitForCall('views.open', (c) => c.args.trigger_id === triggerId);
    const viewId = String((open.result.view as { id: string }).id);
    await t.slack.waitForCall('views.update', (c) => c.args.view_id === viewId);
    await t.sender.interaction(
      viewSubmissionPayload({
        view: t.slack.currentView(viewId),
        values: { category: CATEGORY.id, comment: COMMENTS.unfurl },
        user: rita,
        team,
      }),
    );
    await posted(COMMENTS.unfurl);
  });

  it('identity link: /qm link, and an admin approves', async () => {
    const command = qmCommand(t, `link ${LENA.flexEmail}`, LENA.userId);
    responseUrls.push(String(command.response_url));
    assert.equal((await t.sender.slashCommand(command)).status, 200);
    const request = await eventually(() => {
      const found = t.slack.messagesIn(ADMIN.userId).find((m) => /asks to be linked/.test(m.text ?? ''));
      assert.ok(found, 'found');
      return found;
    });
    const approveUrl = t.slack.newResponseUrl();
    responseUrls.push(approveUrl);
    await t.sender.interaction(
      blockActionsPayload({
        actionId: 'link_approve',
        user: { id: ADMIN.userId, name: 'ada', teamId: TEAM_ID },
        team,
        message: { type: 'message', ts: request.ts, text: request.text, blocks: request.blocks },
        channel: { id: request.channel, name: 'directmessage' },
        responseUrl: approveUrl,
      }),
    );
    await eventually(async () => {
      const lena = await t.prisma.identity.findFirstOrThrow({ where: { email: LENA.flexEmail } });
      assert.equal(lena.slackUserId, LENA.userId);
    });
  });

  it('sync from Flex, from the Home tab', async () => {
    t.taskRouter?.setWorkers([FakeTaskRouterApi.worker({ email: WANDA.email, full_name: WANDA.name })]);
    await t.sender.event(
      eventCallback({ teamId: TEAM_ID, eventId: 'Ev0PRIVHOME', event: appHomeOpenedEvent(ADMIN.userId) }),
    );
    const home = await t.slack.waitForCall('views.publish', (c) => c.args.user_id === ADMIN.userId);
    const view = t.slack.currentView((home.result.view as { id: string }).id);
    await t.sender.interaction(
      blockActionsPayload({
        actionId: 'identities_sync',
        user: { id: ADMIN.userId, name: 'ada', teamId: TEAM_ID },
        team,
        view,
      }),
    );
    await eventually(async () => assert.equal(await t.prisma.identitySyncRun.count(), 1), 8_000);
    const wanda = await t.prisma.identity.findFirstOrThrow({ where: { email: WANDA.email } });
    assert.equal(wanda.slackUserId, WANDA.userId);
  });

  it('/qm history: the call’s comments read back from Flex, one of its answer lists refused', async () => {
    t.flex.failNext(
      twilioErrorAnswer(401, 20003, 'Authenticate', { path: '/v1/Insights/QualityManagement/Assessments' }),
    );
    const command = qmCommand(t, `history ${SEGMENT_ID}`);
    responseUrls.push(String(command.response_url));
    await t.sender.slashCommand(command);
    const open = await t.slack.waitForCall('views.open', (c) => c.args.trigger_id === command.trigger_id);
    const viewId = (open.result.view as { id: string }).id;
    const filled = await t.slack.waitForCall('views.update', (c) => c.args.view_id === viewId);
    const shown = JSON.stringify(filled.args.view);
    assert.ok(shown.includes(COMMENTS.qm) && shown.includes('Could not read'), shown);
    assert.ok(
      logger.matching(/Reading the (own answers|answers) on a call from Flex failed/).length > 0,
      'logger.matching(/Reading the (own answers|answers) on a call from Flex failed/).length > 0',
    );
  });

  /** `/qm score` on the call, through the form's steps to Submit with these answers; Slack's answer to the Submit. */
  async function scoreTheCall(answers: Record<string, string>): Promise<{ responseUrl: string; done: Json }> {
    const command = qmCommand(t, `score ${SEGMENT_ID} 0:42`);
    responseUrls.push(String(command.response_url));
    await t.sender.slashCommand(command);
    const open = await t.slack.waitForCall('views.open', (c) => c.args.trigger_id === command.trigger_id);
    const viewId = (open.result.view as { id: string }).id;
    await t.slack.waitForCall('views.update', (c) => c.args.view_id === viewId);
    const submit = async (values: Record<string, string>) => {
      const answer = await t.sender.interaction(
        viewSubmissionPayload({ view: t.slack.currentView(viewId), values, user: rita, team }),
      );
      const body = (answer.json ?? {}) as { response_action?: string; view?: Json };
      if (body.response_action === 'update') {
        // As Slack applies an `update` answer: the fake's views.update, with the bot's token.
        await fetch(`${t.slack.apiUrl}views.update`, {
          method: 'POST',
          headers: { authorization: `Bearer ${BOT_TOKEN}`, 'content-type': 'application/json; charset=utf-8' },
          body: JSON.stringify({ view_id: viewId, view: body.view }),
        });
      }
      return body;
    };
    await submit({});
    return { responseUrl: String(command.response_url), done: (await submit(answers)) as Json };
  }

  it('/qm score: a three-question scorecard with a closing comment, to Flex and the confirmation', async () => {
    t.flex.setScorecardCatalog(scorecardCatalog([{ name: 'Privacy Check', questions: 3, number: 1 }]));
    await new QuestionnaireRepository(t.prisma).syncFromFlex(
      await t.flexClient.listQuestionnaires({ includeInactive: true }),
      await t.flexClient.fetchAnswerSets(),
      null,
    );
    const { responseUrl, done } = await scoreTheCall({
      q0: '0',
      q1: '0',
      q2: '0',
      score_comment: COMMENTS.score,
      score_comment_category: CATEGORY.id,
    });
    assert.equal((done as { response_action?: string }).response_action, 'update', JSON.stringify(done));
    await eventually(() => assert.equal(t.flex.scorecards.answers.length, 3), 10_000);
    await eventually(
      () =>
        assert.ok(
          t.flex.comments.some((c) => c.comment.comment === COMMENTS.score),
          'the closing comment reached Flex',
        ),
      10_000,
    );
    await eventually(
      () =>
        assert.ok(
          t.slack.responsesTo(responseUrl).some((r) => JSON.stringify(r.body).includes('Privacy Check')),
          'the reviewer was told the score',
        ),
      10_000,
    );
  });

  it('/qm score: the closing comment’s save fails with a Prisma error quoting it; the line says what failed, not the words', async () => {
    // The real client's error for a write it refuses: Prisma quotes the whole call, the comment included.
    const refused = mock.method(AssessmentRepository.prototype, 'createPending', async (draft: { comment: string }) => {
      await t.prisma.assessment.create({ data: { comment: draft.comment } as never });
      throw new Error('Prisma took a create without its required fields');
    });
    let done: Json;
    try {
      ({ done } = await scoreTheCall({
        q0: '1',
        q1: '1',
        q2: '1',
        score_comment: COMMENTS.unsaved,
        score_comment_category: CATEGORY.id,
      }));
    } finally {
      refused.mock.restore();
    }
    assert.equal(refused.mock.callCount(), 1);
    assert.match(JSON.stringify(done), /database did not answer, so the comment was not saved/);
    const lines = logger.matching(/Could not save the comment of scorecard/, 'error');
    assert.equal(lines.length, 1, logger.text());
    for (const line of logger.lines) {
      assert.ok(!line.text.includes(COMMENTS.unsaved), `a log line holds the closing comment: ${line.text}`);
    }
    // What was wrong is still there: Prisma's reason, the last line of its message.
    const err = lines[0]?.record.err as { type?: string; message?: string } | undefined;
    assert.equal(err?.type, 'PrismaClientValidationError');
    assert.match(String(err?.message), /^Argument `\w+` is missing\.$/);
  });

  it('logged every delivery attempt and the sync, with none of the secrets or personal values', () => {
    const attempts = logger.withFields({ event: 'delivery_attempt' });
    assert.ok(
      attempts.some((line) => line.record.result === 'will_retry' && line.record.httpStatus === 503),
      "attempts.some((line) => line.record.result === 'will_retry' && line.record.httpStatus =…",
    );
    assert.ok(
      attempts.some((line) => line.record.result === 'rejected' && line.record.twilioErrorCode === 20001),
      "attempts.some((line) => line.record.result === 'rejected' && line.record.twilioErrorCod…",
    );
    assert.ok(
      attempts.filter((line) => line.record.result === 'posted').length >= 4,
      "attempts.filter((line) => line.record.result === 'posted').length >= 4",
    );
    assert.equal(logger.withFields({ event: 'identity_sync' }).length, 1);
    assert.ok(logger.matching(/http request body/).length > 10, 'the Web API client’s debug lines were captured');

    const basic = Buffer.from(`${t.flex.accountSid}:${t.flex.authToken}`).toString('base64');
    assertNothingLogged(logger, {
      'bot token': BOT_TOKEN,
      'signing secret': SIGNING_SECRET,
      'Flex auth token': t.flex.authToken,
      'basic-auth header value': basic,
      'reviewer’s own Flex Authorization': OWN_AUTHORIZATION.slice('Token '.length),
      SECRETS_KEY: SECRETS_KEY.toString('base64'),
      ...Object.fromEntries(Object.entries(COMMENTS).map(([flow, text]) => [`comment (${flow})`, text])),
      'reviewer email': REVIEWER.email,
      'reviewer name': REVIEWER.name,
      'admin email': ADMIN.email,
      'admin name': ADMIN.name,
      'linked person’s Slack email': LENA.slackEmail,
      'linked person’s Flex email': LENA.flexEmail,
      'linked person’s name': 'Lena Privatlink',
      'synced worker’s email': WANDA.email,
      'synced worker’s name': WANDA.name,
      'agent name': 'Alex Agent',
      ...Object.fromEntries(responseUrls.map((url, i) => [`response_url ${i + 1}`, url])),
    });
  });
});

describe('the log of an OAuth install at debug level holds no client secret, token or personal value', () => {
  const logger = new CaptureLogger();
  let t: OAuthTestApp;
  before(async () => {
    t = await startOAuthTestApp({ logger });
  });
  after(async () => {
    await t.close();
  });

  it('installs, comments, and logs none of it', async () => {
    assert.equal((await install(t, ACME)).status, 200);
    await linkReviewer(t, ACME, new IdentityRepository(t.prisma, createSecretBox(SECRETS_KEY)));
    const command = slashCommandFields({
      command: '/qm',
      text: SEGMENT_ID,
      userId: ACME.reviewer.userId,
      teamId: ACME.teamId,
      channelId: ACME.channel.id,
      channelName: ACME.channel.name,
      triggerId: t.slack.issueTriggerId({ teamId: ACME.teamId }),
      responseUrl: t.slack.newResponseUrl({ teamId: ACME.teamId }),
    });
    assert.equal((await t.sender.slashCommand(command)).status, 200);
    const open = await t.slack.waitForCall('views.open', (call) => call.args.trigger_id === command.trigger_id);
    const viewId = String((open.result.view as { id: string }).id);
    await t.slack.waitForCall('views.update', (call) => call.args.view_id === viewId);
    await t.sender.interaction(
      viewSubmissionPayload({
        view: t.slack.currentView(viewId),
        values: { category: CATEGORY.id, comment: COMMENTS.oauth },
        user: { id: ACME.reviewer.userId, name: 'reviewer', teamId: ACME.teamId },
        team: { id: ACME.teamId, domain: 'acme' },
      }),
    );
    await eventually(async () => {
      const row = await t.prisma.assessment.findFirstOrThrow();
      assert.equal(row.status, 'posted');
    }, 8_000);

    const exchange = t.slack.calls('oauth.v2.access')[0];
    const botToken = String(exchange?.result.access_token ?? '');
    assert.match(botToken, /^xoxb-/);
    assert.ok(logger.matching(/oauth\.v2\.access/).length > 0, 'the code exchange was logged');
    assertNothingLogged(
      logger,
      {
        'client secret': CLIENT_SECRET,
        'state secret': STATE_SECRET,
        'installed bot token': botToken,
        'reviewer’s Flex token': ACME.reviewer.flexToken,
        comment: COMMENTS.oauth,
        'reviewer email': ACME.reviewer.email,
        'reviewer name': ACME.reviewer.name,
        response_url: String(command.response_url),
      },
      40,
    );
  });
});

/** Searches the raw lines and their parsed values (JSON escapes could hide a value from a plain search). */
function assertNothingLogged(logger: CaptureLogger, values: Record<string, string>, minLines = 100): void {
  const raw = logger.text();
  const decoded = logger.lines.map((line) => JSON.stringify(line.record, null, 0).replace(/\\"/g, '"')).join('\n');
  assert.ok(logger.lines.length > minLines, `captured ${logger.lines.length} lines`);
  for (const [name, value] of Object.entries(values)) {
    assert.ok(value.length >= 8, `${name} is long enough to search for`);
    for (const text of [raw, decoded]) {
      const at = text.indexOf(value);
      assert.equal(
        at,
        -1,
        `the ${name} appears in the log:\n${text.slice(Math.max(0, at - 400), at + value.length + 100)}`,
      );
    }
  }
}
