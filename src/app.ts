import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel as BoltLogLevel, type Installation, type Logger, webApi } from '@slack/bolt';
import type { ExtendedErrorHandler } from '@slack/bolt/dist/App.js';
import type { Config, LogLevel } from './config/config.js';
import { isDatabaseReachable } from './db/prisma-client.js';
import { AssessmentRepository } from './db/repositories/assessment-repository.js';
import { CategoryRepository } from './db/repositories/category-repository.js';
import { IdentityRepository } from './db/repositories/identity-repository.js';
import { InstallationRepository } from './db/repositories/installation-repository.js';
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
import { postEphemeralToResponseUrl } from './slack/notifications/response-url.js';
import { ReviewerNotifier } from './slack/notifications/reviewer-notifier.js';
import { createInstaller, INSTALL_PATH } from './slack/oauth/installer.js';
import { SlackReceiver } from './slack/receiver/slack-receiver.js';
import { slackWebApiFetch } from './slack/web-api-fetch.js';
import {
  installedWorkspaces,
  type RequestWorkspace,
  type SlackWorkspaces,
  shareConcurrent,
  singleWorkspace,
  WorkspaceClients,
  webClientFactory,
} from './slack/workspaces.js';
import { EventLoopLag } from './support/event-loop-lag.js';
import { PollingLoop } from './support/polling-loop.js';
import { withTimeout } from './support/with-timeout.js';
import { runIdentitySync } from './wiring/identity-sync.js';
import { wireScorecards } from './wiring/scorecards.js';

export interface AppDependencies {
  config: Config;
  prisma: PrismaClient;
  flex: FlexClient;
  logger?: Logger;
  /** Retries of Slack Web API calls; tests set 0 so a failing fake answers at once. */
  slackRetries?: number;
  retryPolicy?: RetryPolicy;
  deliveryPollIntervalMs?: number;
  /** Replaces the event-loop lag check that decides whether the app is overloaded (tests). */
  overloaded?: () => boolean;
  /** How long a settled assessment's own instance has to tell the reviewer before any instance does. */
  missedNoticeGraceMs?: number;
  /** How long Flex may take to say whose call a segment is before the modal asks instead. */
  callLookupTimeoutMs?: number;
}

export interface QmApp {
  bolt: App;
  /** The workspaces served: the one of SLACK_BOT_TOKEN, or those that installed the app by OAuth. */
  workspaces: SlackWorkspaces;
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
  const secretBox = config.secretsKey ? createSecretBox(config.secretsKey) : undefined;
  const categories = new CategoryRepository(prisma);
  const slackFetch = slackWebApiFetch();
  const clientOptions = {
    slackApiUrl: config.slack.apiUrl,
    retryConfig: { retries, factor: 2, minTimeout: 500, maxTimeout: 2_000 },
    fetch: slackFetch,
  };
  const health = healthHandler(prisma);
  const customRoutes = [{ path: '/healthz', method: ['GET'], handler: health }];

  // Many workspaces install the app by OAuth; otherwise it serves the one workspace of SLACK_BOT_TOKEN.
  const oauth = config.slack.oauth;
  const installations = oauth && secretBox ? new InstallationRepository(prisma, secretBox) : undefined;
  const install =
    oauth && installations
      ? createInstaller({
          oauth,
          installationStore: installations,
          slackApiUrl: config.slack.apiUrl,
          logger: deps.logger,
          logLevel: BOLT_LEVELS[config.logLevel],
          onInstalled: (installation) => giveCategories(installation),
        })
      : undefined;
  const installer = install?.installer;
  // Requests and background sends of one workspace share one token refresh.
  if (installer) installer.authorize = shareConcurrent(installer.authorize.bind(installer));
  const bolt = new App({
    ...(installer
      ? { authorize: (query) => installer.authorize(query), extendedErrorHandler: true }
      : {
          token: config.slack.botToken,
          ...(config.slack.botId ? { botId: config.slack.botId } : {}),
          ...(config.slack.botUserId ? { botUserId: config.slack.botUserId } : {}),
        }),
    ...(config.slack.appToken
      ? { socketMode: true, appToken: config.slack.appToken, customRoutes, installerOptions: { port: config.port } }
      : {
          // Our receiver: signatures always checked, Slack's sizes and shapes enforced (see SlackReceiver);
          // with OAuth it also serves the install pages.
          receiver: new SlackReceiver({
            signingSecret: config.slack.signingSecret ?? '',
            routes: [{ method: 'GET', path: '/healthz', handler: health }, ...(install?.routes ?? [])],
          }),
        }),
    ...(deps.logger ? { logger: deps.logger } : {}),
    logLevel: BOLT_LEVELS[config.logLevel],
    clientOptions,
  });
  const workspaces: SlackWorkspaces =
    installations && installer
      ? installedWorkspaces({
          queryFor: (workspaceId) => installations.queryFor(workspaceId),
          authorize: (query) => installer.authorize(query),
        })
      : singleWorkspace(config.slack.botToken ?? '');
  const logger = bolt.logger;
  const logError = (what: string) => (error: unknown) => logger.error(what, error);

