import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { IdentityRepository } from '../../src/db/repositories/identity-repository.js';
import { createSecretBox } from '../../src/security/secret-box.js';
import type { OAuthTestApp, TestTeam } from '../helpers/oauth-test-app.js';
import {
  ACME,
  browserGet,
  CLIENT_ID,
  GLOBEX,
  install,
  linkReviewer,
  PUBLIC_REDIRECT,
  startOAuthTestApp,
} from '../helpers/oauth-test-app.js';
import { testSecretsKey } from '../helpers/secrets-keys.js';
import { slashCommandFields, viewSubmissionPayload } from '../helpers/slack-payloads.js';
import { CATEGORY, eventually, SEGMENT_ID, TEST_DATABASE } from '../helpers/test-app.js';

const identitiesOf = (t: OAuthTestApp) => new IdentityRepository(t.prisma, createSecretBox(testSecretsKey(7)));

/** `/qm <text>` typed by `userId` in the team's #qa, as that team's Slack sends it. */
function qm(t: OAuthTestApp, team: TestTeam, text: string, userId = team.reviewer.userId) {
  return slashCommandFields({
    command: '/qm',
    text,
    userId,
    teamId: team.teamId,
    channelId: team.channel.id,
    channelName: team.channel.name,
    triggerId: t.slack.issueTriggerId({ teamId: team.teamId }),
    responseUrl: t.slack.newResponseUrl({ teamId: team.teamId }),
  });
}

/** The whole reviewer story in one team: /qm, the modal shows the call, submit; returns the response_url. */
async function comment(
  t: OAuthTestApp,
  team: TestTeam,
  text: string,
): Promise<{ responseUrl: string; viewId: string }> {
  const command = qm(t, team, SEGMENT_ID);
  assert.equal((await t.sender.slashCommand(command)).status, 200);
  const open = await t.slack.waitForCall('views.open', (call) => call.args.trigger_id === command.trigger_id);
  assert.equal(open.result.ok, true, JSON.stringify(open.result));
  assert.equal(open.teamId, team.teamId, 'the modal opens with the team’s own token');
  const viewId = String((open.result.view as { id: string }).id);
  await t.slack.waitForCall('views.update', (call) => call.args.view_id === viewId);
  const submitted = await t.sender.interaction(
    viewSubmissionPayload({
      view: t.slack.currentView(viewId),
      values: { category: CATEGORY.id, comment: text },
      user: { id: team.reviewer.userId, name: 'reviewer', teamId: team.teamId },
      team: { id: team.teamId, domain: team.teamId.toLowerCase() },
    }),
  );
  assert.equal(submitted.status, 200);
  return { responseUrl: command.response_url ?? '', viewId };
}

function eventEnvelope(team: TestTeam, event: Record<string, unknown>, id: string) {
  return {
    token: 'deprecated-verification-token',
    team_id: team.teamId,
    api_app_id: 'A0FLEXQM01',
    type: 'event_callback',
    event_id: id,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      { enterprise_id: null, team_id: team.teamId, user_id: 'U0BOT', is_bot: true, is_enterprise_install: false },
    ],
    event,
  };
}

