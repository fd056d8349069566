import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { qmCommand } from '../helpers/reviewer-story.js';
import { messageShortcutPayload, unfurlButtonPayload } from '../helpers/slack-payloads.js';
import { REVIEWER, SEGMENT_ID, startTestApp, TEAM_ID, type TestApp } from '../helpers/test-app.js';

const GROUP = 'S0REVIEWS1';
const ADMIN = { userId: 'U0ADMIN01', email: 'ada.admin@example.com' };
const AGENT = { userId: 'U0AGENT01', email: 'alex.agent@example.com' };
const GROUPIE = { userId: 'U0GROUPIE', email: 'gina.group@example.com' };
const STRANGER = { userId: 'U0STRANGE', email: 'sam.stranger@example.com' };

describe('who may comment: roles and the reviewers’ user group', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ env: { REVIEWER_USERGROUP: GROUP } });
    for (const person of [ADMIN, AGENT, GROUPIE, STRANGER]) {
      t.slack.addUser({ id: person.userId, name: person.userId.toLowerCase(), email: person.email, teamId: TEAM_ID });
    }
    t.slack.setUsergroup(GROUP, [GROUPIE.userId, REVIEWER.userId]);
    await t.prisma.identity.createMany({
      data: [
        {
          email: ADMIN.email,
          flexUserName: 'Ada Admin',
          role: 'admin',
          slackUserId: ADMIN.userId,
          slackTeamId: TEAM_ID,
        },
        {
          email: AGENT.email,
          flexUserName: 'Alex Agent',
          role: 'none',
          slackUserId: AGENT.userId,
          slackTeamId: TEAM_ID,
        },
        {
          email: GROUPIE.email,
          flexUserName: 'Gina Group',
          role: 'none',
          slackUserId: GROUPIE.userId,
          slackTeamId: TEAM_ID,
        },
      ],
    });
  });
  after(async () => {
    await t.close();
  });
  beforeEach(() => {
    t.flex.reset();
  });

  /** `/qm <segment>` as this person: the command's ack and its response_url. */
  async function qm(userId: string) {
    const since = Date.now();
    const command = qmCommand(t, SEGMENT_ID, userId);
    const ack = await t.sender.slashCommand(command);
    assert.equal(ack.status, 200);
    return { command, since, responseUrl: String(command.response_url) };
  }

  /** Nothing else happened: no modal for this trigger, nothing stored, nothing sent to Flex. */
  async function assertNothingElse(triggerId: string, since: number) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(t.slack.calls('views.open').filter((call) => call.args.trigger_id === triggerId).length, 0);
    assert.equal(await t.prisma.assessment.count(), 0);
    assert.deepEqual(
      t.flex.requests.filter((request) => request.at >= since).map((request) => request.path),
      [],
    );
  }

  it('tells an agent with role none at /qm why not and who the admins are, and opens nothing', async () => {
    const { command, since, responseUrl } = await qm(AGENT.userId);
    const reply = await t.slack.waitForResponse(responseUrl);
    assert.equal(reply.body.response_type, 'ephemeral');
    const text = String(reply.body.text);
    assert.match(text, /your Flex identity \(alex\.agent@example\.com\) does not have the reviewer role/);
    assert.match(text, new RegExp(`<!subteam\\^${GROUP}>`));
    assert.match(text, new RegExp(`Your QM admin is <@${ADMIN.userId}>`));
    await assertNothingElse(String(command.trigger_id), since);
  });

  it('tells someone unmapped, whose email matches nobody, how to ask to be linked', async () => {
    const { command, since, responseUrl } = await qm(STRANGER.userId);
    const text = String((await t.slack.waitForResponse(responseUrl)).body.text);
    assert.match(
      text,
      /you are not linked to a Flex identity, and no Flex user matches your Slack email \(sam\.stranger@example\.com\)/,
    );
    assert.match(text, /\/qm link <your Flex email>/);
    assert.match(text, new RegExp(`<@${ADMIN.userId}>`));
    await assertNothingElse(String(command.trigger_id), since);
  });

  it('lets a member of REVIEWER_USERGROUP comment although their role is none', async () => {
    const { command } = await qm(GROUPIE.userId);
    const open = await t.slack.waitForCall('views.open', (call) => call.args.trigger_id === command.trigger_id);
    assert.equal(open.result.ok, true);
    const viewId = (open.result.view as { id: string }).id;
    await t.slack.waitForCall('views.update', (call) => call.args.view_id === viewId);
    const asked = t.slack.calls('usergroups.users.list');
    assert.equal(asked.at(-1)?.args.usergroup, GROUP);
  });

  it('asks Slack for the group once in a while, not at every command', async () => {
    const before = t.slack.calls('usergroups.users.list').length;
    for (let i = 0; i < 3; i += 1) {
      const { command } = await qm(GROUPIE.userId);
      const open = await t.slack.waitForCall('views.open', (call) => call.args.trigger_id === command.trigger_id);
      // The form then asks Flex about the call; wait for it, so later tests see only their own requests.
      const viewId = (open.result.view as { id: string }).id;
      await t.slack.waitForCall('views.update', (call) => call.args.view_id === viewId);
    }
    assert.equal(t.slack.calls('usergroups.users.list').length, before, 'served from the cache');
  });

  it('refuses the message shortcut the same way, before any modal', async () => {
    const since = Date.now();
    const triggerId = t.slack.issueTriggerId();
    const responseUrl = t.slack.newResponseUrl();
    const ack = await t.sender.interaction(
      messageShortcutPayload({
        callbackId: 'comment_on_call',
        triggerId,
        responseUrl,
        user: { id: AGENT.userId, name: 'agent', teamId: TEAM_ID },
        team: { id: TEAM_ID, domain: 'acme' },
        channel: { id: 'C0QA00001', name: 'qa' },
        message: { ts: '1763632800.000900', user: 'U0SUPER01', text: `listen: ${SEGMENT_ID}` },
      }),
    );
    assert.equal(ack.status, 200);
    const reply = await t.slack.waitForResponse(responseUrl);
    assert.match(String(reply.body.text), /does not have the reviewer role/);
    await assertNothingElse(triggerId, since);
  });

  it('refuses the Comment button on a call preview privately in the channel, before any modal', async () => {
    const since = Date.now();
    const triggerId = t.slack.issueTriggerId();
    const sent = await t.sender.interaction(
      unfurlButtonPayload({
        user: { id: AGENT.userId, name: 'agent', teamId: TEAM_ID },
        team: { id: TEAM_ID, domain: 'acme' },
        channel: { id: 'C0QA00001', name: 'qa' },
        messageTs: '1763634000.000100',
        value: JSON.stringify({ s: SEGMENT_ID }),
        triggerId,
      }),
    );
    assert.equal(sent.status, 200);
    const ephemeral = await t.slack.waitForCall('chat.postEphemeral', (c) => c.args.user === AGENT.userId);
    assert.equal(ephemeral.result.ok, true, JSON.stringify(ephemeral.result));
    assert.match(String(ephemeral.args.text), /does not have the reviewer role/);
    await assertNothingElse(triggerId, since);
  });

  it('says how to make the first admin when there is none', async () => {
    await t.prisma.identity.update({
      where: { slackWorkspaceId_email: { slackWorkspaceId: '', email: ADMIN.email } },
      data: { role: 'reviewer' },
    });
    try {
      const { responseUrl } = await qm(AGENT.userId);
      const text = String((await t.slack.waitForResponse(responseUrl)).body.text);
      assert.match(text, /No QM admin is linked to Slack yet: .*npm run identities -- add .*--role admin/);
    } finally {
      await t.prisma.identity.update({
        where: { slackWorkspaceId_email: { slackWorkspaceId: '', email: ADMIN.email } },
        data: { role: 'admin' },
      });
    }
  });
});