  const assessments = new AssessmentRepository(prisma);
  const identities = new IdentityRepository(prisma, secretBox);
  const catalog = new CategoryCatalog(categories, 30_000, logError('Refreshing categories failed'));
  const calls = createFlexCallDirectory(flex, deps.callLookupTimeoutMs ?? 1_500, (error) =>
    logger.warn(`Flex segment lookup failed: ${error instanceof Error ? error.message : String(error)}`),
  );
  // Overloaded, Slack is answered first: new comments wait in the database for the worker, 16 sent at a time.
  // The lag is only measured when it decides something (not with OVERLOAD_LAG_MS=0, nor when a test decides).
  const loopLag = deps.overloaded || config.delivery.overloadLagMs === 0 ? undefined : new EventLoopLag();
  const overloaded = deps.overloaded ?? (loopLag && (() => loopLag.current() > config.delivery.overloadLagMs));
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
    ...(overloaded ? { overloaded } : {}),
    overloadedConcurrent: 16,
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
    adminSlackUsers: async (workspaceId) =>
      (await identities.admins(workspaceId)).flatMap((admin) => (admin.slackUserId ? [admin.slackUserId] : [])),
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
  // Every Slack workspace syncs from the one TaskRouter workspace (one Flex account behind them all), into
  // its own identities, matching people with its own bot token. Two admins clicking at once share one run.
  const syncing = new Map<string, Promise<SyncReport>>();
  const syncFromFlex = taskRouter
    ? (workspaceId: string | undefined, startedBy: string) => {
        const key = workspaceId ?? '';
        let run = syncing.get(key);
        if (!run) {
          run = workspaces
            .botTokenOf(workspaceId)
            .then((token) =>
              runIdentitySync({
                taskRouter,
                identities,
                workspaceId,
                slack: patientSlackClient(token, config.slack.apiUrl, logger),
                dryRun: false,
                startedBy,
              }),
            )
            .finally(() => syncing.delete(key));
          syncing.set(key, run);
        }
        return run;
      }
    : undefined;

  const submissions = new SubmissionService({
    store: assessments,
    reviewers: identities,
    inReviewerGroup,
    // The catalog the modal offered is asked first, so a submission reads the database only for a category
    // added since the catalog's last refresh; one deactivated since then is still taken until the refresh (30 s).
    categories: {
      findActive: async (id, workspaceId) => catalog.find(id, workspaceId) ?? categories.findActive(id, workspaceId),
    },
    // A new assessment is stored already claimed for its first attempt when Flex has room (one write less).
    delivery,
    calls,
    callLinkPatterns: config.callLinkPatterns,
  });
  // Outside a Slack request, messages go with the token of the assessment's workspace.
  const notifierClients = workspaces.multi
    ? new WorkspaceClients(workspaces, webClientFactory({ ...clientOptions, logger }))
    : { of: async () => bolt.client };
  const notifier = new ReviewerNotifier({
    clients: notifierClients,
    claimNotification: (id) => assessments.markReviewerNotified(id, new Date()),
    logger,
  });
  const worker = new DeliveryWorker({
    service: delivery,
    onOutcome: (outcome) => notifier.reportFromWorker(outcome),
    pollIntervalMs: deps.deliveryPollIntervalMs ?? config.delivery.pollIntervalMs,
    // Flex attempts are bounded by the delivery service (64); this also covers the reports to Slack after them.
    concurrency: 128,
    onError: logError('Delivering an assessment failed'),
  });

  // Announcements go through a client that reports rate limits, so they are rescheduled, not waited on.
  const announcerClientOptions = {
    slackApiUrl: config.slack.apiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    fetch: slackFetch,
    logger,
  };
  const singleAnnouncerClient = workspaces.multi
    ? undefined
    : new webApi.WebClient(config.slack.botToken, announcerClientOptions);
  const announcer = new Announcer({
    clients: singleAnnouncerClient
      ? { of: async () => singleAnnouncerClient }
      : new WorkspaceClients(workspaces, webClientFactory(announcerClientOptions)),
    assessments,
    channelOfCategory: (id, workspaceId) => categories.notifyChannelOf(id, workspaceId ?? null),
    slackUserOfAgent: (agentId, workspaceId) => identities.slackUserOfAgent(agentId, workspaceId),
    defaultChannelId: config.notifications.channelId,
    agentDm: config.notifications.agentDm,
    logger,
  });
  const announcements = new PollingLoop(
    () => announcer.runOnce(),
    deps.deliveryPollIntervalMs ?? config.delivery.pollIntervalMs,
    logError('Announcing assessments failed'),
  );

  const missed = new MissedNotices({ assessments, notifier, graceMs: deps.missedNoticeGraceMs ?? 60_000 });
  const missedNotices = new PollingLoop(
    () => missed.runOnce(),
    Math.max(deps.deliveryPollIntervalMs ?? config.delivery.pollIntervalMs, 1_000),
    logError('Telling reviewers of settled comments failed'),
  );

