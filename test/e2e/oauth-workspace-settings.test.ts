import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { IdentityRepository } from '../../src/db/repositories/identity-repository.js';
import { createSecretBox } from '../../src/security/secret-box.js';
import { cronDueNow } from '../helpers/digest-world.js';
import {
  ACME,
  GLOBEX,
  install,
  linkReviewer,
  type OAuthTestApp,
  oauthCliEnv,
  SECRETS_KEY_BASE64,
  startOAuthTestApp,
  type TestTeam,
} from '../helpers/oauth-test-app.js';
import { runCli } from '../helpers/run-cli.js';
import {
  appHomeOpenedEvent,
  blockActionsPayload,
  type EnteredValue,
  eventCallback,
  slashCommandFields,
  viewSubmissionPayload,
} from '../helpers/slack-payloads.js';
import { AGENT_ID, CATEGORY, eventually, SEGMENT_ID } from '../helpers/test-app.js';

/** Each workspace's agent behind the call's agent id, and its digest channel (not its #qa). */
const AGENT_OF = { [ACME.teamId]: 'U0ACMEAGT1', [GLOBEX.teamId]: 'U0GLBXAGT1' } as const;
const DIGEST_OF = { [ACME.teamId]: 'C0ACMEWEEK', [GLOBEX.teamId]: 'C0GLBXWEEK' } as const;
/** Acme's agent is in the Billing team, whose digest goes to a channel of its own. */
const BILLING_CHANNEL = 'C0ACMEBILL';

/** What the app answered a view submission with (empty: the modal closes). */
const answerOf = (result: { json: unknown }) =>
  (result.json ?? {}) as { response_action?: string; errors?: Record<string, string> };
const userRef = (team: TestTeam, userId: string) => ({ id: userId, name: userId.toLowerCase(), teamId: team.teamId });
const teamRef = (team: TestTeam) => ({ id: team.teamId, domain: team.teamId.toLowerCase() });

