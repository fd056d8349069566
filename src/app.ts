import type { AddressInfo } from 'node:net';
import type { App } from '@slack/bolt';
import type { Config } from './config/config.js';
import { AssessmentRepository } from './db/repositories/assessment-repository.js';
import { CategoryRepository } from './db/repositories/category-repository.js';
import { IdentityRepository } from './db/repositories/identity-repository.js';
import { LinkRequestRepository } from './db/repositories/link-request-repository.js';
import type { DeliveryWorker } from './domain/assessments/delivery-worker.js';
import type { RetryPolicy } from './domain/assessments/retry-policy.js';
import type { CategoryCatalog } from './domain/categories/category-catalog.js';
import { LinkRequests } from './domain/identities/link-requests.js';
import type { QuestionnaireRefresh } from './domain/scorecards/questionnaire-refresh.js';
import { logArgs } from './flex/errors.js';
import type { FlexClient } from './flex/flex-client.js';
import type { PrismaClient } from './generated/prisma/client.js';
import type { ServiceStatus } from './health/service-status.js';
import type { AppLogger } from './logging/logger.js';
import { createSecretBox } from './security/secret-box.js';
import { publishHome } from './slack/listeners/home.js';
import { registerListeners } from './slack/listeners/index.js';
import { openCommentModal } from './slack/listeners/open-comment-modal.js';
import type { ListenerServices } from './slack/listeners/services.js';
import type { SlackWorkspaces } from './slack/workspaces.js';
import { wireComments } from './wiring/comments.js';
import { wireDelivery } from './wiring/delivery.js';
import { wireDigests } from './wiring/digests.js';
import { wireFeedback } from './wiring/feedback.js';
import { wireCallHistory } from './wiring/history.js';
import { wireIdentitySync } from './wiring/identity-sync.js';
import { wireNotifications } from './wiring/notifications.js';
import { createObservability } from './wiring/observability.js';
import { wireQuestionnaireRefresh } from './wiring/questionnaire-refresh.js';
import { wireReadiness } from './wiring/readiness.js';
import { wireReviewerAccess } from './wiring/reviewer-access.js';
import { wireScorecards } from './wiring/scorecards.js';
import { modalMetadataSealFor } from './wiring/security.js';
import { createSlackApp } from './wiring/slack-app.js';
import { wireWorkspaceInstalls } from './wiring/workspace-installs.js';
import { wireWorkspaceSettings } from './wiring/workspace-settings.js';

export interface AppDependencies {
  config: Config;
  prisma: PrismaClient;
  flex: FlexClient;
  /** Unless given, JSON lines on stdout (LOG_FORMAT, LOG_LEVEL); Bolt's and Slack's clients' lines too. */
  log?: AppLogger;
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
  /** What Flex and Slack last answered, for /readyz (main gives the one its start-up checks wrote). */
  serviceStatus?: ServiceStatus;
  /** How often the scheduled questionnaire refresh looks whether one is due (tests); a minute by default. */
  questionnaireSyncCheckMs?: number;
  /** The clock of the scheduled questionnaire refresh (tests move it on). */
  clock?: () => Date;
}

export interface QmApp {
  bolt: App;
  /** The workspaces served: the one of SLACK_BOT_TOKEN, or those that installed the app by OAuth. */
  workspaces: SlackWorkspaces;
  worker: DeliveryWorker;
  catalog: CategoryCatalog;
  /** The scheduled questionnaire refresh; undefined when QUESTIONNAIRE_SYNC_INTERVAL_MINUTES is 0. */
  questionnaireRefresh: QuestionnaireRefresh | undefined;
  /** Starts serving Slack and delivering; resolves with the HTTP port (0 in config picks a free one). */
  start(): Promise<{ port: number }>;
  /** Stops intake, lets work under way finish within the deadline, and closes what it opened. */
  stop(deadlineMs?: number): Promise<void>;
}

