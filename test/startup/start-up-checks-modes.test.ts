import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/config.js';
import { openDatabase } from '../../src/db/prisma-client.js';
import { createFlexClient, type FlexClient } from '../../src/flex/flex-client.js';
import type { PrismaClient } from '../../src/generated/prisma/client.js';
import { ServiceStatus } from '../../src/health/service-status.js';
import { runStartupChecks } from '../../src/startup/startup-checks.js';
import { StartupRefusal } from '../../src/startup/startup-refusal.js';
import { testSecretsKey } from '../helpers/secrets-keys.js';
import { type Fakes, fakeServiceEnv, startFakes } from '../helpers/start-fakes.js';
import { createTestDatabase } from '../helpers/test-app.js';
import { TEST_WORLD } from '../helpers/world.js';

const SETTINGS = { attempts: 3, retryBaseMs: 10, timeoutMs: 2_000 };

/** The start-up checks in process, for the cases that need no process of their own. */
describe('start-up checks', () => {
  let fakes: Fakes;
  let database: { databaseUrl: string; dispose(): Promise<void> };
  let prisma: PrismaClient;
  let flex: FlexClient;
  const lines: string[] = [];
  const log = { info: (m: string) => lines.push(`info ${m}`), warn: (m: string) => lines.push(`warn ${m}`) };

  before(async () => {
    fakes = await startFakes(TEST_WORLD);
    database = await createTestDatabase('sqlite');
    prisma = await openDatabase(database.databaseUrl);
    flex = createFlexClient({
      baseUrl: fakes.flex.baseUrl,
      credentials: { username: fakes.flex.accountSid, password: fakes.flex.authToken },
      timeoutMs: 2_000,
    });
  });
  after(async () => {
    await flex.close();
    await prisma.$disconnect();
    await database.dispose();
    await fakes.close();
  });

  const configOf = (env: Record<string, string>) =>
    loadConfig({ ...fakeServiceEnv(TEST_WORLD, fakes), DATABASE_URL: database.databaseUrl, ...env });

  it('in OAuth mode skips the Slack check (no workspace token) and still checks Flex', async () => {
    const before = fakes.slack.calls('auth.test').length;
    const config = configOf({
      SLACK_BOT_TOKEN: '',
      SLACK_CLIENT_ID: '1111.2222',
      SLACK_CLIENT_SECRET: 'client-secret',
      SLACK_STATE_SECRET: 's'.repeat(32),
      SECRETS_KEY: testSecretsKey(9).toString('base64'),
    });
    const status = new ServiceStatus();
    const flexBefore = fakes.flex.requests.length;
    await runStartupChecks({ config, prisma, flex, status, settings: SETTINGS, log });
    assert.equal(fakes.slack.calls('auth.test').length, before, 'auth.test not called');
    assert.equal(status.lastCall('slack'), undefined);
    assert.equal(status.lastCall('flex')?.result, 'ok');
    assert.ok(fakes.flex.requests.length > flexBefore, 'Flex was asked');
    assert.ok(
      lines.some((line) => /Slack check skipped: workspaces install the app by OAuth/.test(line)),
      'lines.some((line) => /Slack check skipped: workspaces install the app by OAuth/.test(li…',
    );
  });

  it('gives Bolt the bot’s ids from auth.test, so Bolt does not ask Slack again', async () => {
    const config = configOf({ SLACK_BOT_ID: '', SLACK_BOT_USER_ID: '' });
    assert.equal(config.slack.botId, undefined);
    const checked = await runStartupChecks({
      config,
      prisma,
      flex,
      status: new ServiceStatus(),
      settings: SETTINGS,
      log,
    });
    assert.equal(checked.slack.botId, TEST_WORLD.bot.botId);
    assert.equal(checked.slack.botUserId, TEST_WORLD.bot.userId);
  });

  it('a revoked token is refused with what to do about it; a Flex 403 names quality-management access', async () => {
    fakes.flex.failNext({
      method: 'GET',
      status: 403,
      body: JSON.stringify({ code: 20403, message: 'Forbidden', status: 403 }),
    });
    const config = configOf({ SLACK_BOT_TOKEN: 'xoxb-revoked' });
    const refusal = await runStartupChecks({
      config,
      prisma,
      flex,
      status: new ServiceStatus(),
      settings: SETTINGS,
      log,
    }).then(
      () => assert.fail('started'),
      (error: unknown) => error,
    );
    assert.ok(refusal instanceof StartupRefusal, 'refusal instanceof StartupRefusal');
    assert.equal(refusal.paragraphs.length, 2);
    assert.match(refusal.paragraphs[0] ?? '', /^Slack refused SLACK_BOT_TOKEN: auth\.test answered "invalid_auth"\./);
    assert.match(
      refusal.paragraphs[1] ?? '',
      /^Flex refused the Twilio account in TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN \(HTTP 403, Twilio error 20403\): it may not use Flex Insights quality management/,
    );
  });
});