  const scorecards = wireScorecards({
    ...{ bolt, config, prisma, credentials: identities, access, calls, workspaces, slackClients: notifierClients },
    ...{
      logger,
      retryPolicy: deps.retryPolicy,
      pollIntervalMs: deps.deliveryPollIntervalMs ?? config.delivery.pollIntervalMs,
    },
  });
  registerListeners(bolt, {
    moreKnownIds: scorecards.knownIds,
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
      identityOf: (user) => identities.findBySlackUser(user),
      recentAssessments: (identityId, limit) => assessments.recentOfReviewer(identityId, limit),
      lastSyncReport: (workspaceId) => identities.lastSyncReport(workspaceId),
      syncFromFlex,
    },
    workspaces,
    installations: {
      async uninstalled(workspace) {
        const removed = await forget(workspace, (key) => installations?.removeWorkspace([key]));
        logger.info(`app_uninstalled: ${removed ?? 0} installation(s) of ${describeWorkspace(workspace)} removed.`);
      },
      async tokensRevoked(workspace, revoked) {
        const outcome = await forget(workspace, (key) => installations?.revokeTokens([key], revoked));
        logger.info(
          `tokens_revoked in ${describeWorkspace(workspace)}: ${outcome?.installationsRemoved ?? 0} installation(s) and ${outcome?.userTokensRemoved ?? 0} user token(s) removed.`,
        );
      },
    },
  });
  scorecards.register();
  if (workspaces.multi) {
    bolt.error(async ({ error, body }: Parameters<ExtendedErrorHandler>[0]) => {
      if (error.code === 'slack_bolt_authorization_error') {
        await tellNotInstalled(body);
        return;
      }
      logger.error(`Unhandled error in a Slack listener: ${error.code ?? ''} ${error.message}`);
    });
  } else {
    bolt.error(async (error) => {
      logger.error(`Unhandled error in a Slack listener: ${error.code ?? ''} ${error.message}`);
    });
  }

  /** With one workspace nothing is stored to forget; with OAuth installs, the workspace's installation. */
  async function forget<T>(workspace: RequestWorkspace, remove: (key: string) => Promise<T> | undefined) {
    const key = workspaces.keyOf(workspace);
    return key ? await remove(key) : undefined;
  }

  /**
   * A request from a workspace with no installation (never installed, or uninstalled): Bolt calls no
   * listener, so the person is told here, where the command or shortcut ran, what to do.
   */
  async function tellNotInstalled(body: unknown): Promise<void> {
    const responseUrl = responseUrlOf(body);
    logger.warn('A request came from a workspace where Flex QM is not installed; it was refused.');
    if (!responseUrl) return;
    const where = oauth?.redirectUri ? new URL(INSTALL_PATH, oauth.redirectUri).toString() : INSTALL_PATH;
    const text = `Flex QM is not installed in this Slack workspace (or was removed), so it cannot take QM comments here. A Slack admin can install it at ${where}.`;
    await postEphemeralToResponseUrl(responseUrl, { text, blocks: [] }).catch((error: unknown) =>
      logger.warn(`Could not say that the app is not installed: ${String(error)}`),
    );
  }

  /** A newly installed workspace is given Flex's categories at once, so /qm works straight away. */
  async function giveCategories(installation: Installation): Promise<void> {
    const key = workspaces.keyOf({
      teamId: installation.team?.id,
      enterpriseId: installation.enterprise?.id,
      isEnterpriseInstall: installation.isEnterpriseInstall === true,
    });
    if (!key) return;
    const report = await categories.syncFromFlex(await flex.listCommentCategories(), key);
    await catalog.refresh();
    logger.info(`Installed in ${key}; categories from Flex: ${report.added} added, ${report.updated} updated.`);
  }

  return {
    bolt,
    workspaces,
    worker,
    catalog,
    async start() {
      await catalog.start();
      const server = await bolt.start(config.port);
      loopLag?.start();
      worker.start();
      announcements.start();
      missedNotices.start();
      scorecards.start();
      const address = server && typeof server === 'object' && 'address' in server ? server.address() : null;
      return { port: address && typeof address === 'object' ? (address as AddressInfo).port : config.port };
    },
    async stop(deadlineMs = 10_000) {
      await bolt.stop();
      catalog.stop();
      await Promise.all([worker.stop(deadlineMs), announcements.stop(deadlineMs), missedNotices.stop(deadlineMs)]);
      await scorecards.stop(deadlineMs);
      loopLag?.stop();
      await taskRouter?.close();
    },
  };
}

function describeWorkspace(workspace: RequestWorkspace): string {
  return workspace.isEnterpriseInstall
    ? `org ${workspace.enterpriseId ?? '?'}`
    : `workspace ${workspace.teamId ?? '?'}`;
}

function responseUrlOf(body: unknown): string | undefined {
  if (!body || typeof body !== 'object' || !('response_url' in body)) return undefined;
  const url = body.response_url;
  return typeof url === 'string' && URL.canParse(url) ? url : undefined;
}

function healthHandler(prisma: PrismaClient) {
  return (_req: IncomingMessage, res: ServerResponse): void => {
    void isDatabaseReachable(prisma).then((up) => {
      res.writeHead(up ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ status: up ? 'ok' : 'unavailable', database: up ? 'up' : 'down' }));
    });
  };
}
