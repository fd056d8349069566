import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createQmApp, type QmApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { applyMigrations } from '../../src/db/migrate.js';
import { openDatabase } from '../../src/db/prisma-client.js';
import { createFlexClient, type FlexClient } from '../../src/flex/flex-client.js';
import type { PrismaClient } from '../../src/generated/prisma/client.js';
import type { FakeFlexApi } from '../fakes/fake-flex-api.js';
import type { FakeSlackApi } from '../fakes/fake-slack-api.js';
import type { FakeTaskRouterApi } from '../fakes/fake-taskrouter-api.js';
import type { SocketModeOptions } from '../fakes/slack/socket-mode.js';
import type { CaptureLogger } from './capture-logger.js';
import { createScratchPostgres } from './postgres.js';
import { testSecretsKey } from './secrets-keys.js';
import { seedDatabase } from './seed-database.js';
import { SlackSender } from './slack-requests.js';
import { SQLITE_TEMPLATE_ENV } from './sqlite-template.js';
import { fakeServiceEnv, startFakes } from './start-fakes.js';
import { TEST_APP_TOKEN, TEST_WORLD, type World } from './world.js';

export {
  TEST_AGENT_ID as AGENT_ID,
  TEST_BOT_TOKEN as BOT_TOKEN,
  TEST_CATEGORY as CATEGORY,
  TEST_OTHER_CATEGORY as OTHER_CATEGORY,
  TEST_REVIEWER as REVIEWER,
  TEST_SEGMENT_ID as SEGMENT_ID,
  TEST_SIGNING_SECRET as SIGNING_SECRET,
  TEST_TEAM_ID as TEAM_ID,
} from './world.js';

export interface TestApp {
  app: QmApp;
  slack: FakeSlackApi;
  flex: FakeFlexApi;
  /** Present when started with `withTaskRouter`: the workspace TASKROUTER_WORKSPACE_SID names. */
  taskRouter: FakeTaskRouterApi | undefined;
  prisma: PrismaClient;
  flexClient: FlexClient;
  sender: SlackSender;
  baseUrl: string;
  databaseUrl: string;
  /** Takes the database away under the running app (its volume or server is gone). */
  loseDatabase(): Promise<void>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Extra or replaced settings, as environment variables. */
  env?: Record<string, string>;
  /** Leave the reviewer unmapped (no identity row). */
  withoutReviewer?: boolean;
  /** Captures the app's log (Bolt's, the WebClient's and ours), at the env's LOG_LEVEL. */
  logger?: CaptureLogger;
  /** Also start a fake TaskRouter on the same Twilio account and configure the identity sync with it. */
  withTaskRouter?: boolean;
  /** Which database; default TEST_DATABASE (sqlite | postgresql), else SQLite. */
  database?: 'sqlite' | 'postgresql';
  /** Whether the app counts as overloaded, asked instead of its event-loop lag. */
  overloaded?: () => boolean;
  /**
   * Run the app in Socket Mode (SLACK_APP_TOKEN set, no signing secret) against the fake's WebSocket
   * server, with these of Slack's timings; `t.slack.socketMode` then sends what Slack would.
   */
  socketMode?: Omit<SocketModeOptions, 'appId' | 'appToken'>;
  /** Another test app's database (already seeded): a second instance sharing it, as deployments do. */
  sharedDatabaseUrl?: string;
  /** The clock of the scheduled questionnaire refresh, and how often it looks whether one is due. */
  clock?: () => Date;
  questionnaireSyncCheckMs?: number;
  /** Whose Slack and Flex; default TEST_WORLD (TEST_WORLD_WITH_AGENTS adds the agent, an admin and a stranger). */
  world?: World;
}

/** Runs every e2e test on PostgreSQL when TEST_DATABASE=postgresql (`npm run test:postgresql`). */
export const TEST_DATABASE: 'sqlite' | 'postgresql' =
  process.env.TEST_DATABASE === 'postgresql' ? 'postgresql' : 'sqlite';

