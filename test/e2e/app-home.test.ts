import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RecordedCall } from '../fakes/fake-slack-api.js';
import { FakeTaskRouterApi } from '../fakes/fake-taskrouter-api.js';
import { appHomeOpenedEvent, blockActionsPayload, eventCallback } from '../helpers/slack-payloads.js';
import { REVIEWER, SEGMENT_ID, startTestApp, TEAM_ID, type TestApp } from '../helpers/test-app.js';

const ADMIN = { userId: 'U0ADMIN01', email: 'ada.admin@example.com' };

/** What Slack sends when someone opens the app's Home tab. */
function homeOpened(userId: string, n: number) {
  return eventCallback({ teamId: TEAM_ID, eventId: `Ev0HOME${n}`, event: appHomeOpenedEvent(userId) });
}

describe('the App Home tab', () => {
  let t: TestApp;
  let events = 0;
  before(async () => {
    t = await startTestApp({ withTaskRouter: true });
    t.slack.addUser({ id: ADMIN.userId, name: 'ada', email: ADMIN.email, teamId: TEAM_ID });
    await t.prisma.identity.create({
      data: {
        email: ADMIN.email,
        flexUserName: 'Ada Admin',
        role: 'admin',
        slackUserId: ADMIN.userId,
        slackTeamId: TEAM_ID,
      },
    });
  });
  after(async () => {
    await t.close();
  });

  /** Opens the Home tab as this person and returns the view Slack then shows. */
  async function openHome(
    userId: string,
  ): Promise<{ call: RecordedCall; text: string; view: Record<string, unknown> }> {
    const before = t.slack.calls('views.publish').length;
    events += 1;
    const ack = await t.sender.event(homeOpened(userId, events));
    assert.equal(ack.status, 200);
    const call = await t.slack.waitForCall(
      'views.publish',
      (c) => c.args.user_id === userId && t.slack.calls('views.publish').indexOf(c) >= before,
    );
    assert.equal(call.result.ok, true, JSON.stringify(call.result));
    const view = t.slack.currentView((call.result.view as { id: string }).id);
    return { call, text: JSON.stringify(view.blocks), view };
  }

  it('shows a reviewer their identity and their last 20 assessments, failed ones with a Retry button', async () => {
    const rita = await t.prisma.identity.findUniqueOrThrow({
      where: { slackWorkspaceId_email: { slackWorkspaceId: '', email: REVIEWER.email } },
    });
    const base = Date.parse('2026-11-20T10:00:00Z');
    for (let i = 0; i < 22; i += 1) {
      await t.prisma.assessment.create({
        data: {
          submissionKey: `V0HOME${String(i).padStart(4, '0')}`,
          reviewerId: rita.id,
          categoryId: 'c1',
          categoryName: i === 21 ? 'Compliance' : 'Good for Training',
          comment: `Comment number ${i}`,
          segmentId: SEGMENT_ID,
          agentId: 'agent-1',
          offsetSeconds: 0,
          status: i === 21 ? 'failed' : i === 20 ? 'pending' : 'posted',
          lastError: i === 21 ? 'Flex could not be reached after 8 attempts' : null,
          slackTeamId: TEAM_ID,
          slackUserId: REVIEWER.userId,
          source: 'command',
          createdAt: new Date(base + i * 60_000),
          // Not due: the delivery worker leaves the pending one alone while the test looks.
          nextAttemptAt: new Date(Date.now() + 3_600_000),
        },
      });
    }
    const { text, view } = await openHome(REVIEWER.userId);
    assert.equal(view.type, 'home');
    assert.match(text, /\*Email:\* rita\.reviewer@example\.com/);
    assert.match(text, /\*Role:\* reviewer \(may comment\)/);
    assert.match(text, /Your last 20 assessments/);
    assert.equal((text.match(/Comment number/g) ?? []).length, 20);
    assert.doesNotMatch(text, /Comment number 1\b/, 'the two oldest are left out');
    assert.match(
      text,
      /:x: failed · \*Compliance\*[^"]*Comment number 21\\n_Flex could not be reached after 8 attempts_/,
    );
    assert.match(text, /:hourglass_flowing_sand: pending[^"]*Comment number 20/);
    const failed = await t.prisma.assessment.findUniqueOrThrow({ where: { submissionKey: 'V0HOME0021' } });
    const blocks = view.blocks as Array<{ accessory?: { action_id?: string; value?: string } }>;
    const retry = blocks.filter((block) => block.accessory?.action_id === 'assessment_retry');
    assert.deepEqual(
      retry.map((block) => block.accessory?.value),
      [failed.id],
    );
    assert.doesNotMatch(text, /Sync from Flex/, 'a reviewer sees no admin part');
  });

  it('shows an admin the last sync, and the Sync button runs one and republishes the Home tab', async () => {
    const taskRouter = t.taskRouter;
    assert.ok(taskRouter, 'taskRouter');
    t.slack.addUser({ id: 'U0WANDA01', name: 'wanda', email: 'wanda@example.com', teamId: TEAM_ID });
    taskRouter.setWorkers([
      FakeTaskRouterApi.worker({ email: 'wanda@example.com', full_name: 'Wanda Worker', agent_id: 'agent-wanda' }),
      FakeTaskRouterApi.worker({ email: 'nobody.in.slack@example.com', full_name: 'Nico Nobody' }),
      FakeTaskRouterApi.worker('not json'),
    ]);
    const first = await openHome(ADMIN.userId);
    assert.match(first.text, /No sync from Flex has run yet/);
    // Ada has commented on nothing: the tab says so, not "Your last 0 assessments".
    assert.match(first.text, /\*Your assessments\*".*None yet\./);
    assert.doesNotMatch(first.text, /Your last 0/);
    assert.match(first.text, /"action_id":"identities_sync"/);

    const publishedBefore = t.slack.calls('views.publish').length;
    const click = await t.sender.interaction(
      blockActionsPayload({
        actionId: 'identities_sync',
        user: { id: ADMIN.userId, name: 'ada', teamId: TEAM_ID },
        team: { id: TEAM_ID, domain: 'acme' },
        view: first.view,
      }),
    );
    assert.equal(click.status, 200);
    const done = await t.slack.waitForCall(
      'views.publish',
      (c) =>
        t.slack.calls('views.publish').indexOf(c) >= publishedBefore && /Synced:/.test(JSON.stringify(c.args.view)),
    );
    const published = t.slack.calls('views.publish').slice(publishedBefore);
    assert.match(JSON.stringify(published[0]?.args.view), /Syncing…/, 'the button says it is working first');
    const text = JSON.stringify(done.args.view);
    assert.match(text, /Synced: added 2, updated 0, deactivated 0/);
    assert.match(text, /3 workers in Flex, 1 matched to Slack/);
    assert.match(text, /In Flex without a Slack user: \*1\*/);
    assert.match(text, /Identities not in Flex: \*2\*/);
    assert.match(text, /unreadable in Flex: \*1\*/);
    const wanda = await t.prisma.identity.findUniqueOrThrow({
      where: { slackWorkspaceId_email: { slackWorkspaceId: '', email: 'wanda@example.com' } },
    });
    assert.equal(wanda.slackUserId, 'U0WANDA01');
    assert.equal(wanda.role, 'none');
    assert.equal(await t.prisma.identitySyncRun.count(), 1);
  });

  it('ignores the Sync button from someone who is not an admin', async () => {
    const runs = await t.prisma.identitySyncRun.count();
    const home = await openHome(REVIEWER.userId);
    const forged = {
      ...home.view,
      blocks: [
        {
          type: 'actions',
          block_id: 'x',
          elements: [
            { type: 'button', action_id: 'identities_sync', text: { type: 'plain_text', text: 'Sync' }, value: 'sync' },
          ],
        },
      ],
    };
    const before = t.slack.calls('views.publish').length;
    await t.sender.interaction(
      blockActionsPayload({
        actionId: 'identities_sync',
        user: { id: REVIEWER.userId, name: 'rita', teamId: TEAM_ID },
        team: { id: TEAM_ID, domain: 'acme' },
        view: forged,
      }),
    );
    await t.slack.waitForCall('views.publish', (c) => t.slack.calls('views.publish').indexOf(c) >= before);
    assert.equal(await t.prisma.identitySyncRun.count(), runs);
  });
});
