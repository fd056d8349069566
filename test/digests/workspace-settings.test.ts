import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openDatabase } from '../../src/db/prisma-client.js';
import {
  cronProblem,
  MAX_TEAM_CHANNELS,
  settingsInForce,
  teamChannelsChosen,
  teamsOffered,
  timeZoneProblem,
  type WorkspaceSettings,
} from '../../src/domain/workspace-settings/workspace-settings.js';
import type { PrismaClient } from '../../src/generated/prisma/client.js';
import { workspaceSettingsModal } from '../../src/slack/settings/workspace-settings-view.js';
import { viewProblems } from '../fakes/slack/block-kit-rules.js';
import { runCli } from '../helpers/run-cli.js';
import { createTestDatabase, SIGNING_SECRET } from '../helpers/test-app.js';

const DEFAULTS: WorkspaceSettings = {
  feedbackDms: false,
  digestChannelId: 'C0ENVCHAN1',
  digestCron: '0 9 * * 1',
  digestTimeZone: 'UTC',
  agentSummaries: false,
  digestTeamChannels: new Map([['Billing', 'C0ENVBILL1']]),
};

describe('per-team digest channels in the settings form', () => {
  it('offers the teams with a channel first, then the others, at most MAX_TEAM_CHANNELS, within Block Kit’s limits', () => {
    const known = Array.from(
      { length: 60 },
      (_, i) => `Team ${String(i).padStart(2, '0')} ${'x'.repeat(i === 7 ? 300 : 3)}`,
    );
    const configured = new Map([['Zeta', 'C0ZETA0001']]);
    const { offered, total } = teamsOffered(configured, [...known, 'Zeta']);
    assert.equal(total, 61);
    assert.equal(offered.length, MAX_TEAM_CHANNELS);
    assert.equal(offered[0], 'Zeta', 'the team with a channel first');
    const modal = workspaceSettingsModal(
      { ...DEFAULTS, digestTeamChannels: configured },
      { offered, total, metadata: '{}' },
    );
    assert.deepEqual(viewProblems(modal, 'modal'), []);
    assert.match(JSON.stringify(modal), /40 of 61 teams are listed here/);
  });

  it('saves the offered teams as chosen and keeps channels of teams the form did not list', () => {
    const configured = new Map([
      ['Billing', 'C0BILL0001'],
      ['Hidden', 'C0HIDE0001'],
    ]);
    const chosen = teamChannelsChosen(configured, ['Billing', 'Sales'], [null, 'C0SALE0001']);
    assert.deepEqual(Object.fromEntries(chosen), { Hidden: 'C0HIDE0001', Sales: 'C0SALE0001' });
  });
});

describe('a workspace’s settings: what its admin saved, over the environment’s defaults', () => {
  it('takes the defaults where nothing was saved, and what was saved where it was', () => {
    assert.deepEqual(settingsInForce(DEFAULTS, undefined), DEFAULTS);
    assert.deepEqual(
      settingsInForce(DEFAULTS, { feedbackDms: true, digestCron: '30 8 * * 5', digestTimeZone: 'Europe/Berlin' }),
      { ...DEFAULTS, feedbackDms: true, digestCron: '30 8 * * 5', digestTimeZone: 'Europe/Berlin' },
    );
  });

  it('reads a saved empty channel as "no digest", even when DIGEST_CHANNEL names one', () => {
    assert.equal(settingsInForce(DEFAULTS, { digestChannelId: '' }).digestChannelId, undefined);
    assert.equal(settingsInForce(DEFAULTS, { digestChannelId: 'C0SAVED001' }).digestChannelId, 'C0SAVED001');
  });

  it('accepts what croner and Intl read, and says what to type otherwise', () => {
    assert.equal(cronProblem('0 9 * * 1'), undefined);
    assert.match(cronProblem('every monday') ?? '', /5 fields/);
    assert.match(cronProblem('  ') ?? '', /Give a cron expression/);
    assert.equal(timeZoneProblem('America/New_York'), undefined);
    assert.match(timeZoneProblem('Mars/Olympus') ?? '', /IANA zone/);
  });
});

describe('npm run digest -- preview, with one workspace', () => {
  let database: { databaseUrl: string; dispose(): Promise<void> };
  let prisma: PrismaClient;
  before(async () => {
    database = await createTestDatabase();
    prisma = await openDatabase(database.databaseUrl);
  });
  after(async () => {
    await prisma.$disconnect();
    await database.dispose();
  });
  /** The single workspace's settings, as an operator's shell holds them. */
  const cliEnv = () => ({
    DATABASE_URL: database.databaseUrl,
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
    TWILIO_AUTH_TOKEN: 'test-auth-token',
  });

  it('previews the digest for the channel the admin saved on the Home tab rather than DIGEST_CHANNEL', async () => {
    const env = { ...cliEnv(), DIGEST_CHANNEL: 'C0ENVCHAN1', DIGEST_CHART: 'false' };
    const args = ['preview', '--period-end', '2026-12-07T09:00:00Z'];
    const before = await runCli('digest', args, { env });
    assert.equal(before.code, 0, before.stderr);
    assert.match(before.stdout, /=== workspace → channel C0ENVCHAN1/);
    await prisma.workspaceSettings.create({ data: { workspaceKey: '', digestChannelId: 'C0SAVED001' } });
    const after = await runCli('digest', args, { env });
    assert.equal(after.code, 0, after.stderr);
    assert.match(after.stdout, /=== workspace → channel C0SAVED001/);
  });

  it('does not promise a chart for a quiet week: there is nothing to draw', async () => {
    const env = { ...cliEnv(), DIGEST_CHART: 'true' };
    const quiet = await runCli('digest', ['preview', '--period-end', '2026-12-07T09:00:00Z'], { env });
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.match(quiet.stdout, /A quiet week/);
    assert.doesNotMatch(quiet.stdout, /Chart below/);
    assert.doesNotMatch(quiet.stdout, /chart:/);
  });
});