/** The composition root: builds the app from its settings and adapters by calling the wiring modules. */
export function createQmApp(deps: AppDependencies): QmApp {
  const { config, prisma } = deps;
  const obs = createObservability({ config, prisma, log: deps.log });
  const readiness = wireReadiness(deps);
  const flex = obs.instrumentFlex(readiness.flex);
  const secretBox = config.secretsKey ? createSecretBox(config.secretsKey) : undefined;
  const slack = createSlackApp({
    config,
    prisma,
    obs,
    readiness,
    secretBox,
    retries: deps.slackRetries ?? 2,
    onInstalled: (installation) => installs.installed(installation),
  });
  const { bolt, workspaces } = slack;
  const logger = bolt.logger;
  const logError = (what: string) => (error: unknown) => logger.error(...logArgs(what, error));

  const categories = new CategoryRepository(prisma);
  const assessments = new AssessmentRepository(prisma);
  const identities = new IdentityRepository(prisma, secretBox);
  const { access, inReviewerGroup } = wireReviewerAccess({ config, client: bolt.client, identities, logger });
  const identitySync = wireIdentitySync({ config, identities, workspaces, logger });
  const notifications = wireNotifications({
    ...slack,
    config,
    logger,
    assessments,
    categories,
    identities,
    pollIntervalMs: deps.deliveryPollIntervalMs,
    missedNoticeGraceMs: deps.missedNoticeGraceMs,
    recordFeedback: (assessment, agentSlackUserId) => feedback.recordComment(assessment, agentSlackUserId),
    logError,
  });
  const { notifier } = notifications;
  const delivery = wireDelivery({
    config,
    assessments,
    identities,
    flex,
    reporter: obs.reporter,
    retryPolicy: deps.retryPolicy,
    overloaded: deps.overloaded,
    pollIntervalMs: deps.deliveryPollIntervalMs,
    onOutcome: (outcome) => notifier.reportFromWorker(outcome),
    onError: logError('Delivering an assessment failed'),
  });
  const { worker } = delivery;
  const { catalog, calls, submissions, retries } = wireComments({
    config,
    flex,
    assessments,
    categories,
    identities,
    delivery: delivery.service,
    inReviewerGroup,
    observer: obs.reporter,
    callLookupTimeoutMs: deps.callLookupTimeoutMs,
    logger,
    logError,
  });
  const callHistory = wireCallHistory({
    flex,
    prisma,
    credentials: identities,
    logger,
    countTimeoutMs: deps.callLookupTimeoutMs ?? 1_500,
  });
  const installs = wireWorkspaceInstalls({ ...slack, oauth: config.slack.oauth, categories, catalog, flex, logger });

  const forms = modalMetadataSealFor(config);
  const feedback = wireFeedback({
    config,
    prisma,
    bolt,
    logger,
    identities,
    categories,
    workspaceOf: (context) => workspaces.keyOf(context),
    forms,
    rateLimitedClients: () => notifications.rateLimitedClients,
    pollIntervalMs: deps.deliveryPollIntervalMs ?? config.delivery.pollIntervalMs,
    refreshHome: (client, user) => publishHome(listenerServices, client, user),
    openCommentForm: (client, log, triggerId, metadata, extra, workspaceId) =>
      openCommentModal(listenerServices, client, log, triggerId, metadata, extra, workspaceId),
  });
  const scorecards = wireScorecards({
    bolt,
    config,
    prisma,
    credentials: identities,
    reviewers: identities,
    access,
    calls,
    workspaces,
    slackClients: notifications.clients,
    logger,
    forms,
    comments: { submissions, delivery: delivery.service, notifier, catalog, assessments },
    announcements: {
      channelOfCategory: (id, workspaceId) => categories.notifyChannelOf(id, workspaceId ?? null),
      slackUserOfAgent: (agentId, workspaceId) => identities.slackUserOfAgent(agentId, workspaceId),
    },
    retryPolicy: deps.retryPolicy,
    pollIntervalMs: deps.deliveryPollIntervalMs ?? config.delivery.pollIntervalMs,
    flex,
    observer: obs.reporter,
    onSettled: (scorecard) => feedback.recordScorecard(scorecard),
    revisions: feedback.scoreRevisions,
  });
  const questionnaireRefresh = wireQuestionnaireRefresh({
    config,
    prisma,
    flex,
    logger,
    checkIntervalMs: deps.questionnaireSyncCheckMs,
    now: deps.clock,
  });
  const digests = wireDigests({ config, prisma, clients: notifications.clients, logError });
  const settings = wireWorkspaceSettings({
    config,
    prisma,
    bolt,
    workspaceOf: (context) => workspaces.keyOf(context),
    isAdmin: async (user) => (await identities.findBySlackUser(user))?.role === 'admin',
    refreshHome: (client, user) => publishHome(listenerServices, client, user),
    teamNames: (workspaceId) => identities.teamNames(workspaceId),
  });
  const listenerServices: ListenerServices = {
    moreKnownIds: {
      views: [...scorecards.knownIds.views, ...feedback.knownIds.views, ...settings.knownIds.views],
      actions: [...scorecards.knownIds.actions, ...feedback.knownIds.actions, ...settings.knownIds.actions],
    },
    feedback: feedback.hooks,
    workspaceSettings: settings.hooks,
    scoring: scorecards.scoring,
    catalog,
    calls,
    submissions,
    delivery: delivery.service,
    notifier,
    modalMetadata: forms,
    retries,
    callLinkPatterns: config.callLinkPatterns,
    access,
    linkRequests: new LinkRequests(new LinkRequestRepository(prisma), identities),
    people: {
      identityOf: (user) => identities.findBySlackUser(user),
      recentAssessments: (identityId, limit) => assessments.recentOfReviewer(identityId, limit),
      lastSyncReport: (workspaceId) => identities.lastSyncReport(workspaceId),
      syncFromFlex: identitySync.syncFromFlex,
    },
    workspaces,
    installations: installs.events,
    history: callHistory.history,
  };
  registerListeners(bolt, listenerServices);
  scorecards.register();
  feedback.register();
  settings.register();
  installs.handleErrors(bolt);

  return {
    bolt,
    workspaces,
    worker,
    catalog,
    questionnaireRefresh: questionnaireRefresh?.refresh,
    async start() {
      await catalog.start();
      const server = await bolt.start(config.port);
      delivery.loopLag?.start();
      worker.start();
      notifications.start();
      scorecards.start();
      digests.start();
      questionnaireRefresh?.start();
      feedback.start();
      const address = server && typeof server === 'object' && 'address' in server ? server.address() : null;
      return { port: address && typeof address === 'object' ? (address as AddressInfo).port : config.port };
    },
    async stop(deadlineMs = 10_000) {
      await bolt.stop();
      catalog.stop();
      await Promise.all([worker.stop(deadlineMs), notifications.stop(deadlineMs)]);
      await Promise.all([
        scorecards.stop(deadlineMs),
        digests.stop(deadlineMs),
        questionnaireRefresh?.stop(deadlineMs),
        feedback.stop(deadlineMs),
      ]);
      delivery.loopLag?.stop();
      await identitySync.close();
    },
  };
}
