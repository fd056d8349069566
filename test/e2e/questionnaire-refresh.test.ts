import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { scorecardCatalog } from '../fakes/flex/scorecard-catalog.js';
import { QUESTIONNAIRES_PATH } from '../fakes/flex/scorecards.js';
import { eventually, startTestApp, type TestApp } from '../helpers/test-app.js';

// Every assert.ok carries a message (test/tooling/assert-messages.test.ts says why).
const CATALOG = scorecardCatalog([
  { name: 'Customer Experience', questions: 6, number: 1 },
  { name: 'Short', questions: 3, number: 2 },
]);
const HOUR = 3_600_000;

describe('the scheduled questionnaire refresh (QUESTIONNAIRE_SYNC_INTERVAL_MINUTES), two instances on one database', () => {
  // One fake clock for both instances; the test moves it on (no sleeps).
  let now = new Date('2026-12-06T09:00:00.000Z');
  const clock = () => now;
  const env = { QUESTIONNAIRE_SYNC_INTERVAL_MINUTES: '60' };
  let a: TestApp;
  let b: TestApp;
  before(async () => {
    // Each looks once at its start, then hourly: the test makes the other looks itself.
    a = await startTestApp({ env, clock, questionnaireSyncCheckMs: HOUR });
    b = await startTestApp({ env, clock, questionnaireSyncCheckMs: HOUR, sharedDatabaseUrl: a.databaseUrl });
  });
  after(async () => {
    await b.close();
    await a.close();
  });

  const syncs = () =>
    [a, b].reduce(
      (sum, t) => sum + t.flex.requests.filter((r) => r.method === 'GET' && r.path === QUESTIONNAIRES_PATH).length,
      0,
    );
  /** Both instances look at once, as their timers may. */
  async function bothLook(): Promise<number> {
    const [ra, rb] = [a.app.questionnaireRefresh, b.app.questionnaireRefresh];
    assert.ok(ra && rb, 'the refresh runs when the interval is not 0');
    const synced = await Promise.all([ra.runOnce(), rb.runOnce(), ra.runOnce(), rb.runOnce()]);
    return synced.reduce((x, y) => x + y, 0);
  }

  it('syncs each interval once between the instances, and reads what changed in Flex', async () => {
    // At start both looked: one of them synced the workspace (Flex had no questionnaires yet).
    await eventually(async () => {
      const row = await a.prisma.questionnaireSyncSchedule.findUnique({ where: { slackWorkspaceId: '' } });
      assert.ok(row?.lastFinishedAt, 'the first refresh finished');
      assert.equal(row.dueAt.toISOString(), '2026-12-06T10:00:00.000Z');
    });
    assert.equal(syncs(), 1, 'one sync at start between the two');
    for (const t of [a, b]) t.flex.setScorecardCatalog(CATALOG);

    assert.equal(await bothLook(), 0, 'not due within the hour');
    now = new Date(now.getTime() + 59 * 60_000);
    assert.equal(await bothLook(), 0, 'not due after 59 minutes');
    assert.equal(syncs(), 1);

    for (let hour = 1; hour <= 3; hour += 1) {
      now = new Date(now.getTime() + HOUR);
      assert.equal(await bothLook(), 1, `one sync in interval ${hour}, however many look`);
      assert.equal(syncs(), 1 + hour);
    }
    const questionnaires = await a.prisma.questionnaire.findMany({ where: { active: true } });
    assert.deepEqual(questionnaires.map((q) => q.name).sort(), ['Customer Experience', 'Short']);
    const row = await b.prisma.questionnaireSyncSchedule.findUniqueOrThrow({ where: { slackWorkspaceId: '' } });
    assert.match(row.lastResult ?? '', /^added 0, updated 0, deactivated 0, unchanged 2$/);
  });
});
