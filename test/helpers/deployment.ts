import { openDatabase } from '../../src/db/prisma-client.js';
import type { PrismaClient } from '../../src/generated/prisma/client.js';
import type { FakeFlexApi } from '../fakes/fake-flex-api.js';
import type { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { type AppProcess, startAppProcess } from './app-process.js';
import { openCommentModals } from './comment-modals.js';
import { seedDatabase } from './seed-database.js';
import { viewSubmissionPayload } from './slack-payloads.js';
import { SlackSender, type SlackSendResult } from './slack-requests.js';
import { fakeServiceEnv, startFakes } from './start-fakes.js';
import { createTestDatabase } from './test-app.js';
import { TEST_CATEGORY, TEST_REVIEWER, TEST_WORLD } from './world.js';

/**
 * The app as deployed: fake Slack and Flex, one database with a reviewer and the categories, and app
 * processes (`src/main.ts`) started on demand with the environment an operator would give them.
 */
export interface Deployment {
  slack: FakeSlackApi;
  flex: FakeFlexApi;
  prisma: PrismaClient;
  databaseUrl: string;
  start(name: string, env?: Record<string, string>): Promise<AppProcess>;
  /** Comment modals as Slack holds them after `/qm <call>`, each for its own call. */
  openViews(count: number): Promise<Array<Record<string, unknown>>>;
  submit(app: AppProcess, view: Record<string, unknown>, comment: string, retryNum?: number): Promise<SlackSendResult>;
  close(): Promise<void>;
}

export async function startDeployment(
  kind: 'sqlite' | 'postgresql',
  env: Record<string, string> = {},
): Promise<Deployment> {
  const fakes = await startFakes(TEST_WORLD);
  const { slack, flex } = fakes;
  const database = await createTestDatabase(kind);
  const prisma = await openDatabase(database.databaseUrl);
  await seedDatabase(prisma, TEST_WORLD);
  const baseEnv = {
    ...fakeServiceEnv(TEST_WORLD, fakes),
    DATABASE_URL: database.databaseUrl,
    LOG_LEVEL: 'warn',
    // No scheduled questionnaire refresh: its Flex calls would be among those the tests count.
    QUESTIONNAIRE_SYNC_INTERVAL_MINUTES: '0',
    ...env,
  };
  const running: AppProcess[] = [];
  return {
    slack,
    flex,
    prisma,
    databaseUrl: database.databaseUrl,
    async start(name, extra = {}) {
      const app = await startAppProcess(name, { ...baseEnv, ...extra });
      running.push(app);
      return app;
    },
    async openViews(count) {
      return (await openCommentModals(slack, TEST_WORLD, count, baseEnv)).map((opened) => opened.view);
    },
    submit(app, view, comment, retryNum = 0) {
      const sender = new SlackSender({ url: `${app.baseUrl}/slack/events`, signingSecret: TEST_WORLD.signingSecret });
      const headers: Record<string, string> =
        retryNum > 0 ? { 'x-slack-retry-num': String(retryNum), 'x-slack-retry-reason': 'http_error' } : {};
      return sender.interaction(
        viewSubmissionPayload({
          view,
          values: { category: TEST_CATEGORY.id, comment },
          user: { id: TEST_REVIEWER.userId, name: 'rita', teamId: TEST_WORLD.team.id },
          team: { id: TEST_WORLD.team.id, domain: TEST_WORLD.team.domain },
        }),
        { headers },
      );
    },
    async close() {
      // Everything is closed even when a step fails: a fake left listening keeps the test file running.
      try {
        await Promise.all(running.map((app) => app.stop()));
        flex.setChaos(undefined);
        await prisma.$disconnect();
        await database.dispose();
      } finally {
        await fakes.close();
      }
    },
  };
}
