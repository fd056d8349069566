import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel as BoltLogLevel, type Logger, webApi } from '@slack/bolt';
import type { Config, LogLevel } from './config/config.js';
import { isDatabaseReachable } from './db/prisma-client.js';
import { AssessmentRepository } from './db/repositories/assessment-repository.js';
import { CategoryRepository } from './db/repositories/category-repository.js';
import { IdentityRepository } from './db/repositories/identity-repository.js';
import { LinkRequestRepository } from './db/repositories/link-request-repository.js';
import { DeliveryService } from './domain/assessments/delivery-service.js';
import { DeliveryWorker } from './domain/assessments/delivery-worker.js';
import type { RetryPolicy } from './domain/assessments/retry-policy.js';
import { RetryService } from './domain/assessments/retry-service.js';
import { SubmissionService } from './domain/assessments/submission-service.js';
import { CategoryCatalog } from './domain/categories/category-catalog.js';
import type { SyncReport } from './domain/identities/identity-sync.js';
import { LinkRequests } from './domain/identities/link-requests.js';
import { ReviewerAccess } from './domain/identities/reviewer-access.js';
import { createFlexCallDirectory } from './flex/flex-call-directory.js';
import type { FlexClient } from './flex/flex-client.js';
import { createTaskRouterClient } from './flex/taskrouter-client.js';
import type { PrismaClient } from './generated/prisma/client.js';
import { createSecretBox } from './security/secret-box.js';
import { patientSlackClient, UsergroupMembers } from './slack/directory/slack-users.js';
import { registerListeners } from './slack/listeners/index.js';
import { Announcer } from './slack/notifications/announcer.js';
import { MissedNotices } from './slack/notifications/missed-notices.js';
import { ReviewerNotifier } from './slack/notifications/reviewer-notifier.js';
import { SlackReceiver } from './slack/receiver/slack-receiver.js';
import { PollingLoop } from './support/polling-loop.js';
import { withTimeout } from './support/with-timeout.js';
import { runIdentitySync } from './wiring/identity-sync.js';

export interface AppDependencies {
  config: Config;
  prisma: PrismaClient;
  flex: FlexClient;
  logger?: Logger;
  /** Retries of Slack Web API calls; tests set 0 so a failing fake answers at once. */
  slackRetries?: number;
  retryPolicy?: RetryPolicy;
  deliveryPollIntervalMs?: number;
  /** How long a settled assessment's own instance has to tell the reviewer before any instance does. */
  missedNoticeGraceMs?: number;
  /** How long Flex may take to say whose call a segment is before the modal asks instead. */
  callLookupTimeoutMs?: number;
}

export interface QmApp {
  bolt: App;
  worker: DeliveryWorker;
  catalog: CategoryCatalog;
  /** Starts serving Slack and delivering; resolves with the HTTP port (0 in config picks a free one). */
  start(): Promise<{ port: number }>;
  /** Stops intake, lets work under way finish within the deadline, and closes what it opened. */
  stop(deadlineMs?: number): Promise<void>;
}

const BOLT_LEVELS: Record<LogLevel, BoltLogLevel> = {
  debug: BoltLogLevel.DEBUG,
  info: BoltLogLevel.INFO,
  warn: BoltLogLevel.WARN,
  error: BoltLogLevel.ERROR,
};

