import assert from 'node:assert/strict';
import { request } from 'undici';
import { createQmApp, type QmApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { openDatabase } from '../../src/db/prisma-client.js';
import { createFlexClient, type FlexClient } from '../../src/flex/flex-client.js';
import type { PrismaClient } from '../../src/generated/prisma/client.js';
import { FakeFlexApi } from '../fakes/fake-flex-api.js';
import { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { FakeTaskRouterApi } from '../fakes/fake-taskrouter-api.js';
import type { CaptureLogger } from './capture-logger.js';
import { testSecretsKey } from './secrets-keys.js';
import { SlackSender } from './slack-requests.js';
import { AGENT_ID, CATEGORY, createTestDatabase, OTHER_CATEGORY, SEGMENT_ID, SIGNING_SECRET } from './test-app.js';

export const CLIENT_ID = '1234567890.9876543210';
export const CLIENT_SECRET = 'test-client-secret-0123456789abcdef';
export const STATE_SECRET = 'test-state-secret-0123456789abcdef0123456789';
/** Where Slack sends the browser back: the app's public address (a proxy in front of the test's port). */
export const PUBLIC_REDIRECT = 'https://qm.example.test/slack/oauth_redirect';
/** SECRETS_KEY of the test app (installations' tokens are sealed with it). */
export const SECRETS_KEY_BASE64 = testSecretsKey(7).toString('base64');

/** Two workspaces of one company, each with its own reviewer (the same Flex account behind both). */
export const ACME = {
  teamId: 'T0ACME0001',
  teamName: 'Acme Support',
  installer: 'U0ACMEADM1',
  reviewer: { userId: 'U0ACMEREV1', email: 'rita@acme.example', name: 'Rita Acme', flexToken: 'Token rita-flex' },
  channel: { id: 'C0ACMEQA01', name: 'qa' },
};
export const GLOBEX = {
  teamId: 'T0GLBX0001',
  teamName: 'Globex Sales',
  installer: 'U0GLBXADM1',
  reviewer: { userId: 'U0GLBXREV1', email: 'gus@globex.example', name: 'Gus Globex', flexToken: 'Token gus-flex' },
  channel: { id: 'C0GLBXQA01', name: 'qa-sales' },
};
export type TestTeam = typeof ACME;

export interface OAuthTestApp {
  app: QmApp;
  slack: FakeSlackApi;
  flex: FakeFlexApi;
  flexClient: FlexClient;
  /** Present when started with `withTaskRouter`: the workspace TASKROUTER_WORKSPACE_SID names. */
  taskRouter: FakeTaskRouterApi | undefined;
  prisma: PrismaClient;
  sender: SlackSender;
  baseUrl: string;
  databaseUrl: string;
  close(): Promise<void>;
}

/**
 * The app in OAuth mode (no SLACK_BOT_TOKEN): the fake Slack knows the app's client id and secret and
 * serves two teams that have not installed it yet; Flex knows both reviewers by their own tokens.
 */
export async function startOAuthTestApp(
  options: {
    tokenRotation?: boolean;
    withTaskRouter?: boolean;
    orgDeploy?: boolean;
    /** Captures the app's log at debug level. */
    logger?: CaptureLogger;
    /** More settings (e.g. DIGEST_POLL_MS), over the ones below. */
    env?: Record<string, string>;
  } = {},
): Promise<OAuthTestApp> {
  const slack = await FakeSlackApi.start({
    teamId: 'T0UNUSED01',
    oauth: {
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUrls: [PUBLIC_REDIRECT],
      tokenRotation: options.tokenRotation ?? false,
      orgDeploy: options.orgDeploy ?? false,
    },
  });
  for (const team of [ACME, GLOBEX]) {
    slack.addTeam({
      teamId: team.teamId,
      teamName: team.teamName,
      teamDomain: team.teamName.split(' ')[0]?.toLowerCase(),
    });
    slack.addUser({ id: team.installer, name: 'admin', teamId: team.teamId });
    slack.addUser({
      id: team.reviewer.userId,
      name: team.reviewer.name,
      email: team.reviewer.email,
      teamId: team.teamId,
    });
    slack.addChannel({ ...team.channel, isMember: true }, team.teamId);
  }
  const flex = await FakeFlexApi.start();
  const taskRouter = options.withTaskRouter
    ? await FakeTaskRouterApi.start({ accountSid: flex.accountSid, authToken: flex.authToken })
    : undefined;
  flex.setCommentCategories([
    { id: CATEGORY.id, name: CATEGORY.name, sort: 1 },
    { id: OTHER_CATEGORY.id, name: OTHER_CATEGORY.name, sort: 2 },
  ]);
  flex.addSegment({ segment_id: SEGMENT_ID, agent_id: AGENT_ID, agent_name: 'Alex Agent', queue: 'Support' });
  for (const team of [ACME, GLOBEX]) {
    flex.addUser(team.reviewer.flexToken, { name: team.reviewer.name, email: team.reviewer.email });
  }
  const database = await createTestDatabase();
  const prisma = await openDatabase(database.databaseUrl);
  const config = loadConfig({
    SLACK_CLIENT_ID: CLIENT_ID,
    SLACK_CLIENT_SECRET: CLIENT_SECRET,
    SLACK_STATE_SECRET: STATE_SECRET,
    SLACK_REDIRECT_URI: PUBLIC_REDIRECT,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    SLACK_RESPONSE_URL_ORIGINS: new URL(slack.apiUrl).origin,
    PORT: '0',
    TWILIO_ACCOUNT_SID: flex.accountSid,
    TWILIO_AUTH_TOKEN: flex.authToken,
    FLEX_API_BASE_URL: flex.baseUrl,
    // Far beyond what the fake takes, even on a loaded machine: a timeout would add an attempt. Tests of
    // the timeout set their own.
    FLEX_TIMEOUT_MS: '10000',
    // Twice that by default (wiring/delivery.ts); no test here is about a late Flex.
    DELIVERY_UNKNOWN_OUTCOME_WAIT_MS: '0',
    QUESTIONNAIRE_SYNC_INTERVAL_MINUTES: '0',
    DATABASE_URL: database.databaseUrl,
    SECRETS_KEY: SECRETS_KEY_BASE64,
    LOG_LEVEL: options.logger ? 'debug' : 'error',
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
    // Long enough for the fake to answer on a loaded machine (files run in parallel): a lookup that
    // timed out would make the reviewer type the agent.
    callLookupTimeoutMs: 5_000,
    ...(options.logger ? { log: options.logger.log } : {}),
  });
  const { port } = await app.start();
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    app,
    slack,
    flex,
    flexClient,
    taskRouter,
    prisma,
    sender: new SlackSender({ url: `${baseUrl}/slack/events`, signingSecret: SIGNING_SECRET }),
    baseUrl,
    databaseUrl: database.databaseUrl,
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

export interface BrowserResponse {
  status: number;
  location: string | undefined;
  setCookie: string[];
  body: string;
}

/** A GET as a browser makes it, without following redirects. */
export async function browserGet(url: string, cookie?: string): Promise<BrowserResponse> {
  const response = await request(url, { method: 'GET', headers: cookie ? { cookie } : {} });
  const raw = response.headers['set-cookie'];
  const location = response.headers.location;
  return {
    status: response.statusCode,
    location: typeof location === 'string' ? location : undefined,
    setCookie: raw === undefined ? [] : Array.isArray(raw) ? raw : [raw],
    body: await response.body.text(),
  };
}

/**
 * The whole install as a browser lives it: /slack/install redirects to Slack's consent page with a
 * state (also set as a cookie); the installer clicks Allow; Slack redirects back (through the public
 * address, here the test's port) with a code; the app stores the installation and shows a page.
 */
export async function install(t: OAuthTestApp, team: TestTeam): Promise<BrowserResponse> {
  const start = await browserGet(`${t.baseUrl}/slack/install`);
  assert.equal(start.status, 302, start.body);
  const cookie = start.setCookie.map((c) => c.split(';')[0]).join('; ');
  const back = new URL(t.slack.approveInstall(start.location ?? '', { teamId: team.teamId, userId: team.installer }));
  return browserGet(`${t.baseUrl}${back.pathname}${back.search}`, cookie);
}

/** The same install by an Enterprise Grid org admin who picks the whole org on Slack's consent page. */
export async function installOrgWide(
  t: OAuthTestApp,
  org: { enterpriseId: string; installer: string },
): Promise<BrowserResponse> {
  const start = await browserGet(`${t.baseUrl}/slack/install`);
  assert.equal(start.status, 302, start.body);
  const cookie = start.setCookie.map((c) => c.split(';')[0]).join('; ');
  const back = new URL(
    t.slack.approveInstall(start.location ?? '', {
      enterpriseId: org.enterpriseId,
      userId: org.installer,
      orgWide: true,
    }),
  );
  return browserGet(`${t.baseUrl}${back.pathname}${back.search}`, cookie);
}

/** Links a team's reviewer to their Flex identity (with their own Flex token) in the team's workspace. */
export async function linkReviewer(_t: OAuthTestApp, team: TestTeam, identities: IdentityWriter): Promise<void> {
  await identities.upsertByEmail({
    workspaceId: team.teamId,
    email: team.reviewer.email,
    flexUserName: team.reviewer.name,
    slackUserId: team.reviewer.userId,
    slackTeamId: team.teamId,
    role: 'reviewer',
    flexAuthorization: team.reviewer.flexToken,
  });
}

interface IdentityWriter {
  upsertByEmail(input: {
    workspaceId: string;
    email: string;
    flexUserName: string;
    slackUserId: string;
    slackTeamId: string;
    role: 'reviewer';
    flexAuthorization: string;
  }): Promise<unknown>;
}

/** The settings an operator's admin command runs with against this app's database, in OAuth mode. */
export function oauthCliEnv(t: OAuthTestApp): Record<string, string> {
  return {
    DATABASE_URL: t.databaseUrl,
    SECRETS_KEY: SECRETS_KEY_BASE64,
    SLACK_CLIENT_ID: CLIENT_ID,
    SLACK_CLIENT_SECRET: CLIENT_SECRET,
    SLACK_STATE_SECRET: STATE_SECRET,
    SLACK_REDIRECT_URI: PUBLIC_REDIRECT,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: t.slack.apiUrl,
    TWILIO_ACCOUNT_SID: t.flex.accountSid,
    TWILIO_AUTH_TOKEN: t.flex.authToken,
    FLEX_API_BASE_URL: t.flex.baseUrl,
  };
}
