import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import { openDatabase } from '../../src/db/prisma-client.js';
import { createSecretBox } from '../../src/security/secret-box.js';
import { freePort, runAppUntilExit, startAppProcess } from '../helpers/app-process.js';
import { testSecretsKey } from '../helpers/secrets-keys.js';
import { type Fakes, fakeServiceEnv, startFakes } from '../helpers/start-fakes.js';
import { createTestDatabase } from '../helpers/test-app.js';
import { TEST_WORLD } from '../helpers/world.js';

const KEY = testSecretsKey(10);
const OTHER_KEY = testSecretsKey(11);

/** A stack trace line, as Node prints them: none may reach an operator for a refusal. */
const STACK_LINE = /^\s+at .+[:(]/m;

async function readyz(baseUrl: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await request(`${baseUrl}/readyz`);
  return { status: response.statusCode, body: (await response.body.json()) as Record<string, unknown> };
}

describe('start-up checks of the real entry point', () => {
  let fakes: Fakes;
  let database: { databaseUrl: string; dispose(): Promise<void> };
  let env: Record<string, string>;
  before(async () => {
    fakes = await startFakes(TEST_WORLD);
    database = await createTestDatabase('sqlite');
    env = {
      ...fakeServiceEnv(TEST_WORLD, fakes),
      DATABASE_URL: database.databaseUrl,
      SECRETS_KEY: KEY.toString('base64'),
    };
  });
  after(async () => {
    await database.dispose();
    await fakes.close();
  });

  it('refuses to start when Slack answers invalid_auth and Flex 401: exit 1, one paragraph each, no stack, never "listening"', async () => {
    const { code, output } = await runAppUntilExit({
      ...env,
      SLACK_BOT_TOKEN: 'xoxb-not-the-real-one',
      TWILIO_AUTH_TOKEN: 'not-the-real-auth-token',
    });
    assert.equal(code, 1, output);
    assert.match(output, /Flex QM for Slack cannot start\./);
    assert.match(output, /Slack refused SLACK_BOT_TOKEN: auth\.test answered "invalid_auth"\. .*OAuth & Permissions/);
    assert.match(
      output,
      /Flex refused the Twilio credentials in TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN \(HTTP 401, Twilio error 20003\)\. .*Twilio Console/,
    );
    assert.doesNotMatch(output, STACK_LINE, 'no stack trace');
    assert.doesNotMatch(output, /WebAPIPlatformError|listening/);
    assert.doesNotMatch(output, /not-the-real/, 'the wrong secrets are not echoed');
  });

  it('names the API key settings when those are the ones Flex refuses, and a Slack token that was revoked', async () => {
    const { code, output } = await runAppUntilExit({
      ...env,
      TWILIO_ACCOUNT_SID: '',
      TWILIO_AUTH_TOKEN: '',
      TWILIO_API_KEY: `SK${'0'.repeat(32)}`,
      TWILIO_API_SECRET: 'wrong',
    });
    assert.equal(code, 1, output);
    assert.match(output, /Flex refused the Twilio credentials in TWILIO_API_KEY and TWILIO_API_SECRET/);
    assert.doesNotMatch(output, /Slack refused/, 'Slack took the token');
    assert.doesNotMatch(output, STACK_LINE);
  });

  it('starts degraded when Slack and Flex do not answer: tries again, says so, and /readyz tells', async () => {
    const [closedSlack, closedFlex] = [await freePort(), await freePort()];
    const app = await startAppProcess('degraded', {
      ...env,
      SLACK_API_URL: `http://127.0.0.1:${closedSlack}/api/`,
      FLEX_API_BASE_URL: `http://127.0.0.1:${closedFlex}`,
      STARTUP_CHECK_ATTEMPTS: '3',
      STARTUP_CHECK_RETRY_MS: '20',
    });
    try {
      const output = app.output();
      assert.match(
        output,
        /Slack did not answer at start \(could not connect \(ECONNREFUSED\)\); trying again in 20 ms \(try 2 of 3\)/,
      );
      assert.match(output, /Flex did not answer at start .*trying again in 40 ms \(try 3 of 3\)/);
      assert.match(output, /Slack did not answer auth\.test at .* after 3 tries .*Starting without it/);
      assert.match(output, /Flex did not answer at .* after 3 tries .*comments wait in the database/);
      assert.match(output, /listening on port/);
      assert.doesNotMatch(output, STACK_LINE);
      const ready = await readyz(app.baseUrl);
      assert.equal(ready.status, 200);
      assert.equal(ready.body.status, 'degraded');
      assert.equal(ready.body.database, 'up');
      assert.deepEqual(
        [(ready.body.slack as { result: string }).result, (ready.body.flex as { result: string }).result],
        ['unreachable', 'unreachable'],
      );
      const health = await request(`${app.baseUrl}/healthz`);
      assert.equal(health.statusCode, 200);
      await health.body.dump();
    } finally {
      assert.equal(await app.stop(), 0);
    }
  });

  it('starts healthy when both accept: /readyz reports the database and the last Flex and Slack calls', async () => {
    const app = await startAppProcess('healthy', env);
    try {
      const ready = await readyz(app.baseUrl);
      assert.equal(ready.status, 200);
      assert.equal(ready.body.status, 'ok');
      assert.equal(ready.body.database, 'up');
      assert.deepEqual(ready.body.slack, {
        result: 'ok',
        call: 'auth.test',
        at: (ready.body.slack as { at: string }).at,
      });
      assert.equal((ready.body.flex as { result: string; call: string }).result, 'ok');
      assert.equal((ready.body.flex as { call: string }).call, 'listCommentCategories');
      assert.match(app.output(), /Slack and Flex accept the app's credentials/);
    } finally {
      await app.stop();
    }
  });

  describe('SECRETS_KEY while the database holds sealed values', () => {
    let sealedDb: { databaseUrl: string; dispose(): Promise<void> };
    before(async () => {
      sealedDb = await createTestDatabase('sqlite');
      const prisma = await openDatabase(sealedDb.databaseUrl);
      await prisma.identity.create({
        data: {
          email: 'rita@example.com',
          flexUserName: 'Rita',
          flexAuthorizationSealed: createSecretBox(KEY).seal('Token flex-user-rita'),
        },
      });
      await prisma.$disconnect();
    });
    after(() => sealedDb.dispose());

    it('refuses to start without SECRETS_KEY, naming it and what it sealed', async () => {
      const { code, output } = await runAppUntilExit({ ...env, DATABASE_URL: sealedDb.databaseUrl, SECRETS_KEY: '' });
      assert.equal(code, 1, output);
      assert.match(
        output,
        /SECRETS_KEY is not set, but the database holds the Flex authorizations of 1 person, sealed with it\./,
      );
      assert.doesNotMatch(output, STACK_LINE);
      assert.doesNotMatch(output, /listening/);
    });

    it('refuses to start with another key, naming it', async () => {
      const { code, output } = await runAppUntilExit({
        ...env,
        DATABASE_URL: sealedDb.databaseUrl,
        SECRETS_KEY: OTHER_KEY.toString('hex'),
      });
      assert.equal(code, 1, output);
      assert.match(output, /SECRETS_KEY is not the key that sealed what the database holds/);
      assert.doesNotMatch(output, STACK_LINE);
    });

    it('starts with the key that sealed them', async () => {
      const app = await startAppProcess('right-key', { ...env, DATABASE_URL: sealedDb.databaseUrl });
      await app.stop();
    });

    it('refuses a weak key before anything else, naming it', async () => {
      const { code, output } = await runAppUntilExit({ ...env, SECRETS_KEY: Buffer.alloc(32).toString('base64') });
      assert.equal(code, 1, output);
      assert.match(output, /SECRETS_KEY is all zeros/);
      assert.doesNotMatch(output, STACK_LINE);
    });
  });
});
