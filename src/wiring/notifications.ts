import { type App, type Logger, webApi } from '@slack/bolt';
import type { Config } from '../config/config.js';
import type { AssessmentRepository } from '../db/repositories/assessment-repository.js';
import type { CategoryRepository } from '../db/repositories/category-repository.js';
import type { IdentityRepository } from '../db/repositories/identity-repository.js';
import { Announcer, type AnnouncerDeps } from '../slack/notifications/announcer.js';
import { MissedNotices } from '../slack/notifications/missed-notices.js';
import { ReviewerNotifier } from '../slack/notifications/reviewer-notifier.js';
import { type SlackWorkspaces, WorkspaceClients, webClientFactory } from '../slack/workspaces.js';
import { PollingLoop } from '../support/polling-loop.js';

/**
 * What the app tells people outside a Slack request: the reviewer of each settled comment (from the worker,
 * or later when the instance that settled it could not), and the announcements of posted assessments; each
 * with clients holding the token of the assessment's workspace.
 */
export function wireNotifications(deps: {
  config: Config;
  bolt: App;
  workspaces: SlackWorkspaces;
  clientOptions: webApi.WebClientOptions;
  slackFetch: webApi.FetchFunction;
  logger: Logger;
  assessments: AssessmentRepository;
  categories: CategoryRepository;
  identities: IdentityRepository;
  pollIntervalMs?: number;
  missedNoticeGraceMs?: number;
  /** Records the agent's feedback on a posted comment as it is announced (src/wiring/feedback.ts). */
  recordFeedback?: AnnouncerDeps['recordFeedback'];
  logError: (what: string) => (error: unknown) => void;
}) {
  const { config, workspaces, assessments, identities, logger, logError } = deps;
  const pollIntervalMs = deps.pollIntervalMs ?? config.delivery.pollIntervalMs;
  // Outside a Slack request, messages go with the token of the assessment's workspace.
  const notifierClients = workspaces.multi
    ? new WorkspaceClients(workspaces, webClientFactory({ ...deps.clientOptions, logger }))
    : { of: async () => deps.bolt.client };
  const notifier = new ReviewerNotifier({
    clients: notifierClients,
    claimNotification: (id) => assessments.markReviewerNotified(id, new Date()),
    responseUrlOrigins: config.security.responseUrlOrigins,
    logger,
  });

  // Announcements go through a client that reports rate limits, so they are rescheduled, not waited on.
  const announcerClientOptions = {
    slackApiUrl: config.slack.apiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    fetch: deps.slackFetch,
    logger,
  };
  const singleAnnouncerClient = workspaces.multi
    ? undefined
    : new webApi.WebClient(config.slack.botToken, announcerClientOptions);
  const announcerClients = singleAnnouncerClient
    ? { of: async () => singleAnnouncerClient }
    : new WorkspaceClients(workspaces, webClientFactory(announcerClientOptions));
  const announcer = new Announcer({
    clients: announcerClients,
    assessments,
    channelOfCategory: (id, workspaceId) => deps.categories.notifyChannelOf(id, workspaceId ?? null),
    slackUserOfAgent: (agentId, workspaceId) => identities.slackUserOfAgent(agentId, workspaceId),
    defaultChannelId: config.notifications.channelId,
    claimLeaseMs: config.notifications.claimLeaseMs,
    ...(deps.recordFeedback ? { recordFeedback: deps.recordFeedback } : {}),
    logger,
  });
  const announcements = new PollingLoop(
    () => announcer.runOnce(),
    pollIntervalMs,
    logError('Announcing assessments failed'),
  );

  const missed = new MissedNotices({ assessments, notifier, graceMs: deps.missedNoticeGraceMs ?? 60_000 });
  const missedNotices = new PollingLoop(
    () => missed.runOnce(),
    Math.max(pollIntervalMs, 1_000),
    logError('Telling reviewers of settled comments failed'),
  );

  return {
    notifier,
    /** Web API clients of each workspace's bot token, for what is sent outside a Slack request. */
    clients: notifierClients,
    /** The same, reporting rate limits instead of waiting on them: for queues that reschedule. */
    rateLimitedClients: announcerClients,
    start(): void {
      announcements.start();
      missedNotices.start();
    },
    async stop(deadlineMs: number): Promise<void> {
      await Promise.all([announcements.stop(deadlineMs), missedNotices.stop(deadlineMs)]);
    },
  };
}
