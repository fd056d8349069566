import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { IdentityRepository } from '../../src/db/repositories/identity-repository.js';
import { browserGet, installOrgWide, type OAuthTestApp, startOAuthTestApp } from '../helpers/oauth-test-app.js';
import { type SlackGridRef, slashCommandFields, viewSubmissionPayload } from '../helpers/slack-payloads.js';
import { CATEGORY, eventually, SEGMENT_ID } from '../helpers/test-app.js';

/** An Enterprise Grid org with two workspaces; the app is installed once, for the whole org. */
const ORG = { enterpriseId: 'E0GRID0001', enterpriseName: 'Grid Co', domain: 'gridco', installer: 'W0ORGADMN1' };
const SUPPORT = { teamId: 'T0GRIDSUP1', teamName: 'Grid Support', channel: { id: 'C0GRIDSUP1', name: 'qa' } };
const SALES = { teamId: 'T0GRIDSAL1', teamName: 'Grid Sales', channel: { id: 'C0GRIDSAL1', name: 'qa-sales' } };
type GridTeam = typeof SUPPORT;
/** Grid user ids (W…) are the org's: Rita is a member of both workspaces, Sid of Sales only. */
const RITA = { userId: 'W0GRIDRIT1', email: 'rita@grid.example', name: 'Rita Grid' };
const SID = { userId: 'W0GRIDSID1', email: 'sid@grid.example', name: 'Sid Sales' };
const GRID: SlackGridRef = { enterpriseId: ORG.enterpriseId, enterpriseName: ORG.enterpriseName, orgInstall: true };

function qm(t: OAuthTestApp, team: GridTeam, text: string, userId: string) {
  return slashCommandFields({
    command: '/qm',
    text,
    userId,
    teamId: team.teamId,
    teamDomain: team.teamName.toLowerCase().replace(' ', '-'),
    channelId: team.channel.id,
    channelName: team.channel.name,
    enterpriseId: ORG.enterpriseId,
    isEnterpriseInstall: true,
    triggerId: t.slack.issueTriggerId({ teamId: team.teamId }),
    responseUrl: t.slack.newResponseUrl({ teamId: team.teamId }),
  });
}

/** An Events API envelope from one of the org's workspaces, authorized for the org-wide install. */
function orgEvent(t: OAuthTestApp, team: GridTeam, event: Record<string, unknown>, id: string) {
  return {
    token: 'deprecated-verification-token',
    team_id: team.teamId,
    enterprise_id: ORG.enterpriseId,
    api_app_id: 'A0FLEXQM01',
    type: 'event_callback',
    event_id: id,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      {
        enterprise_id: ORG.enterpriseId,
        team_id: null,
        user_id: t.slack.botUserOf(ORG.enterpriseId),
        is_bot: true,
        is_enterprise_install: true,
      },
    ],
    is_ext_shared_channel: false,
    event,
  };
}

/** /qm on the call in one of the org's workspaces, then the form submitted; returns the command's response_url. */
async function comment(t: OAuthTestApp, team: GridTeam, who: typeof RITA, text: string): Promise<string> {
  const command = qm(t, team, SEGMENT_ID, who.userId);
  assert.equal((await t.sender.slashCommand(command)).status, 200);
  const open = await t.slack.waitForCall('views.open', (call) => call.args.trigger_id === command.trigger_id);
  assert.equal(open.result.ok, true, JSON.stringify(open.result));
  const viewId = String((open.result.view as { id: string }).id);
  await t.slack.waitForCall('views.update', (call) => call.args.view_id === viewId);
  const submitted = await t.sender.interaction(
    viewSubmissionPayload({
      view: t.slack.currentView(viewId),
      values: { category: CATEGORY.id, comment: text },
      user: { id: who.userId, name: who.name, teamId: team.teamId },
      team: { id: team.teamId, domain: team.teamName.toLowerCase() },
      grid: GRID,
    }),
  );
  assert.equal(submitted.status, 200);
  return command.response_url ?? '';
}