describe('installing into many workspaces by OAuth', () => {
  let t: OAuthTestApp;
  before(async () => {
    t = await startOAuthTestApp();
  });
  after(async () => {
    await t.close();
  });

  it('installs through /slack/install and /slack/oauth_redirect and stores the bot token sealed', async () => {
    assert.equal((await browserGet(`${t.baseUrl}/healthz`)).status, 200, 'health is served beside the install');
    const start = await browserGet(`${t.baseUrl}/slack/install`);
    assert.equal(start.status, 302);
    const authorize = new URL(start.location ?? '');
    assert.equal(authorize.origin + authorize.pathname, 'https://slack.com/oauth/v2/authorize');
    assert.equal(authorize.searchParams.get('client_id'), CLIENT_ID);
    assert.equal(authorize.searchParams.get('redirect_uri'), PUBLIC_REDIRECT);
    assert.deepEqual(authorize.searchParams.get('scope')?.split(',').sort(), [
      'channels:read',
      'chat:write',
      'commands',
      'files:write',
      'groups:read',
      'links:read',
      'links:write',
      'usergroups:read',
      'users:read',
      'users:read.email',
    ]);
    const state = authorize.searchParams.get('state') ?? '';
    assert.ok(state.length > 20, 'a state is sent');
    const cookie = start.setCookie.find((c) => c.startsWith('slack-app-oauth-state='));
    assert.ok(cookie?.includes(state) && /HttpOnly/.test(cookie), 'the state is also kept in an HttpOnly cookie');

    // Slack sends the browser back; without the state cookie (another browser) the install is refused.
    const back = new URL(t.slack.approveInstall(authorize.toString(), { teamId: ACME.teamId, userId: ACME.installer }));
    const forged = await browserGet(`${t.baseUrl}${back.pathname}${back.search}`);
    assert.equal(forged.status, 400);
    assert.match(forged.body, /not installed[\s\S]*Start again from/);
    assert.equal(t.slack.calls('oauth.v2.access').length, 0, 'no code is exchanged for a forged state');

    const done = await browserGet(`${t.baseUrl}${back.pathname}${back.search}`, `slack-app-oauth-state=${state}`);
    assert.equal(done.status, 200, done.body);
    assert.match(done.body, /Flex QM is installed in Acme Support/);
    const exchange = t.slack.calls('oauth.v2.access')[0];
    assert.equal(exchange?.args.redirect_uri, PUBLIC_REDIRECT);
    assert.equal(exchange?.result.ok, true);

    // The same redirect again (a reload): the code is single-use, nothing changes.
    const reload = await browserGet(`${t.baseUrl}${back.pathname}${back.search}`, `slack-app-oauth-state=${state}`);
    assert.notEqual(reload.status, 200);

    const token = t.slack.botTokenOf(ACME.teamId) ?? '';
    assert.match(token, /^xoxb-/);
    const rows = await t.prisma.$queryRawUnsafe<Array<Record<string, unknown>>>('SELECT * FROM "Installation"');
    assert.equal(rows.length, 1);
    const raw = JSON.stringify(rows);
    assert.ok(!raw.includes(token), 'no plaintext token in the row');
    assert.equal(rows[0]?.id, ACME.teamId);
    assert.equal(rows[0]?.botUserId, t.slack.botUserOf(ACME.teamId));
    assert.match(String(rows[0]?.botTokenSealed), /^v1\./);
    if (TEST_DATABASE === 'sqlite') {
      const file = t.databaseUrl.slice('file:'.length);
      for (const path of [file, `${file}-wal`]) {
        if (existsSync(path)) assert.ok(!readFileSync(path).includes(token), `no plaintext token in ${path}`);
      }
    }
    // The new workspace got Flex's categories at once.
    const categories = await t.prisma.category.findMany({ where: { slackTeamId: ACME.teamId } });
    assert.deepEqual(
      categories.map((c) => c.flexCategoryId).sort(),
      [CATEGORY.id, '9c1b7e2a-0d3f-4a5b-8c6d-7e8f9a0b1c2d'].sort(),
    );
  });

  it('serves two workspaces at once, each with its own token, identities and categories', async () => {
    assert.equal((await install(t, GLOBEX)).status, 200);
    const identities = identitiesOf(t);
    await linkReviewer(t, ACME, identities);
    await linkReviewer(t, GLOBEX, identities);
    // A category only Globex has, added by hand.
    await t.prisma.category.create({
      data: {
        id: `${GLOBEX.teamId}:globex-only`,
        flexCategoryId: 'globex-only',
        slackTeamId: GLOBEX.teamId,
        name: 'Sales Pitch',
        source: 'manual',
      },
    });
    // Each workspace announces in its own channel (a channel id means nothing in the other workspace).
    for (const team of [ACME, GLOBEX]) {
      await t.prisma.category.update({
        where: { id: `${team.teamId}:${CATEGORY.id}` },
        data: { notifyChannelId: team.channel.id },
      });
    }
    await t.app.catalog.refresh();

    const [acme, globex] = await Promise.all([comment(t, ACME, 'From Acme'), comment(t, GLOBEX, 'From Globex')]);
    const rows = await eventually(async () => {
      const all = await t.prisma.assessment.findMany({ orderBy: { comment: 'asc' } });
      assert.deepEqual(
        all.map((a) => a.status),
        ['posted', 'posted'],
      );
      return all;
    });
    assert.deepEqual(
      rows.map((a) => [a.comment, a.slackTeamId, a.slackWorkspaceId]),
      [
        ['From Acme', ACME.teamId, ACME.teamId],
        ['From Globex', GLOBEX.teamId, GLOBEX.teamId],
      ],
    );
    // Each comment reached Flex as its own reviewer.
    const byAuthor = t.flex.requests
      .filter((r) => r.method === 'POST')
      .map((r) => [r.headers.authorization, new URLSearchParams(r.rawBody).get('Comment')])
      .sort();
    assert.deepEqual(
      byAuthor,
      [
        [ACME.reviewer.flexToken, 'From Acme'],
        [GLOBEX.reviewer.flexToken, 'From Globex'],
      ].sort(),
    );
    // Each confirmation went where the command ran, and every Web API call used that team's token.
    assert.match(JSON.stringify((await t.slack.waitForResponse(acme.responseUrl)).body), /posted/i);
    assert.match(JSON.stringify((await t.slack.waitForResponse(globex.responseUrl)).body), /posted/i);
    for (const [team, opened] of [
      [ACME, acme],
      [GLOBEX, globex],
    ] as const) {
      // The modal's "posted" update and the announcement are sent after Flex answered, outside the
      // request: with the token of the assessment's workspace, looked up in the installation store.
      const updates = t.slack.calls('views.update').filter((c) => c.args.view_id === opened.viewId);
      assert.ok(updates.length >= 2, 'updates.length >= 2');
      for (const update of updates) assert.equal(update.teamId, team.teamId);
      const announced = await t.slack.waitForMessage(team.channel.id, () => true, undefined, team.teamId);
      assert.match(JSON.stringify(announced), team === ACME ? /From Acme/ : /From Globex/);
      const post = t.slack.calls('chat.postMessage').find((c) => c.args.channel === team.channel.id);
      assert.equal(post?.teamId, team.teamId);
      assert.equal(post?.result.ok, true);
    }

    // Globex's own category shows in Globex's modal only.
    const modals = t.slack.calls('views.open');
    const acmeModal = JSON.stringify(modals.find((c) => c.teamId === ACME.teamId)?.args.view);
    const globexModal = JSON.stringify(modals.find((c) => c.teamId === GLOBEX.teamId)?.args.view);
    assert.ok(globexModal.includes('Sales Pitch'), "globexModal.includes('Sales Pitch')");
    assert.ok(!acmeModal.includes('Sales Pitch'), 'Acme does not see Globex’s category');

    // Acme's reviewer is nobody in Globex: the same user id from Globex is not mapped there.
    t.slack.addUser({ id: ACME.reviewer.userId, name: 'lookalike', teamId: GLOBEX.teamId });
    const stranger = qm(t, GLOBEX, SEGMENT_ID, ACME.reviewer.userId);
    assert.equal((await t.sender.slashCommand(stranger)).status, 200);
    const refusal = await t.slack.waitForResponse(stranger.response_url ?? '');
    assert.match(JSON.stringify(refusal.body), /not linked|no Flex identity|not mapped/i);
  });

  it('forgets a workspace that uninstalls the app and refuses its later requests politely', async () => {
    t.slack.uninstall(GLOBEX.teamId);
    const sent = await t.sender.event(
      eventEnvelope(GLOBEX, { type: 'app_uninstalled', event_ts: `${Date.now() / 1000}` }, 'Ev0UNINST1'),
    );
    assert.equal(sent.status, 200);
    await eventually(async () => assert.equal(await t.prisma.installation.count({ where: { id: GLOBEX.teamId } }), 0));
    assert.equal(await t.prisma.installation.count({ where: { id: ACME.teamId } }), 1, 'Acme keeps its install');

    const later = qm(t, GLOBEX, SEGMENT_ID);
    const answer = await t.sender.slashCommand(later);
    assert.equal(answer.status, 200);
    const told = await t.slack.waitForResponse(later.response_url ?? '');
    assert.match(
      String(told.body.text),
      /not installed in this Slack workspace.*install it at https:\/\/qm\.example\.test\/slack\/install/,
    );
    assert.equal(
      t.slack.calls('views.open').filter((c) => c.args.trigger_id === later.trigger_id).length,
      0,
      'no modal opens',
    );
  });

  it('removes the installation whose bot token tokens_revoked names, and keeps it for a user token', async () => {
    const acmeBot = t.slack.botUserOf(ACME.teamId);
    const userOnly = await t.sender.event(
      eventEnvelope(ACME, { type: 'tokens_revoked', tokens: { oauth: [ACME.installer] } }, 'Ev0REVOKE1'),
    );
    assert.equal(userOnly.status, 200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(await t.prisma.installation.count({ where: { id: ACME.teamId } }), 1);

    const bot = await t.sender.event(
      eventEnvelope(ACME, { type: 'tokens_revoked', tokens: { bot: [acmeBot] } }, 'Ev0REVOKE2'),
    );
    assert.equal(bot.status, 200);
    await eventually(async () => assert.equal(await t.prisma.installation.count(), 0));
  });
});

describe('token rotation', () => {
  let t: OAuthTestApp;
  before(async () => {
    t = await startOAuthTestApp({ tokenRotation: true });
  });
  after(async () => {
    await t.close();
  });

  it('refreshes an expired bot token with its refresh token, stores the new one sealed, and goes on', async () => {
    assert.equal((await install(t, ACME)).status, 200);
    await linkReviewer(t, ACME, identitiesOf(t));
    const first = t.slack.botTokenOf(ACME.teamId) ?? '';
    assert.match(first, /^xoxe\.xoxb-/);
    const stored = await t.prisma.installation.findUniqueOrThrow({ where: { id: ACME.teamId } });
    assert.ok(stored.botRefreshTokenSealed?.startsWith('v1.'), 'the refresh token is sealed');
    assert.ok((stored.botTokenExpiresAt?.getTime() ?? 0) > Date.now() + 11 * 3_600_000, 'expires in 12 hours');

    // Twelve hours later: Slack refuses the token, and the app knows it has expired.
    t.slack.expireTokensOf(ACME.teamId);
    await t.prisma.installation.update({
      where: { id: ACME.teamId },
      data: { botTokenExpiresAt: new Date(Date.now() - 1_000) },
    });

    const { responseUrl } = await comment(t, ACME, 'After rotation');
    const refresh = t.slack.calls('oauth.v2.access').find((c) => c.args.grant_type === 'refresh_token');
    assert.equal(refresh?.result.ok, true);
    const second = t.slack.botTokenOf(ACME.teamId) ?? '';
    assert.notEqual(second, first);
    await eventually(async () => assert.equal((await t.prisma.assessment.findFirstOrThrow()).status, 'posted'));
    await t.slack.waitForResponse(responseUrl);
    const rotated = await t.prisma.installation.findUniqueOrThrow({ where: { id: ACME.teamId } });
    assert.notEqual(rotated.botTokenSealed, stored.botTokenSealed);
    assert.notEqual(rotated.botRefreshTokenSealed, stored.botRefreshTokenSealed);
    assert.ok(
      (rotated.botTokenExpiresAt?.getTime() ?? 0) > Date.now() + 11 * 3_600_000,
      '(rotated.botTokenExpiresAt?.getTime() ?? 0) > Date.now() + 11 * 3_600_000',
    );
    assert.ok(!JSON.stringify(rotated).includes(second), 'the new token is sealed too');
    const usedTokens = new Set(
      t.slack
        .calls()
        .filter((c) => c.teamId === ACME.teamId && c.at > (refresh?.at ?? 0))
        .map((c) => c.headers.authorization),
    );
    assert.deepEqual([...usedTokens], [`Bearer ${second}`], 'after the refresh only the new token is used');
    assert.equal(
      t.slack.calls().filter((c) => c.result.error === 'token_expired').length,
      0,
      'the app refreshed before Slack had to refuse it',
    );
  });

  it('refreshes once when many requests of one workspace arrive together with an expiring token', async () => {
    const before = t.slack.calls('oauth.v2.access').length;
    t.slack.expireTokensOf(ACME.teamId);
    await t.prisma.installation.update({
      where: { id: ACME.teamId },
      data: { botTokenExpiresAt: new Date(Date.now() - 1_000) },
    });
    const commands = Array.from({ length: 6 }, () => qm(t, ACME, 'help'));
    const answers = await Promise.all(commands.map((command) => t.sender.slashCommand(command)));
    for (const answer of answers) {
      assert.equal(answer.status, 200);
      assert.match(answer.text, /segment id|call link/i, 'each gets the usage, not a refusal');
    }
    const refreshes = t.slack.calls('oauth.v2.access').slice(before);
    assert.equal(refreshes.length, 1, 'one refresh for six requests');
    assert.equal(refreshes[0]?.result.ok, true);
  });
});
