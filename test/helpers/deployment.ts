import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import { openDatabase } from '../../src/db/prisma-client.js';
import type { PrismaClient } from '../../src/generated/prisma/client.js';
import { buildCommentModal } from '../../src/slack/views/comment-modal.js';
import { FakeFlexApi } from '../fakes/fake-flex-api.js';
import { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { type AppProcess, startAppProcess } from './app-process.js';
import { viewSubmissionPayload } from './slack-payloads.js';
import { SlackSender, type SlackSendResult } from './slack-requests.js';
import { AGENT_ID, BOT_TOKEN, CATEGORY, createTestDatabase, REVIEWER, SIGNING_SECRET, TEAM_ID } from './test-app.js';

/**
 * The app as deployed: fake Slack and Flex, one database with a reviewer and a category, and app
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
  const slack = await FakeSlackApi.start({
    botToken: BOT_TOKEN,
    teamId: TEAM_ID,
    botUserId: 'U0BOT0001',
    botId: 'B0BOT0001',
    scopes: ['chat:write', 'commands', 'links:read', 'links:write', 'users:read', 'users:read.email'],
  });
  const flex = await FakeFlexApi.start();
  flex.setCommentCategories([{ id: CATEGORY.id, name: CATEGORY.name, sort: 1 }]);
  slack.addUser({ id: REVIEWER.userId, name: 'rita', realName: REVIEWER.name, email: REVIEWER.email, teamId: TEAM_ID });
  slack.addChannel({ id: 'C0QA00001', name: 'qa', isMember: true });
  const database = await createTestDatabase(kind);
  const prisma = await openDatabase(database.databaseUrl);
  await prisma.category.create({ data: { id: CATEGORY.id, name: CATEGORY.name, source: 'flex' } });
  await prisma.identity.create({
    data: {
      email: REVIEWER.email,
      flexUserName: REVIEWER.name,
      slackUserId: REVIEWER.userId,
      slackTeamId: TEAM_ID,
      role: 'reviewer',
    },
  });
  const baseEnv = {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    SLACK_BOT_ID: 'B0BOT0001',
    SLACK_BOT_USER_ID: 'U0BOT0001',
    TWILIO_ACCOUNT_SID: flex.accountSid,
    TWILIO_AUTH_TOKEN: flex.authToken,
    FLEX_API_BASE_URL: flex.baseUrl,
    DATABASE_URL: database.databaseUrl,
    LOG_LEVEL: 'warn',
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
      const views: Array<Record<string, unknown>> = [];
      for (let i = 0; i < count; i += 1) {
        const view = buildCommentModal({
          categories: [{ ...CATEGORY, isDefault: true }],
          metadata: {
            v: 1,
            source: 'command',
            channelId: 'C0QA00001',
            responseUrl: slack.newResponseUrl(),
            segmentId: randomUUID(),
            agentId: AGENT_ID,
          },
        });
        const response = await request(`${slack.apiUrl}views.open`, {
          method: 'POST',
          headers: { authorization: `Bearer ${BOT_TOKEN}`, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ trigger_id: slack.issueTriggerId(), view: JSON.stringify(view) }).toString(),
        });
        const json = (await response.body.json()) as { ok: boolean; view: Record<string, unknown> };
        assert.ok(json.ok);
        views.push(json.view);
      }
      return views;
    },
    submit(app, view, comment, retryNum = 0) {
      const sender = new SlackSender({ url: `${app.baseUrl}/slack/events`, signingSecret: SIGNING_SECRET });
      const headers: Record<string, string> =
        retryNum > 0 ? { 'x-slack-retry-num': String(retryNum), 'x-slack-retry-reason': 'http_error' } : {};
      return sender.interaction(
        viewSubmissionPayload({
          view,
          values: { category: CATEGORY.id, comment },
          user: { id: REVIEWER.userId, name: 'rita', teamId: TEAM_ID },
          team: { id: TEAM_ID, domain: 'acme' },
        }),
        { headers },
      );
    },
    async close() {
      await Promise.all(running.map((app) => app.stop()));
      flex.setChaos(undefined);
      await prisma.$disconnect();
      await database.dispose();
      await slack.close();
      await flex.close();
    },
  };
}
