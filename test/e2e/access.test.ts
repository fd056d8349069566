import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { modalRefined, openModalWithQm, submitModal } from '../helpers/reviewer-story.js';
import { messageShortcutPayload } from '../helpers/slack-payloads.js';
import { CATEGORY, SEGMENT_ID, startTestApp, TEAM_ID, type TestApp } from '../helpers/test-app.js';

const LINK = `https://analytics.ytica.com/player/segment/${SEGMENT_ID}?t=83`;

/** People who may not post, and what each must be told: why, and whom to ask. */
const PEOPLE = [
  {
    who: 'an unmapped Slack user',
    userId: 'U0STRANGE1',
    email: 'stranger@example.com',
    told: /not linked to a Flex identity yet: no Flex user matches your Slack email \(stranger@example.com\)\. Ask a QM admin to run `npm run identities -- add/,
    toldAtFirstTouch:
      /you are not linked to a Flex identity, and no Flex user matches your Slack email \(stranger@example.com\)/,
    /** Lets them open the form, as if they could when they started. */
    grant: (t: TestApp) =>
      t.prisma.identity.create({
        data: { email: 'stranger@example.com', flexUserName: 'S', slackUserId: 'U0STRANGE1', slackTeamId: TEAM_ID },
      }),
    revoke: (t: TestApp) =>
      t.prisma.identity.delete({
        where: { slackWorkspaceId_email: { slackWorkspaceId: '', email: 'stranger@example.com' } },
      }),
  },
  {
    who: 'an identity with role none',
    userId: 'U0NOROLE01',
    email: 'nora.none@example.com',
    told: /Your Flex identity \(nora.none@example.com\) is not a reviewer, so it cannot post QM comments\. Ask a QM admin/,
    toldAtFirstTouch: /your Flex identity \(nora.none@example.com\) does not have the reviewer role/,
    grant: (t: TestApp) =>
      t.prisma.identity.update({
        where: { slackWorkspaceId_email: { slackWorkspaceId: '', email: 'nora.none@example.com' } },
        data: { role: 'reviewer' },
      }),
    revoke: (t: TestApp) =>
      t.prisma.identity.update({
        where: { slackWorkspaceId_email: { slackWorkspaceId: '', email: 'nora.none@example.com' } },
        data: { role: 'none' },
      }),
  },
  {
    who: 'a deactivated identity',
    userId: 'U0GONE0001',
    email: 'gone@example.com',
    told: /Your Flex identity \(gone@example.com\) has been deactivated, so it cannot post QM comments\. Ask a QM admin to reactivate it/,
    toldAtFirstTouch: /your Flex identity \(gone@example.com\) has been deactivated/,
    grant: (t: TestApp) =>
      t.prisma.identity.update({
        where: { slackWorkspaceId_email: { slackWorkspaceId: '', email: 'gone@example.com' } },
        data: { active: true, slackUserId: 'U0GONE0001', slackTeamId: TEAM_ID },
      }),
    // As `npm run identities -- remove` leaves it: deactivated and unlinked.
    revoke: (t: TestApp) =>
      t.prisma.identity.update({
        where: { slackWorkspaceId_email: { slackWorkspaceId: '', email: 'gone@example.com' } },
        data: { active: false, slackUserId: null, slackTeamId: null },
      }),
  },
];

describe('only mapped, active reviewers may post', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    for (const person of PEOPLE) {
      t.slack.addUser({ id: person.userId, name: person.userId.toLowerCase(), email: person.email, teamId: TEAM_ID });
    }
    await t.prisma.identity.create({
      data: {
        email: 'nora.none@example.com',
        flexUserName: 'Nora',
        slackUserId: 'U0NOROLE01',
        slackTeamId: TEAM_ID,
        role: 'none',
      },
    });
    // Removed by an admin: deactivated and unlinked, as `npm run identities -- remove` leaves it.
    await t.prisma.identity.create({ data: { email: 'gone@example.com', flexUserName: 'Gone', active: false } });
  });
  after(async () => {
    await t.close();
  });
  beforeEach(async () => {
    t.flex.reset();
  });

  const nothingHappened = async () => {
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(await t.prisma.assessment.count(), 0, 'nothing stored');
    assert.equal(t.flex.requests.filter((r) => r.method === 'POST').length, 0, 'nothing sent to Flex');
  };

  for (const person of PEOPLE) {
    it(`tells ${person.who}, at the modal's submit, why and whom to ask`, async () => {
      // Their access goes while the form is open (an admin removed or demoted them).
      await person.grant(t);
      const { viewId } = await openModalWithQm(t, SEGMENT_ID, person.userId);
      await modalRefined(t, viewId);
      await person.revoke(t);
      const ack = await submitModal(t, viewId, { category: CATEGORY.id, comment: 'Let me in' }, person.userId);
      const body = ack.json as { response_action: string; errors: { comment: string } };
      assert.equal(body.response_action, 'errors');
      assert.match(body.errors.comment, person.told);
      assert.match(body.errors.comment, /Your comment stays here/);
      await nothingHappened();
    });

    it(`tells ${person.who}, at the message shortcut, why and whom to ask, and opens no form`, async () => {
      const triggerId = t.slack.issueTriggerId();
      const responseUrl = t.slack.newResponseUrl();
      const ack = await t.sender.interaction(
        messageShortcutPayload({
          callbackId: 'comment_on_call',
          triggerId,
          responseUrl,
          user: { id: person.userId, name: 'someone', teamId: TEAM_ID },
          team: { id: TEAM_ID, domain: 'acme' },
          channel: { id: 'C0QA00001', name: 'qa' },
          message: { ts: '1763632800.000700', user: 'U0SUPER01', text: `listen <${LINK}>` },
        }),
      );
      assert.equal(ack.status, 200);
      const answer = await t.slack.waitForResponse(responseUrl);
      assert.equal(answer.body.response_type, 'ephemeral');
      assert.match(String(answer.body.text), person.toldAtFirstTouch);
      assert.equal(t.slack.calls('views.open').filter((c) => c.args.trigger_id === triggerId).length, 0);
      await nothingHappened();
    });
  }
});
