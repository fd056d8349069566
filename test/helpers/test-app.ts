import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@slack/bolt';
import { createQmApp, type QmApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { applyMigrations } from '../../src/db/migrate.js';
import { openDatabase } from '../../src/db/prisma-client.js';
import { createFlexClient, type FlexClient } from '../../src/flex/flex-client.js';
import type { PrismaClient } from '../../src/generated/prisma/client.js';
import { FakeFlexApi } from '../fakes/fake-flex-api.js';
import { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { FakeTaskRouterApi } from '../fakes/fake-taskrouter-api.js';
import { createScratchPostgres } from './postgres.js';
import { SlackSender } from './slack-requests.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';
export const BOT_TOKEN = 'xoxb-test-bot-token';
export const TEAM_ID = 'T0TEST001';
export const SEGMENT_ID = '0105be7a-9b87-51f1-8df8-aa74ddb9c4a7';
export const AGENT_ID = '583fcaa6-a4ef-5447-9077-900421e37a61';
export const CATEGORY = { id: '4b4e78e4-4f05-49e2-bf52-0973c5cde418', name: 'Good for Training' };
export const OTHER_CATEGORY = { id: '9c1b7e2a-0d3f-4a5b-8c6d-7e8f9a0b1c2d', name: 'Compliance' };
export const REVIEWER = { userId: 'U0REVIEW1', email: 'rita.reviewer@example.com', name: 'Rita Reviewer' };

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
  /** The app's logger (Bolt's, the WebClient's and ours), e.g. a CaptureLogger. */
  logger?: Logger;
  /** Also start a fake TaskRouter on the same Twilio account and configure the identity sync with it. */
  withTaskRouter?: boolean;
  /** Which database; default TEST_DATABASE (sqlite | postgresql), else SQLite. */
  database?: 'sqlite' | 'postgresql';
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
  await applyMigrations({ databaseUrl });
  return { databaseUrl, dispose: async () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Starts the real app (Bolt with its HTTP receiver, the real Flex client, SQLite with the committed
 * migrations) against the local fake Slack and Flex APIs, with one reviewer and two categories.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const slack = await FakeSlackApi.start({
    botToken: BOT_TOKEN,
    teamId: TEAM_ID,
    botUserId: 'U0BOT0001',
    botId: 'B0BOT0001',
    scopes: [
      'chat:write',
      'commands',
      'links:read',
      'links:write',
      'usergroups:read',
      'users:read',
      'users:read.email',
    ],
  });
  const flex = await FakeFlexApi.start();
  const taskRouter = options.withTaskRouter
    ? await FakeTaskRouterApi.start({ accountSid: flex.accountSid, authToken: flex.authToken })
    : undefined;
  flex.setCommentCategories([
    { id: CATEGORY.id, name: CATEGORY.name, sort: 1 },
    { id: OTHER_CATEGORY.id, name: OTHER_CATEGORY.name, sort: 2 },
  ]);
  flex.addSegment({
    segment_id: SEGMENT_ID,
    agent_id: AGENT_ID,
    agent_name: 'Alex Agent',
    agent_team_name: 'Billing',
    queue: 'Support',
    customer_name: 'Casey Customer',
    date: '2026-11-20T10:00:00Z',
  });
  slack.addUser({ id: REVIEWER.userId, name: 'rita', realName: REVIEWER.name, email: REVIEWER.email, teamId: TEAM_ID });
  slack.addChannel({ id: 'C0QA00001', name: 'qa', isMember: true });

  const database = await createTestDatabase(options.database);
  const { databaseUrl } = database;
  const prisma = await openDatabase(databaseUrl);
  await prisma.category.createMany({
    data: [
      { id: CATEGORY.id, name: CATEGORY.name, sort: 1, source: 'flex' },
      { id: OTHER_CATEGORY.id, name: OTHER_CATEGORY.name, sort: 2, source: 'flex' },
    ],
  });
  if (!options.withoutReviewer) {
    await prisma.identity.create({
      data: {
        email: REVIEWER.email,
        flexUserName: REVIEWER.name,
        slackUserId: REVIEWER.userId,
        slackTeamId: TEAM_ID,
        role: 'reviewer',
      },
    });
  }

  const config = loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    SLACK_BOT_ID: 'B0BOT0001',
    SLACK_BOT_USER_ID: 'U0BOT0001',
    PORT: '0',
    TWILIO_ACCOUNT_SID: flex.accountSid,
    TWILIO_AUTH_TOKEN: flex.authToken,
    FLEX_API_BASE_URL: flex.baseUrl,
    FLEX_TIMEOUT_MS: '1000',
    DATABASE_URL: databaseUrl,
    SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
    LOG_LEVEL: 'error',
    ...(taskRouter
      ? { TASKROUTER_API_BASE_URL: taskRouter.baseUrl, TASKROUTER_WORKSPACE_SID: taskRouter.workspaceSid }
      : {}),
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
    callLookupTimeoutMs: 500,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const { port } = await app.start();
  const baseUrl = `http://127.0.0.1:${port}`;
  const sender = new SlackSender({ url: `${baseUrl}/slack/events`, signingSecret: SIGNING_SECRET });

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
      await slack.close();
      await flex.close();
      await taskRouter?.close();
      await database.dispose();
    },
  };
}

/** Polls until the check passes (or throws its last failure after the timeout). */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 3_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}