describe('an org-wide install into an Enterprise Grid org', () => {
  let t: OAuthTestApp;
  let orgToken: string;
  before(async () => {
    t = await startOAuthTestApp({ orgDeploy: true });
    t.slack.addEnterprise({ enterpriseId: ORG.enterpriseId, enterpriseName: ORG.enterpriseName, domain: ORG.domain });
    for (const team of [SUPPORT, SALES]) {
      t.slack.addTeam({ teamId: team.teamId, teamName: team.teamName, enterpriseId: ORG.enterpriseId });
      t.slack.addChannel({ ...team.channel, isMember: true }, team.teamId);
      t.slack.addUser({ id: RITA.userId, name: 'rita', email: RITA.email, teamId: team.teamId });
    }
    t.slack.addUser({ id: SID.userId, name: 'sid', email: SID.email, teamId: SALES.teamId });
  });
  after(async () => {
    await t.close();
  });

  it('installs once for the whole org: stored under the org id, with the org’s categories', async () => {
    const done = await installOrgWide(t, ORG);
    assert.equal(done.status, 200, done.body);
    assert.match(done.body, /installed in every workspace of Grid Co/);
    assert.match(done.body, /npm run identities -- add --workspace E0GRID0001 .*--role admin/);
    assert.match(done.body, /npm run identities -- sync --workspace E0GRID0001/);
    assert.match(done.body, /npm run categories -- sync --workspace E0GRID0001/);
    orgToken = t.slack.botTokenOf(ORG.enterpriseId) ?? '';
    assert.match(orgToken, /^xoxb-/);
    const row = await t.prisma.installation.findUniqueOrThrow({ where: { id: ORG.enterpriseId } });
    assert.equal(row.isEnterpriseInstall, true);
    assert.equal(row.teamId, null);
    assert.equal(row.enterpriseName, ORG.enterpriseName);
    assert.equal(row.enterpriseUrl, 'https://gridco.enterprise.slack.com/');
    assert.equal(row.botUserId, t.slack.botUserOf(ORG.enterpriseId));
    const categories = await t.prisma.category.findMany({ where: { slackTeamId: ORG.enterpriseId } });
    assert.equal(categories.length, 2, 'the org got Flex’s categories at once');
    assert.equal(await t.prisma.category.count({ where: { slackTeamId: { in: [SUPPORT.teamId, SALES.teamId] } } }), 0);
  });

  it('serves both of the org’s workspaces with the org’s token, people and categories', async () => {
    const identities = new IdentityRepository(t.prisma);
    for (const who of [RITA, SID]) {
      await identities.upsertByEmail({
        workspaceId: ORG.enterpriseId,
        email: who.email,
        flexUserName: who.name,
        role: 'reviewer',
      });
    }
    // Someone of the org whose email is only a person of another workspace is nobody here.
    await identities.upsertByEmail({ workspaceId: 'T0ACME0001', email: 'nobody@grid.example', flexUserName: 'N' });

    const fromSupport = await comment(t, SUPPORT, RITA, 'From Support');
    // Rita, linked when she first used it in Support, is the same person in Sales (one Grid user id).
    const fromSales = await comment(t, SALES, RITA, 'From Sales');
    const bySid = await comment(t, SALES, SID, 'Sid in Sales');
    const rows = await eventually(async () => {
      const all = await t.prisma.assessment.findMany({ orderBy: { comment: 'asc' } });
      assert.deepEqual(
        all.map((a) => a.status),
        ['posted', 'posted', 'posted'],
      );
      return all;
    });
    assert.deepEqual(
      rows.map((a) => [a.comment, a.slackTeamId, a.slackWorkspaceId]),
      [
        ['From Sales', SALES.teamId, ORG.enterpriseId],
        ['From Support', SUPPORT.teamId, ORG.enterpriseId],
        ['Sid in Sales', SALES.teamId, ORG.enterpriseId],
      ],
    );
    const people = await t.prisma.identity.findMany({
      where: { slackWorkspaceId: ORG.enterpriseId },
      orderBy: { email: 'asc' },
    });
    assert.deepEqual(
      people.map((p) => [p.email, p.slackUserId, p.slackTeamId]),
      [
        [RITA.email, RITA.userId, SUPPORT.teamId],
        [SID.email, SID.userId, SALES.teamId],
      ],
    );
    assert.equal(new Set(rows.map((a) => a.reviewerId)).size, 2, 'Rita’s two comments are one identity’s');
    for (const url of [fromSupport, fromSales, bySid]) {
      assert.match(JSON.stringify((await t.slack.waitForResponse(url)).body), /posted/i);
    }

    // Every Web API call in the org's workspaces went with the org's token, in the right workspace.
    const orgCalls = t.slack.calls().filter((c) => c.teamId === SUPPORT.teamId || c.teamId === SALES.teamId);
    assert.ok(orgCalls.length >= 9, 'orgCalls.length >= 9');
    for (const call of orgCalls) {
      assert.equal(call.headers.authorization, `Bearer ${orgToken}`, `${call.method} used the org’s token`);
      assert.equal(call.enterpriseId, ORG.enterpriseId);
    }
    const opened = t.slack.calls('views.open').map((c) => c.teamId);
    assert.deepEqual(opened, [SUPPORT.teamId, SALES.teamId, SALES.teamId]);
    for (const call of t.slack.calls('views.open')) {
      assert.match(JSON.stringify(call.args.view), new RegExp(CATEGORY.name), 'the org’s categories are offered');
    }
    const who = qm(t, SALES, 'whoami', RITA.userId);
    const answer = await t.sender.slashCommand(who);
    assert.equal(answer.status, 200);
    assert.match(JSON.stringify((await t.slack.waitForResponse(who.response_url ?? '')).body), /rita@grid\.example/);
  });

  it('forgets the org when the org’s bot token is revoked (tokens_revoked), and when it uninstalls the app', async () => {
    const bot = t.slack.botUserOf(ORG.enterpriseId);
    const revoked = await t.sender.event(
      orgEvent(t, SALES, { type: 'tokens_revoked', tokens: { bot: [bot] } }, 'Ev0ORGREV01'),
    );
    assert.equal(revoked.status, 200);
    await eventually(async () => assert.equal(await t.prisma.installation.count(), 0));

    // Installed again, then removed from the org: app_uninstalled, sent from one of its workspaces.
    assert.equal((await installOrgWide(t, ORG)).status, 200);
    assert.equal(await t.prisma.installation.count({ where: { id: ORG.enterpriseId } }), 1);
    t.slack.uninstall(ORG.enterpriseId);
    const sent = await t.sender.event(
      orgEvent(t, SUPPORT, { type: 'app_uninstalled', event_ts: `${Date.now() / 1000}` }, 'Ev0ORGUNI01'),
    );
    assert.equal(sent.status, 200);
    await eventually(async () => assert.equal(await t.prisma.installation.count(), 0));
    // The org's people and their comments stay.
    assert.equal(await t.prisma.identity.count({ where: { slackWorkspaceId: ORG.enterpriseId } }), 2);
    assert.equal(await t.prisma.assessment.count(), 3);

    const later = qm(t, SALES, SEGMENT_ID, SID.userId);
    assert.equal((await t.sender.slashCommand(later)).status, 200);
    const told = await t.slack.waitForResponse(later.response_url ?? '');
    assert.match(String(told.body.text), /not installed in this Slack workspace/);
    assert.equal((await browserGet(`${t.baseUrl}/healthz`)).status, 200);
  });
});
