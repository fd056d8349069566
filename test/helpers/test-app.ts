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
  prisma: PrismaClient;
  flexClient: FlexClient;
  sender: SlackSender;
  baseUrl: string;
  databaseUrl: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Extra or replaced settings, as environment variables. */
  env?: Record<string, string>;
  /** Leave the reviewer unmapped (no identity row). */
  withoutReviewer?: boolean;
  /** The app's logger (Bolt's, the WebClient's and ours), e.g. a CaptureLogger. */
  logger?: Logger;
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
    scopes: ['chat:write', 'commands', 'links:read', 'links:write', 'users:read', 'users:read.email'],
  });
  const flex = await FakeFlexApi.start();
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

  const dir = mkdtempSync(join(tmpdir(), 'flex-qm-test-'));
  const databaseUrl = `file:${join(dir, 'test.db')}`;
  await applyMigrations({ databaseUrl });
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
    prisma,
    flexClient,
    sender,
    baseUrl,
    databaseUrl,
    async close() {
      await app.stop(2_000);
      await flexClient.close();
      await prisma.$disconnect();
      await slack.close();
      await flex.close();
      rmSync(dir, { recursive: true, force: true });
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
