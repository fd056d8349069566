import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PostedMessage } from '../fakes/fake-slack-api.js';
import { qmCommand } from '../helpers/reviewer-story.js';
import { blockActionsPayload, viewSubmissionPayload } from '../helpers/slack-payloads.js';
import { REVIEWER, startTestApp, TEAM_ID, type TestApp } from '../helpers/test-app.js';

const ADMINS = ['U0ADMIN01', 'U0ADMIN02'];
const LENA = { userId: 'U0LENA001', slackEmail: 'lena.private@example.com', flexEmail: 'lena@example.com' };
const MO = { userId: 'U0MO00001', slackEmail: 'mo@home.example', flexEmail: 'mo@example.com' };
const team = { id: TEAM_ID, domain: 'acme' };

describe('self-service in Slack: /qm whoami and /qm link', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    for (const [i, id] of ADMINS.entries()) {
      t.slack.addUser({ id, name: `admin${i}`, email: `admin${i}@example.com`, teamId: TEAM_ID });
      await t.prisma.identity.create({
        data: {
          email: `admin${i}@example.com`,
          flexUserName: `Admin ${i}`,
          role: 'admin',
          slackUserId: id,
          slackTeamId: TEAM_ID,
        },
      });
    }
    for (const person of [LENA, MO]) {
      t.slack.addUser({
        id: person.userId,
        name: person.userId.toLowerCase(),
        email: person.slackEmail,
        teamId: TEAM_ID,
      });
    }
    await t.prisma.identity.createMany({
      data: [
        { email: LENA.flexEmail, flexUserName: 'Lena Lind', agentId: 'agent-lena', role: 'reviewer' },
        { email: MO.flexEmail, flexUserName: 'Mo Moss', role: 'none' },
      ],
    });
  });
  after(async () => {
    await t.close();
  });

  /** `/qm <text>` as this person; returns the private answer. */
  async function qm(text: string, userId: string) {
    const command = qmCommand(t, text, userId);
    const ack = await t.sender.slashCommand(command);
    assert.equal(ack.status, 200);
    return { command, reply: () => t.slack.waitForResponse(String(command.response_url)) };
  }

  const requestIn = (adminId: string): PostedMessage => {
    const found = t.slack
      .messagesIn(adminId)
      .filter((m) => /(asks|asked) to be linked/.test(m.text ?? ''))
      .at(-1);
    assert.ok(found, `no link request DM for ${adminId}`);
    return found;
  };

  function click(message: PostedMessage, actionId: string, userId: string) {
    const responseUrl = t.slack.newResponseUrl();
    return {
      responseUrl,
      sent: t.sender.interaction(
        blockActionsPayload({
          actionId,
          user: { id: userId, name: userId.toLowerCase(), teamId: TEAM_ID },
          team,
          message: { type: 'message', ts: message.ts, text: message.text, blocks: message.blocks },
          channel: { id: message.channel, name: 'directmessage' },
          responseUrl,
        }),
      ),
    };
  }

  it('/qm whoami shows the mapping and the role, privately', async () => {
    await t.prisma.identity.update({
      where: { slackWorkspaceId_email: { slackWorkspaceId: '', email: REVIEWER.email } },
      data: { agentId: 'agent-rita' },
    });
    const reply = await (await qm('whoami', REVIEWER.userId)).reply();
    assert.equal(reply.body.response_type, 'ephemeral');
    const text = String(reply.body.text);
    assert.match(text, /\*Email:\* rita\.reviewer@example\.com/);
    assert.match(text, /\*Flex user:\* Rita Reviewer/);
    assert.match(text, /\*Agent id:\* `agent-rita`/);
    assert.match(text, /\*Role:\* reviewer \(may comment\)/);

    const unlinked = String((await (await qm('whoami', LENA.userId)).reply()).body.text);
    assert.match(unlinked, /not linked to a Flex identity yet.*\/qm link <your Flex email>/);
  });

  it('links by email once an admin approves; a non-admin cannot, and a second click changes nothing', async () => {
    const asked = String(
      (await (await qm(`link <mailto:${LENA.flexEmail}|${LENA.flexEmail}>`, LENA.userId)).reply()).body.text,
    );
    assert.match(
      asked,
      /Your request to be linked to lena@example\.com is with the QM admins \(<@U0ADMIN01>, <@U0ADMIN02>\)/,
    );
    const first = requestIn(ADMINS[0] ?? '');
    const second = requestIn(ADMINS[1] ?? '');
    assert.match(
      first.text ?? '',
      /<@U0LENA001> asks to be linked to the Flex identity \*Lena Lind\* \(lena@example\.com, agent id `agent-lena`\)/,
    );

    // Asking again does not DM the admins again.
    const again = String((await (await qm(`link ${LENA.flexEmail}`, LENA.userId)).reply()).body.text);
    assert.equal(again, asked, 'the same answer');
    assert.equal(
      t.slack.messagesIn(ADMINS[0] ?? '').filter((m) => /(asks|asked) to be linked/.test(m.text ?? '')).length,
      1,
    );

    const intruder = click(first, 'link_approve', REVIEWER.userId);
    assert.equal((await intruder.sent).status, 200);
    assert.match(String((await t.slack.waitForResponse(intruder.responseUrl)).body.text), /Only QM admins can decide/);
    assert.equal(
      (
        await t.prisma.identity.findUniqueOrThrow({
          where: { slackWorkspaceId_email: { slackWorkspaceId: '', email: LENA.flexEmail } },
        })
      ).slackUserId,
      null,
    );

    // What the second admin's Slack still shows when they click a moment after the first admin.
    const staleSecond = structuredClone(second);
    const approve = click(first, 'link_approve', ADMINS[0] ?? '');
    assert.equal((await approve.sent).status, 200);
    const told = await t.slack.waitForMessage(LENA.userId, (m) => /linked you/.test(m.text ?? ''));
    assert.match(told.text ?? '', /<@U0ADMIN01> linked you to the Flex identity lena@example\.com/);
    const lena = await t.prisma.identity.findUniqueOrThrow({
      where: { slackWorkspaceId_email: { slackWorkspaceId: '', email: LENA.flexEmail } },
    });
    assert.equal(lena.slackUserId, LENA.userId);
    assert.equal(lena.slackTeamId, TEAM_ID);
    // Both admins' DMs now show the outcome and no buttons.
    for (const message of [first, second]) {
      assert.match(message.text ?? '', /Approved by <@U0ADMIN01>/);
      assert.doesNotMatch(JSON.stringify(message.blocks), /link_approve/);
    }

    const late = click(staleSecond, 'link_approve', ADMINS[1] ?? '');
    assert.equal((await late.sent).status, 200);
    assert.match(
      String((await t.slack.waitForResponse(late.responseUrl)).body.text),
      /already approved by <@U0ADMIN01>; nothing was changed/,
    );
    assert.equal(t.slack.messagesIn(LENA.userId).length, 1, 'Lena is told once');

    const whoami = String((await (await qm('whoami', LENA.userId)).reply()).body.text);
    assert.match(whoami, /\*Email:\* lena@example\.com/);
  });

  it('asks for the email in a small form, and tells the person when an admin rejects', async () => {
    const { command } = await qm('link', MO.userId);
    const open = await t.slack.waitForCall('views.open', (call) => call.args.trigger_id === command.trigger_id);
    assert.equal(open.result.ok, true, JSON.stringify(open.result));
    const viewId = (open.result.view as { id: string }).id;
    const submitted = await t.sender.interaction(
      viewSubmissionPayload({
        view: t.slack.currentView(viewId),
        values: { link_email: MO.flexEmail },
        user: { id: MO.userId, name: 'mo', teamId: TEAM_ID },
        team,
      }),
    );
    const answer = submitted.json as { response_action: string; view: unknown };
    assert.equal(answer.response_action, 'update');
    assert.match(JSON.stringify(answer.view), /is with the QM admins/);

    const reject = click(requestIn(ADMINS[1] ?? ''), 'link_reject', ADMINS[1] ?? '');
    assert.equal((await reject.sent).status, 200);
    const told = await t.slack.waitForMessage(MO.userId, (m) => /did not link you/.test(m.text ?? ''));
    assert.match(told.text ?? '', /<@U0ADMIN02> did not link you to the Flex identity mo@example\.com/);
    assert.equal(
      (
        await t.prisma.identity.findUniqueOrThrow({
          where: { slackWorkspaceId_email: { slackWorkspaceId: '', email: MO.flexEmail } },
        })
      ).slackUserId,
      null,
    );
    assert.match(requestIn(ADMINS[0] ?? '').text ?? '', /Rejected by <@U0ADMIN02>/);
  });

  it('says what is wrong with an address, and nothing about whether an email exists or is taken', async () => {
    const unknown = String((await (await qm('link nobody@example.com', MO.userId)).reply()).body.text);
    const taken = String((await (await qm(`link ${LENA.flexEmail}`, MO.userId)).reply()).body.text);
    assert.equal(unknown.replace('nobody@example.com', 'EMAIL'), taken.replace(LENA.flexEmail, 'EMAIL'));
    assert.match(taken, /is with the QM admins/);
    const notEmail = String((await (await qm('link lena', MO.userId)).reply()).body.text);
    assert.match(notEmail, /“lena” is not an email address/);
  });
});
