import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openDatabase } from '../../src/db/prisma-client.js';
import {
  cronProblem,
  settingsInForce,
  timeZoneProblem,
  type WorkspaceSettings,
} from '../../src/domain/workspace-settings/workspace-settings.js';
import type { PrismaClient } from '../../src/generated/prisma/client.js';
import { runCli } from '../helpers/run-cli.js';
import { createTestDatabase, SIGNING_SECRET } from '../helpers/test-app.js';

const DEFAULTS: WorkspaceSettings = {
  feedbackDms: false,
  digestChannelId: 'C0ENVCHAN1',
  digestCron: '0 9 * * 1',
  digestTimeZone: 'UTC',
  agentSummaries: false,
};

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

  it('previews the digest for the channel the admin saved on the Home tab rather than DIGEST_CHANNEL', async () => {
    const env = {
      DATABASE_URL: database.databaseUrl,
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
      TWILIO_AUTH_TOKEN: 'test-auth-token',
      DIGEST_CHANNEL: 'C0ENVCHAN1',
      DIGEST_CHART: 'false',
    };
    const args = ['preview', '--period-end', '2026-12-07T09:00:00Z'];
    const before = await runCli('digest', args, { env });
    assert.equal(before.code, 0, before.stderr);
    assert.match(before.stdout, /=== workspace → channel C0ENVCHAN1/);
    await prisma.workspaceSettings.create({ data: { workspaceKey: '', digestChannelId: 'C0SAVED001' } });
    const after = await runCli('digest', args, { env });
    assert.equal(after.code, 0, after.stderr);
    assert.match(after.stdout, /=== workspace → channel C0SAVED001/);
  });
});