/** Builds the whole app from its settings and adapters: Slack surface, domain services and the delivery worker. */
export function createQmApp(deps: AppDependencies): QmApp {
  const { config, prisma, flex } = deps;
  const retries = deps.slackRetries ?? 2;

  const health = healthHandler(prisma);
  const bolt = new App({
    token: config.slack.botToken,
    ...(config.slack.appToken
      ? {
          socketMode: true,
          appToken: config.slack.appToken,
          customRoutes: [{ path: '/healthz', method: ['GET'], handler: health }],
          installerOptions: { port: config.port },
        }
      : {
          // Our receiver: signatures always checked, Slack's sizes and shapes enforced (see SlackReceiver).
          receiver: new SlackReceiver({
            signingSecret: config.slack.signingSecret ?? '',
            routes: [{ method: 'GET', path: '/healthz', handler: health }],
          }),
        }),
    ...(config.slack.botId ? { botId: config.slack.botId } : {}),
    ...(config.slack.botUserId ? { botUserId: config.slack.botUserId } : {}),
    ...(deps.logger ? { logger: deps.logger } : {}),
    logLevel: BOLT_LEVELS[config.logLevel],
    clientOptions: {
      slackApiUrl: config.slack.apiUrl,
      retryConfig: { retries, factor: 2, minTimeout: 500, maxTimeout: 2_000 },
    },
  });
  const logger = bolt.logger;
  const logError = (what: string) => (error: unknown) => logger.error(what, error);

  const assessments = new AssessmentRepository(prisma);
  const identities = new IdentityRepository(prisma, config.secretsKey ? createSecretBox(config.secretsKey) : undefined);
  const categories = new CategoryRepository(prisma);
  const catalog = new CategoryCatalog(categories, 30_000, logError('Refreshing categories failed'));
  const calls = createFlexCallDirectory(flex, deps.callLookupTimeoutMs ?? 1_500, (error) =>
    logger.warn(`Flex segment lookup failed: ${error instanceof Error ? error.message : String(error)}`),
  );
  const delivery = new DeliveryService({
    store: assessments,
    gateway: flex,
    credentials: identities,
    policy: deps.retryPolicy ?? {
      maxAttempts: config.delivery.maxAttempts,
      baseDelayMs: config.delivery.baseDelayMs,
      maxDelayMs: config.delivery.maxDelayMs,
    },
    claimLeaseMs: config.flex.timeoutMs * 2 + 5_000,
    // The Flex client's connection pool holds 64; more at once would only wait in its queue.
    maxConcurrent: 64,
    // What a busy Flex left pending is taken by the worker as soon as an attempt ends, not at its next poll.
    onRoom: () => worker.wake(),
  });
  // Group membership is asked inside Slack's 3-second window, so a slow answer counts as "not a member".
  const usergroup = config.reviewerUsergroupId
    ? new UsergroupMembers(bolt.client, config.reviewerUsergroupId, logger)
    : undefined;
  const inReviewerGroup = usergroup
    ? (userId: string) =>
        withTimeout(usergroup.has(userId), 1_500, 'usergroups.users.list').catch((error: unknown) => {
          logger.warn(`Reviewer user group check failed: ${error instanceof Error ? error.message : String(error)}`);
          return false;
        })
    : undefined;
  const access = new ReviewerAccess({
    directory: identities,
    adminSlackUsers: async () =>
      (await identities.admins()).flatMap((admin) => (admin.slackUserId ? [admin.slackUserId] : [])),
    inReviewerGroup,
    reviewerGroupId: config.reviewerUsergroupId,
  });
  const linkRequests = new LinkRequests(new LinkRequestRepository(prisma), identities);
  const workspaceSid = config.taskRouter.workspaceSid;
  const taskRouter = workspaceSid
    ? createTaskRouterClient({
        baseUrl: config.taskRouter.baseUrl,
        workspaceSid,
        credentials: { username: config.flex.username, password: config.flex.password },
        timeoutMs: config.flex.timeoutMs,
      })
    : undefined;
  let syncing: Promise<SyncReport> | undefined;
  const syncFromFlex = taskRouter
    ? (startedBy: string) => {
        // Two admins clicking at once share one run.
        syncing ??= runIdentitySync({
          taskRouter,
          identities,
          slack: patientSlackClient(config.slack.botToken, config.slack.apiUrl, logger),
          dryRun: false,
          startedBy,
        }).finally(() => {
          syncing = undefined;
        });
        return syncing;
      }
    : undefined;

  const submissions = new SubmissionService({
    store: assessments,
    reviewers: identities,
    inReviewerGroup,
    // The catalog the modal offered is asked first, so a submission reads the database only for a category
    // added since the catalog's last refresh; one deactivated since then is still taken until the refresh (30 s).
    categories: { findActive: async (id) => catalog.find(id) ?? categories.findActive(id) },
    // A new assessment is stored already claimed for its first attempt when Flex has room (one write less).
    delivery,
    calls,
    callLinkPatterns: config.callLinkPatterns,
  });
  const notifier = new ReviewerNotifier({
    client: bolt.client,
    claimNotification: (id) => assessments.markReviewerNotified(id, new Date()),
    logger,
  });
  const worker = new DeliveryWorker({
    store: assessments,
    service: delivery,
    onOutcome: (outcome) => notifier.report(outcome),
    pollIntervalMs: deps.deliveryPollIntervalMs ?? config.delivery.pollIntervalMs,
    // Flex attempts are bounded by the delivery service (64); this also covers the reports to Slack after them.
    concurrency: 128,
    onError: logError('Delivering an assessment failed'),
  });

  // Announcements go through a client that reports rate limits, so they are rescheduled, not waited on.
  const announcer = new Announcer({
    client: new webApi.WebClient(config.slack.botToken, {
      slackApiUrl: config.slack.apiUrl,
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
      logger,
    }),
    assessments,
    channelOfCategory: (id) => categories.notifyChannelOf(id),
    slackUserOfAgent: (agentId) => identities.slackUserOfAgent(agentId),
    defaultChannelId: config.notifications.channelId,
    agentDm: config.notifications.agentDm,
    logger,
  });
  const announcements = new PollingLoop(
    () => announcer.runOnce(),
    deps.deliveryPollIntervalMs ?? config.delivery.pollIntervalMs,
    logError('Announcing assessments failed'),
  );

  const missedNotices = new PollingLoop(
    () => new MissedNotices({ assessments, notifier, graceMs: deps.missedNoticeGraceMs ?? 60_000 }).runOnce(),
    Math.max(deps.deliveryPollIntervalMs ?? config.delivery.pollIntervalMs, 1_000),
    logError('Telling reviewers of settled comments failed'),
  );

  registerListeners(bolt, {
    catalog,
    calls,
    submissions,
    delivery,
    notifier,
    retries: new RetryService({ store: assessments, reviewers: identities }),
    callLinkPatterns: config.callLinkPatterns,
    access,
    linkRequests,
    people: {
      identityOf: (teamId, userId) => identities.findBySlackUser(teamId, userId),
      recentAssessments: (identityId, limit) => assessments.recentOfReviewer(identityId, limit),
      lastSyncReport: () => identities.lastSyncReport(),
      syncFromFlex,
    },
  });
  bolt.error(async (error) => {
    logger.error(`Unhandled error in a Slack listener: ${error.code ?? ''} ${error.message}`);
  });

  return {
    bolt,
    worker,
    catalog,
    async start() {
      await catalog.start();
      const server = await bolt.start(config.port);
      worker.start();
      announcements.start();
      missedNotices.start();
      const address = server && typeof server === 'object' && 'address' in server ? server.address() : null;
      return { port: address && typeof address === 'object' ? (address as AddressInfo).port : config.port };
    },
    async stop(deadlineMs = 10_000) {
      await bolt.stop();
      catalog.stop();
      await Promise.all([worker.stop(deadlineMs), announcements.stop(deadlineMs), missedNotices.stop(deadlineMs)]);
      await taskRouter?.close();
    },
  };
}

function healthHandler(prisma: PrismaClient) {
  return (_req: IncomingMessage, res: ServerResponse): void => {
    void isDatabaseReachable(prisma).then((up) => {
      res.writeHead(up ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ status: up ? 'ok' : 'unavailable', database: up ? 'up' : 'down' }));
    });
  };
}