describe('digest and feedback settings per workspace, set by each workspace’s QM admin on the Home tab', () => {
  let t: OAuthTestApp;
  let events = 0;

  /** The Home tab as the app publishes it for `userId` after they open it. */
  async function home(team: TestTeam, userId: string) {
    const before = t.slack.calls('views.publish').length;
    events += 1;
    const event = eventCallback({ teamId: team.teamId, event: appHomeOpenedEvent(userId), eventId: `Ev0SET${events}` });
    assert.equal((await t.sender.event(event)).status, 200);
    const published = await t.slack.waitForCall(
      'views.publish',
      (c) => c.args.user_id === userId && t.slack.calls('views.publish').indexOf(c) >= before,
    );
    // The Home tab as Slack holds it (with its view id), as a click on it carries it.
    return published.result.view as Record<string, unknown>;
  }

  /** Clicks "Digest and feedback settings" (on the admin's Home tab, as `userId`): the modal, or undefined. */
  async function clickSettings(team: TestTeam, userId: string, homeView: Record<string, unknown>) {
    const triggerId = t.slack.issueTriggerId({ teamId: team.teamId });
    const publishedBefore = t.slack.calls('views.publish').length;
    const clicked = await t.sender.interaction(
      blockActionsPayload({
        actionId: 'workspace_settings_open',
        view: homeView,
        user: userRef(team, userId),
        team: teamRef(team),
        triggerId,
      }),
    );
    assert.equal(clicked.status, 200, clicked.text);
    // Either the modal opens with that trigger, or (refused) the person's own Home tab is published again.
    await eventually(() =>
      assert.ok(
        t.slack.calls('views.open').some((c) => c.args.trigger_id === triggerId) ||
          t.slack
            .calls('views.publish')
            .slice(publishedBefore)
            .some((c) => c.args.user_id === userId),
        "t.slack.calls('views.open').some((c) => c.args.trigger_id === triggerId) || t.slack .ca…",
      ),
    );
    const opened = t.slack.calls('views.open').find((c) => c.args.trigger_id === triggerId);
    if (!opened) return undefined;
    assert.equal(opened.result.ok, true, JSON.stringify(opened.result));
    assert.equal(opened.teamId, team.teamId, 'opened with the workspace’s own token');
    return t.slack.currentView(String((opened.result.view as { id: string }).id));
  }

  function submitSettings(
    team: TestTeam,
    userId: string,
    view: Record<string, unknown>,
    values: Record<string, EnteredValue>,
  ) {
    return t.sender.interaction(
      viewSubmissionPayload({ view, values, user: userRef(team, userId), team: teamRef(team) }),
    );
  }

  /** The admin opens the settings and saves `values`; returns what the app answered. */
  async function adminSets(team: TestTeam, values: Record<string, EnteredValue>) {
    const view = await clickSettings(team, team.installer, await home(team, team.installer));
    assert.ok(view, 'the admin’s click opens the modal');
    return submitSettings(team, team.installer, view, values);
  }

  before(async () => {
    t = await startOAuthTestApp({ env: { DIGEST_POLL_MS: '100', DIGEST_CHART: 'false' } });
    assert.equal((await install(t, ACME)).status, 200);
    assert.equal((await install(t, GLOBEX)).status, 200);
    const identities = new IdentityRepository(t.prisma, createSecretBox(Buffer.from(SECRETS_KEY_BASE64, 'base64')));
    for (const team of [ACME, GLOBEX]) {
      await linkReviewer(t, team, identities);
      await identities.upsertByEmail({
        workspaceId: team.teamId,
        email: `admin@${team.teamId.toLowerCase()}.example`,
        flexUserName: `Admin of ${team.teamName}`,
        slackUserId: team.installer,
        slackTeamId: team.teamId,
        role: 'admin',
      });
      const agent = AGENT_OF[team.teamId] ?? '';
      t.slack.addUser({
        id: agent,
        name: 'alex',
        email: `alex@${team.teamId.toLowerCase()}.example`,
        teamId: team.teamId,
      });
      await identities.upsertByEmail({
        workspaceId: team.teamId,
        email: `alex@${team.teamId.toLowerCase()}.example`,
        flexUserName: 'Alex Agent',
        slackUserId: agent,
        slackTeamId: team.teamId,
        agentId: AGENT_ID,
      });
      if (team === ACME) {
        // As `npm run identities -- sync` records TaskRouter's team_name.
        await t.prisma.identity.updateMany({
          where: { slackWorkspaceId: team.teamId, slackUserId: agent },
          data: { teamName: 'Billing' },
        });
      }
      t.slack.addChannel({ id: DIGEST_OF[team.teamId] ?? '', name: 'qm-week', isMember: true }, team.teamId);
    }
  });
  after(async () => {
    await t.close();
  });

  it('shows the settings to a QM admin only, and refuses a reviewer’s forged click and submission', async () => {
    const adminHome = await home(ACME, ACME.installer);
    assert.match(JSON.stringify(adminHome), /Digest and feedback settings/);
    assert.doesNotMatch(JSON.stringify(await home(ACME, ACME.reviewer.userId)), /Digest and feedback settings/);

    // The reviewer replays the admin's button: no modal opens.
    assert.equal(await clickSettings(ACME, ACME.reviewer.userId, adminHome), undefined);
    // … and submits a copy of the admin's modal: refused beside the first field, nothing stored.
    const modal = await clickSettings(ACME, ACME.installer, adminHome);
    assert.ok(modal, 'modal');
    const forged = await submitSettings(ACME, ACME.reviewer.userId, modal, {
      settings_feedback_dms: 'on',
      settings_digest_channel: DIGEST_OF[ACME.teamId] ?? '',
    });
    assert.equal(answerOf(forged).response_action, 'errors');
    assert.match(JSON.stringify(answerOf(forged).errors), /Only QM admins/);
    assert.equal(await t.prisma.workspaceSettings.count(), 0);
  });

  it('refuses a bad cron expression and a bad time zone beside their fields, and stores nothing', async () => {
    const answer = await adminSets(ACME, {
      settings_digest_channel: DIGEST_OF[ACME.teamId] ?? '',
      settings_digest_cron: 'every monday',
      settings_digest_time_zone: 'Mars/Olympus',
    });
    assert.equal(answerOf(answer).response_action, 'errors');
    const errors = answerOf(answer).errors ?? {};
    assert.deepEqual(Object.keys(errors).sort(), ['settings_digest_cron', 'settings_digest_time_zone']);
    assert.match(errors.settings_digest_cron ?? '', /Not a cron expression/);
    assert.equal(await t.prisma.workspaceSettings.count(), 0);
  });

  it('sends each workspace’s feedback DMs by its own switch: on in Acme, off in Globex', async () => {
    assert.equal((await adminSets(ACME, { settings_feedback_dms: 'on' })).status, 200);
    assert.equal((await adminSets(GLOBEX, { settings_feedback_dms: 'off' })).status, 200);
    const rows = await t.prisma.workspaceSettings.findMany({ orderBy: { workspaceKey: 'asc' } });
    assert.deepEqual(
      rows.map((r) => [r.workspaceKey, r.feedbackDms, r.updatedBy]),
      [
        [ACME.teamId, true, `slack:${ACME.installer}`],
        [GLOBEX.teamId, false, `slack:${GLOBEX.installer}`],
      ],
    );
    for (const team of [ACME, GLOBEX]) await comment(team, `From ${team.teamName}`);
    await eventually(async () => {
      const posted = await t.prisma.assessment.count({ where: { status: 'posted' } });
      assert.equal(posted, 2);
    });
    const dm = await eventually(async () => {
      const row = await t.prisma.feedback.findFirst({ where: { slackWorkspaceId: ACME.teamId } });
      assert.ok(row?.notifiedAt, 'Acme’s agent is told');
      return row;
    });
    assert.equal(dm.agentSlackUserId, AGENT_OF[ACME.teamId]);
    // Globex's comment is announced (the same moment feedback is recorded), and its agent is not told.
    await eventually(async () => {
      const globex = await t.prisma.assessment.findFirst({ where: { slackWorkspaceId: GLOBEX.teamId } });
      assert.ok(globex?.announcedAt, 'Globex’s comment is announced');
    });
    assert.equal(await t.prisma.feedback.count({ where: { slackWorkspaceId: GLOBEX.teamId } }), 0);
    const toAgents = t.slack
      .calls('chat.postMessage')
      .filter((c) => /left QM feedback/.test(JSON.stringify(c.args)))
      .map((c) => c.teamId);
    assert.deepEqual(toAgents, [ACME.teamId]);
  });

  it('sends each workspace its own digest, once, to the channel its admin chose', async () => {
    const { cron, end } = cronDueNow();
    // Acme's comment (from the test before) counts in the week that just ended; Globex's does not.
    await t.prisma.assessment.updateMany({
      where: { slackWorkspaceId: ACME.teamId },
      data: { postedAt: new Date(end.getTime() - 3_600_000) },
    });
    t.slack.addChannel({ id: BILLING_CHANNEL, name: 'billing-qm', isMember: true }, ACME.teamId);
    for (const team of [ACME, GLOBEX]) {
      const view = await clickSettings(team, team.installer, await home(team, team.installer));
      assert.ok(view, 'the admin’s click opens the modal');
      // Acme's agents carry a team (from TaskRouter's team_name): the form offers it a channel; Globex's do not.
      const teamInput = JSON.stringify(view).match(/"label":\{"type":"plain_text","text":"Team Billing"/);
      assert.equal(Boolean(teamInput), team === ACME, `the Billing team offered in ${team.teamName} only`);
      const answer = await submitSettings(team, team.installer, view, {
        settings_digest_channel: DIGEST_OF[team.teamId] ?? '',
        settings_digest_cron: cron,
        settings_digest_time_zone: 'UTC',
        ...(team === ACME ? { settings_team_channel_0: BILLING_CHANNEL } : {}),
      });
      assert.equal(answer.status, 200);
      assert.equal(answer.text.trim(), '', 'saved: the modal closes');
    }
    const runs = await eventually(async () => {
      const rows = await t.prisma.digestRun.findMany({
        where: { periodEnd: end.toISOString() },
        orderBy: { slackWorkspaceId: 'asc' },
      });
      assert.equal(rows.length, 3);
      assert.ok(
        rows.every((r) => r.sentAt !== null),
        'rows.every((r) => r.sentAt !== null)',
      );
      return rows;
    }, 20_000);
    assert.deepEqual(
      runs.map((r) => [r.slackWorkspaceId, r.audience, r.channelId, r.outcome]).sort(),
      [
        [ACME.teamId, 'team:Billing', BILLING_CHANNEL, 'sent'],
        [ACME.teamId, 'workspace', DIGEST_OF[ACME.teamId], 'sent'],
        [GLOBEX.teamId, 'workspace', DIGEST_OF[GLOBEX.teamId], 'sent'],
      ].sort(),
    );
    const weekOf = (team: TestTeam) => {
      const week = t.slack.messagesIn(DIGEST_OF[team.teamId] ?? '', team.teamId);
      assert.equal(week.length, 1, `one digest in ${team.teamName}`);
      return JSON.stringify(week[0]?.blocks);
    };
    assert.match(weekOf(ACME), /QM week.*Rita Acme: 1 comment/s, 'Acme’s own comment');
    assert.match(weekOf(GLOBEX), /QM week.*A quiet week/s, 'nothing of Acme’s in Globex’s digest');
    const billing = t.slack.messagesIn(BILLING_CHANNEL, ACME.teamId);
    assert.equal(billing.length, 1, 'one Billing digest');
    assert.match(JSON.stringify(billing[0]?.blocks), /Billing.*Alex Agent/s, 'the team’s own digest, with its agent');
    const saved = await t.prisma.workspaceSettings.findUniqueOrThrow({ where: { workspaceKey: ACME.teamId } });
    assert.deepEqual(JSON.parse(String(saved.digestTeamChannels)), { Billing: BILLING_CHANNEL });
    const posts = t.slack.calls('chat.postMessage').filter((c) => /QM week/.test(JSON.stringify(c.args)));
    assert.deepEqual(
      posts.map((c) => c.teamId).sort(),
      [ACME.teamId, ACME.teamId, GLOBEX.teamId],
      'each with its own token (Acme’s workspace and Billing digests)',
    );
  });

  it('lets an operator preview and send an installed workspace’s digest with `npm run digest -- --workspace`', async () => {
    const { end } = cronDueNow();
    const digest = (args: string[]) =>
      runCli('digest', [...args, '--period-end', end.toISOString()], {
        env: {
          ...oauthCliEnv(t),
          DIGEST_CHART: 'false',
        },
      });
    const unnamed = await digest(['preview']);
    assert.equal(unnamed.code, 2, unnamed.stderr);
    assert.match(unnamed.stderr, /name one with --workspace/);

    const preview = await digest(['preview', '--workspace', ACME.teamId.toLowerCase()]);
    assert.equal(preview.code, 0, preview.stderr);
    assert.match(preview.stdout, new RegExp(`=== workspace → channel ${DIGEST_OF[ACME.teamId]}`));
    assert.match(preview.stdout, new RegExp(`=== team:Billing → channel ${BILLING_CHANNEL}`));

    // Sent by the app already: sending again by hand posts nothing.
    const posted = t.slack.calls('chat.postMessage').length;
    const send = await digest(['send', '--workspace', ACME.teamId]);
    assert.equal(send.code, 0, send.stderr);
    assert.match(send.stdout, /workspace: already sent for this week/);
    assert.match(send.stdout, /team:Billing: already sent for this week/);
    assert.equal(t.slack.calls('chat.postMessage').length, posted, 'nothing posted twice');

    const unknown = await digest(['preview', '--workspace', 'T0NOTHERE1']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /not installed in Slack workspace T0NOTHERE1/);
  });

  it('refuses a form whose list of teams changed while it was open, and keeps the channels saved before', async () => {
    const view = await clickSettings(ACME, ACME.installer, await home(ACME, ACME.installer));
    assert.ok(view, 'modal');
    // A sync gives another agent a team that sorts first: the form's first team input is not Billing any more.
    await t.prisma.identity.updateMany({
      where: { slackWorkspaceId: ACME.teamId, slackUserId: ACME.reviewer.userId },
      data: { teamName: 'Accounts' },
    });
    const answer = await submitSettings(ACME, ACME.installer, view, {
      settings_team_channel_0: DIGEST_OF[ACME.teamId] ?? '',
    });
    assert.equal(answerOf(answer).response_action, 'errors');
    assert.match(JSON.stringify(answerOf(answer).errors), /teams changed while this form was open/);
    const saved = await t.prisma.workspaceSettings.findUniqueOrThrow({ where: { workspaceKey: ACME.teamId } });
    assert.deepEqual(JSON.parse(String(saved.digestTeamChannels)), { Billing: BILLING_CHANNEL });
    // Opened again, the form lists the team with a channel first, then the new one, and keeps Billing's channel.
    const again = await clickSettings(ACME, ACME.installer, await home(ACME, ACME.installer));
    const labels = JSON.stringify(again).match(/Team (Billing|Accounts)/g);
    assert.deepEqual(labels, ['Team Billing', 'Team Accounts']);
    assert.match(JSON.stringify(again), new RegExp(`"initial_conversation":"${BILLING_CHANNEL}"`));
  });

  /** /qm on the call as the team's reviewer, then submit the form. */
  async function comment(team: TestTeam, text: string) {
    const command = slashCommandFields({
      command: '/qm',
      text: SEGMENT_ID,
      userId: team.reviewer.userId,
      teamId: team.teamId,
      channelId: team.channel.id,
      channelName: team.channel.name,
      triggerId: t.slack.issueTriggerId({ teamId: team.teamId }),
      responseUrl: t.slack.newResponseUrl({ teamId: team.teamId }),
    });
    assert.equal((await t.sender.slashCommand(command)).status, 200);
    const open = await t.slack.waitForCall('views.open', (call) => call.args.trigger_id === command.trigger_id);
    const viewId = String((open.result.view as { id: string }).id);
    await t.slack.waitForCall('views.update', (call) => call.args.view_id === viewId);
    const submitted = await t.sender.interaction(
      viewSubmissionPayload({
        view: t.slack.currentView(viewId),
        values: { category: CATEGORY.id, comment: text },
        user: userRef(team, team.reviewer.userId),
        team: teamRef(team),
      }),
    );
    assert.equal(submitted.status, 200);
  }
});
