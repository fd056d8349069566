import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { IdentityRepository } from '../../src/db/repositories/identity-repository.js';
import { createSecretBox } from '../../src/security/secret-box.js';
import type { RecordedCall } from '../fakes/fake-slack-api.js';
import { FakeTaskRouterApi } from '../fakes/fake-taskrouter-api.js';
import {
  ACME,
  GLOBEX,
  install,
  type OAuthTestApp,
  oauthCliEnv,
  SECRETS_KEY_BASE64,
  startOAuthTestApp,
  type TestTeam,
} from '../helpers/oauth-test-app.js';
import { runCli } from '../helpers/run-cli.js';
import { blockActionsPayload, slashCommandFields } from '../helpers/slack-payloads.js';
import { SEGMENT_ID } from '../helpers/test-app.js';

/** One email, a person in each workspace: two Slack users, two Flex identities. */
const SAM = { email: 'sam@shared.example', acmeUser: 'U0ACMESAM1', globexUser: 'U0GLBXSAM1' };
const WANDA = { email: 'wanda@acme.example', userId: 'U0ACMEWAN1' };

function qm(t: OAuthTestApp, team: TestTeam, text: string, userId: string) {
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

/** Types `/qm <text>` as the user and returns what the app answered privately. */
async function ask(t: OAuthTestApp, team: TestTeam, text: string, userId: string): Promise<string> {
  const command = qm(t, team, text, userId);
  const ack = await t.sender.slashCommand(command);
  assert.equal(ack.status, 200);
  if (ack.text.trim() !== '') return ack.text;
  return JSON.stringify((await t.slack.waitForResponse(command.response_url ?? '')).body);
}

let eventCount = 0;
function homeOpened(team: TestTeam, userId: string) {
  eventCount += 1;
  return {
    token: 'deprecated-verification-token',
    team_id: team.teamId,
    api_app_id: 'A0FLEXQM01',
    type: 'event_callback',
    event_id: `Ev0PEOPLE${eventCount}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      { enterprise_id: null, team_id: team.teamId, user_id: 'U0BOT', is_bot: true, is_enterprise_install: false },
    ],
    event: {
      type: 'app_home_opened',
      user: userId,
      channel: `D${userId.slice(1)}`,
      tab: 'home',
      event_ts: `${Date.now() / 1000}`,
    },
  };
}

/** `npm run identities -- …` as a deployer runs it against the app's database, in OAuth mode (in this process). */
function cli(t: OAuthTestApp, args: string[]) {
  const taskRouter = t.taskRouter;
  assert.ok(taskRouter, 'taskRouter');
  return runCli('identities', args, {
    env: {
      ...oauthCliEnv(t),
      TASKROUTER_API_BASE_URL: taskRouter.baseUrl,
      TASKROUTER_WORKSPACE_SID: taskRouter.workspaceSid,
    },
  });
}

describe('people per workspace, with workspaces installed by OAuth', () => {
  let t: OAuthTestApp;
  let identities: IdentityRepository;
  before(async () => {
    t = await startOAuthTestApp({ withTaskRouter: true });
    assert.equal((await install(t, ACME)).status, 200);
    assert.equal((await install(t, GLOBEX)).status, 200);
    identities = new IdentityRepository(t.prisma, createSecretBox(Buffer.from(SECRETS_KEY_BASE64, 'base64')));
    t.slack.addUser({ id: SAM.acmeUser, name: 'sam', email: SAM.email, teamId: ACME.teamId });
    t.slack.addUser({ id: SAM.globexUser, name: 'sam', email: SAM.email, teamId: GLOBEX.teamId });
    t.slack.addUser({ id: WANDA.userId, name: 'wanda', email: WANDA.email, teamId: ACME.teamId });
    // Each workspace's installer is its QM admin, in that workspace only.
    for (const team of [ACME, GLOBEX]) {
      await identities.upsertByEmail({
        workspaceId: team.teamId,
        email: `admin@${team.teamId.toLowerCase()}.example`,
        flexUserName: `Admin of ${team.teamName}`,
        slackUserId: team.installer,
        slackTeamId: team.teamId,
        role: 'admin',
      });
    }
  });
  after(async () => {
    await t.close();
  });

  it('keeps the same email in two workspaces as two identities, each linked to its own workspace’s person', async () => {
    await identities.upsertByEmail({
      workspaceId: ACME.teamId,
      email: SAM.email,
      flexUserName: 'Sam of Acme',
      role: 'reviewer',
    });
    await identities.upsertByEmail({
      workspaceId: GLOBEX.teamId,
      email: SAM.email,
      flexUserName: 'Sam of Globex',
      role: 'none',
    });

    // Sam types /qm in Acme: matched by their Slack email to Acme's identity, linked, and the form opens.
    const command = qm(t, ACME, SEGMENT_ID, SAM.acmeUser);
    assert.equal((await t.sender.slashCommand(command)).status, 200);
    const opened = await t.slack.waitForCall('views.open', (c) => c.args.trigger_id === command.trigger_id);
    assert.equal(opened.result.ok, true, JSON.stringify(opened.result));
    // In Globex the same email is Globex's identity, with its own role (none): linked there, and refused.
    const refused = await ask(t, GLOBEX, SEGMENT_ID, SAM.globexUser);
    assert.match(
      refused,
      /your Flex identity \(sam@shared\.example\) does not have the reviewer role.*Your QM admin is <@U0GLBXADM1>\./s,
      'refused by Globex’s role for Sam, naming Globex’s admin only',
    );

    const rows = await t.prisma.identity.findMany({
      where: { email: SAM.email },
      orderBy: { slackWorkspaceId: 'asc' },
    });
    assert.deepEqual(
      rows.map((r) => [r.slackWorkspaceId, r.flexUserName, r.slackTeamId, r.slackUserId, r.role]),
      [
        [ACME.teamId, 'Sam of Acme', ACME.teamId, SAM.acmeUser, 'reviewer'],
        [GLOBEX.teamId, 'Sam of Globex', GLOBEX.teamId, SAM.globexUser, 'none'],
      ],
    );
    assert.match(await ask(t, ACME, 'whoami', SAM.acmeUser), /Sam of Acme/);
    const inGlobex = await ask(t, GLOBEX, 'whoami', SAM.globexUser);
    assert.match(inGlobex, /Sam of Globex/);
    assert.doesNotMatch(inGlobex, /Sam of Acme/);
  });

  it('asks to be linked within the workspace only: another workspace’s people and admins are not seen', async () => {
    await identities.upsertByEmail({ workspaceId: ACME.teamId, email: 'only.acme@example.com', flexUserName: 'Olly' });
    const asker = 'U0GLBXASK1';
    t.slack.addUser({ id: asker, name: 'asker', teamId: GLOBEX.teamId });
    // Acme's identity is not Globex's: the ask reaches no admin of either (the answer is the same as for any email).
    assert.match(await ask(t, GLOBEX, 'link only.acme@example.com', asker), /is with the QM admin/);
    assert.equal(
      [...t.slack.allMessages(ACME.teamId), ...t.slack.allMessages(GLOBEX.teamId)].filter(
        (m) => /asks to be linked/.test(m.text ?? '') && /only\.acme/.test(m.text ?? ''),
      ).length,
      0,
      'no admin was asked about another workspace’s identity',
    );
    assert.match(await ask(t, GLOBEX, 'link only.acme@example.com', asker), new RegExp(`<@${GLOBEX.installer}>`));
    // A workspace without an admin yet is told the command that makes one there.
    await t.prisma.identity.updateMany({
      where: { slackWorkspaceId: GLOBEX.teamId, role: 'admin' },
      data: { role: 'none' },
    });
    assert.match(
      await ask(t, GLOBEX, 'link only.acme@example.com', asker),
      /No QM admin is linked to Slack yet: .*npm run identities -- add --workspace T0GLBX0001 --email EMAIL/,
    );
    await t.prisma.identity.updateMany({
      where: { slackWorkspaceId: GLOBEX.teamId, role: 'none', slackUserId: GLOBEX.installer },
      data: { role: 'admin' },
    });

    await identities.upsertByEmail({
      workspaceId: GLOBEX.teamId,
      email: 'asker@globex.example',
      flexUserName: 'Asker',
    });
    const before = t.slack.calls('chat.postMessage').length;
    assert.match(await ask(t, GLOBEX, 'link asker@globex.example', asker), /is with the QM admin/);
    const dms = t.slack.calls('chat.postMessage').slice(before);
    assert.deepEqual(
      dms.map((c) => [c.teamId, c.args.channel]),
      [[GLOBEX.teamId, GLOBEX.installer]],
      'only Globex’s admin is asked, with Globex’s token',
    );
    const request = await t.prisma.linkRequest.findFirstOrThrow({ where: { slackUserId: asker } });

    // Acme's admin cannot decide it, even with the request's id in a forged button.
    const forged = blockActionsPayload({
      actionId: 'link_approve',
      user: { id: ACME.installer, name: 'admin', teamId: ACME.teamId },
      team: { id: ACME.teamId, domain: 'acme' },
      channel: { id: `D${ACME.installer.slice(1)}`, name: 'directmessage' },
      message: {
        ts: '1700000000.000100',
        type: 'message',
        blocks: [
          {
            type: 'actions',
            block_id: 'decide',
            elements: [
              {
                type: 'button',
                action_id: 'link_approve',
                text: { type: 'plain_text', text: 'Approve' },
                value: request.id,
              },
            ],
          },
        ],
      },
      responseUrl: t.slack.newResponseUrl({ teamId: ACME.teamId }),
    });
    assert.equal((await t.sender.interaction(forged)).status, 200);
    const told = await t.slack.waitForResponse(String(forged.response_url));
    assert.match(JSON.stringify(told.body), /no longer exists; nothing was changed/);
    assert.equal((await t.prisma.linkRequest.findUniqueOrThrow({ where: { id: request.id } })).status, 'pending');
  });

  it('syncs an installed workspace from its Home tab with that workspace’s token, into its own identities', async () => {
    const taskRouter = t.taskRouter;
    assert.ok(taskRouter, 'taskRouter');
    taskRouter.setWorkers([
      FakeTaskRouterApi.worker({ email: WANDA.email, full_name: 'Wanda Worker', agent_id: 'agent-wanda' }),
      FakeTaskRouterApi.worker({ email: GLOBEX.reviewer.email, full_name: GLOBEX.reviewer.name }),
      FakeTaskRouterApi.worker({ email: SAM.email, full_name: 'Sam Shared' }),
    ]);
    const home = await openHome(t, ACME, ACME.installer);
    assert.match(home.text, /"action_id":"identities_sync"/, 'the Sync button is there');
    assert.doesNotMatch(home.text, /SLACK_BOT_TOKEN/, 'and not explained away');

    const lookupsBefore = t.slack.calls('users.lookupByEmail').length;
    const publishedBefore = t.slack.calls('views.publish').length;
    const click = await t.sender.interaction(
      blockActionsPayload({
        actionId: 'identities_sync',
        user: { id: ACME.installer, name: 'admin', teamId: ACME.teamId },
        team: { id: ACME.teamId, domain: 'acme' },
        view: home.view,
      }),
    );
    assert.equal(click.status, 200);
    const done = await t.slack.waitForCall(
      'views.publish',
      (c) =>
        t.slack.calls('views.publish').indexOf(c) >= publishedBefore && /Synced:/.test(JSON.stringify(c.args.view)),
    );
    assert.equal(done.teamId, ACME.teamId);
    // Sam of Acme is linked already; only the other two are looked up, with Acme's token.
    const lookups = t.slack.calls('users.lookupByEmail').slice(lookupsBefore);
    assert.deepEqual(lookups.map((c) => c.args.email).sort(), [GLOBEX.reviewer.email, WANDA.email].sort());
    for (const lookup of lookups) {
      assert.equal(lookup.teamId, ACME.teamId);
      assert.equal(lookup.headers.authorization, `Bearer ${t.slack.botTokenOf(ACME.teamId)}`);
    }
    assert.match(
      JSON.stringify(done.args.view),
      /Synced: added 2, updated 1.*npm run identities -- sync --workspace T0ACME0001 --dry-run/,
    );

    const acme = await identities.list(ACME.teamId);
    const byEmail = new Map(acme.map((i) => [i.email, i]));
    assert.equal(byEmail.get(WANDA.email)?.slackUserId, WANDA.userId, 'Wanda is matched to her Acme user');
    assert.equal(byEmail.get(GLOBEX.reviewer.email)?.slackUserId, null, 'Gus has no Acme user');
    assert.ok(byEmail.get(SAM.email)?.flexWorkerSid, 'Sam of Acme is now the Flex worker');
    const globexSam = await identities.findActiveByEmail(GLOBEX.teamId, SAM.email);
    assert.equal(globexSam?.flexWorkerSid, null, 'Globex’s Sam is untouched');
    assert.equal(await identities.findActiveByEmail(GLOBEX.teamId, WANDA.email), null, 'nothing added to Globex');
    const runs = await t.prisma.identitySyncRun.findMany();
    assert.deepEqual(
      runs.map((r) => [r.slackWorkspaceId, r.startedBy]),
      [[ACME.teamId, `slack:${ACME.installer}`]],
    );
    // Globex's admin sees no sync of theirs, and their own Sync button.
    const globexHome = await openHome(t, GLOBEX, GLOBEX.installer);
    assert.match(globexHome.text, /No sync from Flex has run yet/);
    assert.match(globexHome.text, /"action_id":"identities_sync"/);
  });

  it('syncs an installed workspace from the CLI with --workspace, with that installation’s token', async () => {
    const lookupsBefore = t.slack.calls('users.lookupByEmail').length;
    const result = await cli(t, ['sync', '--workspace', GLOBEX.teamId]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Workspace T0GLBX0001:/);
    assert.match(result.stdout, /Flex workers: 3; matched to Slack: 2; added 2, updated 1/);
    const lookups = t.slack.calls('users.lookupByEmail').slice(lookupsBefore);
    assert.ok(lookups.length >= 2, 'lookups.length >= 2');
    for (const lookup of lookups) assert.equal(lookup.teamId, GLOBEX.teamId, 'asked with Globex’s token');
    const globex = new Map((await identities.list(GLOBEX.teamId)).map((i) => [i.email, i]));
    assert.equal(globex.get(GLOBEX.reviewer.email)?.slackUserId, GLOBEX.reviewer.userId);
    assert.equal(globex.get(SAM.email)?.slackUserId, SAM.globexUser);
    assert.equal(globex.get(WANDA.email)?.slackUserId, null, 'Wanda has no Globex user');
    assert.equal(
      await t.prisma.identitySyncRun.count({ where: { slackWorkspaceId: GLOBEX.teamId, startedBy: 'cli' } }),
      1,
    );

    const listed = await cli(t, ['list', '--workspace', GLOBEX.teamId]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /Sam Shared/);
    assert.doesNotMatch(listed.stdout, /admin@t0acme0001/);

    const unknown = await cli(t, ['sync', '--workspace', 'T0NOWHERE1']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /not installed in Slack workspace T0NOWHERE1.*install the app there/);
  });
});

async function openHome(
  t: OAuthTestApp,
  team: TestTeam,
  userId: string,
): Promise<{ call: RecordedCall; text: string; view: Record<string, unknown> }> {
  const before = t.slack.calls('views.publish').length;
  assert.equal((await t.sender.event(homeOpened(team, userId))).status, 200);
  const call = await t.slack.waitForCall(
    'views.publish',
    (c) => c.args.user_id === userId && t.slack.calls('views.publish').indexOf(c) >= before,
  );
  assert.equal(call.result.ok, true, JSON.stringify(call.result));
  const view = t.slack.currentView((call.result.view as { id: string }).id);
  return { call, text: JSON.stringify(view.blocks), view };
}