/** A fresh, migrated database of the given kind, and how to throw it away. */
export async function createTestDatabase(
  kind: 'sqlite' | 'postgresql' = TEST_DATABASE,
): Promise<{ databaseUrl: string; dispose(): Promise<void> }> {
  // dispose() is safe to call twice.
  if (kind === 'postgresql') {
    const scratch = await createScratchPostgres();
    await applyMigrations({ databaseUrl: scratch.url });
    return { databaseUrl: scratch.url, dispose: scratch.drop };
  }
  const dir = mkdtempSync(join(tmpdir(), 'flex-qm-test-'));
  const databaseUrl = `file:${join(dir, 'test.db')}`;
  const template = process.env[SQLITE_TEMPLATE_ENV];
  if (template) copyFileSync(template, join(dir, 'test.db'));
  else await applyMigrations({ databaseUrl });
  // An app process just stopped may still be closing its -wal and -shm files as the folder goes.
  return {
    databaseUrl,
    dispose: async () => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }),
  };
}

/**
 * Starts the real app (Bolt with its HTTP receiver, the real Flex client, SQLite with the committed
 * migrations) against the local fake Slack and Flex APIs, with one reviewer and two categories.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const world = options.world ?? TEST_WORLD;
  const fakes = await startFakes(world, {
    taskRouter: options.withTaskRouter,
    ...(options.socketMode ? { socketMode: { ...options.socketMode, appToken: TEST_APP_TOKEN } } : {}),
  });
  const { slack, flex, taskRouter } = fakes;
  const database = options.sharedDatabaseUrl
    ? { databaseUrl: options.sharedDatabaseUrl, dispose: async () => undefined }
    : await createTestDatabase(options.database);
  const { databaseUrl } = database;
  const prisma = await openDatabase(databaseUrl);
  if (!options.sharedDatabaseUrl) await seedDatabase(prisma, world, { people: !options.withoutReviewer });

  const config = loadConfig({
    ...fakeServiceEnv(world, fakes),
    PORT: '0',
    // Far beyond what the fake takes, even on a loaded machine: a timeout would add an attempt. Tests of
    // the timeout set their own.
    FLEX_TIMEOUT_MS: '10000',
    // Twice that by default; the tests of a late Flex set their own.
    DELIVERY_UNKNOWN_OUTCOME_WAIT_MS: '0',
    DATABASE_URL: databaseUrl,
    SECRETS_KEY: testSecretsKey(7).toString('base64'),
    LOG_LEVEL: 'error',
    // No scheduled questionnaire refresh unless a test asks: its Flex calls would be among those tests count.
    QUESTIONNAIRE_SYNC_INTERVAL_MINUTES: '0',
    ...(options.socketMode ? { SLACK_APP_TOKEN: TEST_APP_TOKEN, SLACK_SIGNING_SECRET: '' } : {}),
    ...options.env,
  });
  const flexClient = createFlexClient({
    baseUrl: config.flex.baseUrl,
    credentials: { username: config.flex.username, password: config.flex.password },
    timeoutMs: config.flex.timeoutMs,
  });
  const app = createQmApp({
    config,
    prisma,
    flex: flexClient,
    slackRetries: 0,
    deliveryPollIntervalMs: 50,
    retryPolicy: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 100 },
    // Long enough for the fake to answer on a loaded machine (files run in parallel): a lookup that
    // timed out would make the reviewer type the agent.
    callLookupTimeoutMs: 5_000,
    ...(options.logger ? { log: options.logger.log } : {}),
    ...(options.overloaded ? { overloaded: options.overloaded } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.questionnaireSyncCheckMs ? { questionnaireSyncCheckMs: options.questionnaireSyncCheckMs } : {}),
  });
  const { port } = await app.start();
  const baseUrl = `http://127.0.0.1:${port}`;
  const sender = new SlackSender({ url: `${baseUrl}/slack/events`, signingSecret: world.signingSecret });

  return {
    app,
    slack,
    flex,
    taskRouter,
    prisma,
    flexClient,
    sender,
    baseUrl,
    databaseUrl,
    async loseDatabase() {
      await database.dispose();
      await prisma.$disconnect();
    },
    async close() {
      await app.stop(2_000);
      await flexClient.close();
      await prisma.$disconnect();
      await fakes.close();
      await database.dispose();
    },
  };
}

/**
 * Polls until the check passes (or throws its last failure after the timeout). The default timeout is
 * generous, since files run in parallel and a loaded machine is slow; a passing check returns at once.
 */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 15_000, intervalMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
