import type { App, Logger, webApi } from '@slack/bolt';
import type { Config } from '../config/config.js';
import { QuestionnaireRepository } from '../db/repositories/questionnaire-repository.js';
import { ScorecardRepository } from '../db/repositories/scorecard-repository.js';
import type { ReviewerCredentials } from '../domain/assessments/ports.js';
import type { RetryPolicy } from '../domain/assessments/retry-policy.js';
import type { CallDirectory } from '../domain/assessments/submission-service.js';
import type { ReviewerAccess } from '../domain/identities/reviewer-access.js';
import { AnswerDelivery } from '../domain/scorecards/answer-delivery.js';
import type { Scorecard } from '../domain/scorecards/scorecard.js';
import { createScorecardClient, type ScorecardClient } from '../flex/scorecard-client.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { postEphemeralToResponseUrl } from '../slack/notifications/response-url.js';
import { registerScoreListeners, SCORE_IDS, type ScoreServices } from '../slack/scorecards/score-listeners.js';
import { buildResultView, scorecardMessage } from '../slack/scorecards/score-views.js';
import type { SlackWorkspaces } from '../slack/workspaces.js';
import { PollingLoop } from '../support/polling-loop.js';

export interface ScorecardWiringDeps {
  bolt: App;
  config: Config;
  prisma: PrismaClient;
  /** A reviewer's own Flex Authorization, as comments are sent with. */
  credentials: ReviewerCredentials;
  access: ReviewerAccess;
  calls: CallDirectory;
  workspaces: Pick<SlackWorkspaces, 'keyOf'>;
  /** The Web API client of a workspace, for messages outside a Slack request. */
  slackClients: { of(workspaceId: string | undefined): Promise<webApi.WebClient> };
  logger: Logger;
  retryPolicy?: RetryPolicy | undefined;
  pollIntervalMs: number;
  /** Tests pass their own scorecard client; otherwise one is made from the Flex settings. */
  client?: ScorecardClient;
  /** A revision is settled: the agent's feedback (src/wiring/feedback.ts), recorded before the reviewer is told. */
  onSettled?: (scorecard: Scorecard) => Promise<void>;
  /** The scoring form opened by a dispute's Revise button. */
  revisions?: ScoreServices['revisions'];
}

/** Scoring calls against Flex Insights questionnaires (/qm score): its listeners, its delivery loop, its client. */
export function wireScorecards(deps: ScorecardWiringDeps) {
  const { config, prisma, logger } = deps;
  const client =
    deps.client ??
    createScorecardClient({
      baseUrl: config.flex.baseUrl,
      credentials: { username: config.flex.username, password: config.flex.password },
      timeoutMs: config.flex.timeoutMs,
    });
  const questionnaires = new QuestionnaireRepository(prisma);
  const scorecards = new ScorecardRepository(prisma);
  const warn = (what: string) => (error: unknown) =>
    logger.warn(`${what}: ${error instanceof Error ? error.message : String(error)}`);

  async function tellReviewer(scorecard: Scorecard): Promise<void> {
    await deps.onSettled?.(scorecard).catch(warn('Recording the agent’s feedback on a scorecard failed'));
    const slack = await deps.slackClients.of(scorecard.workspaceId ?? undefined);
    const message = scorecardMessage(scorecard);
    if (scorecard.slackViewId) {
      await slack.views
        .update({
          view_id: scorecard.slackViewId,
          view: buildResultView(scorecard, {
            v: 1,
            segmentId: scorecard.segmentId,
            offsetSeconds: scorecard.offsetSeconds,
          }),
        })
        // The reviewer may have closed the form; the message below still tells them.
        .catch(warn('Updating the scorecard form failed'));
    }
    if (scorecard.slackResponseUrl) {
      await postEphemeralToResponseUrl(scorecard.slackResponseUrl, message).catch(
        warn('Confirming a scorecard failed'),
      );
    }
    if (scorecard.slackChannelId && scorecard.slackThreadTs) {
      await slack.chat
        .postMessage({ channel: scorecard.slackChannelId, thread_ts: scorecard.slackThreadTs, ...message })
        .catch(warn('Replying in the thread with a scorecard failed'));
    }
  }

  const policy = deps.retryPolicy ?? {
    maxAttempts: config.delivery.maxAttempts,
    baseDelayMs: config.delivery.baseDelayMs,
    maxDelayMs: config.delivery.maxDelayMs,
  };
  const delivery = new AnswerDelivery({
    store: scorecards,
    gateway: client,
    credentials: deps.credentials,
    policy,
    leaseMs: config.flex.timeoutMs * 2 + 5_000,
    // A few at a time: answers share the database's connection pool (16 by default) with comments and
    // Slack requests; with 16 attempts at once a PostgreSQL run was seen to stall with the pool taken.
    concurrency: 4,
    onSettled: tellReviewer,
    onError: (error) => logger.error('Delivering a scorecard answer failed', error),
  });

  // One drain at a time: a pass claims what is due and the next pass follows while there was any.
  let draining: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  const drain = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (draining) {
      again = true;
      return draining;
    }
    draining = (async () => {
      do {
        again = false;
        while (!stopped && (await delivery.runOnce()) > 0) {
          // keep going while answers are due
        }
      } while (again && !stopped);
    })().finally(() => {
      draining = undefined;
    });
    return draining;
  };
  const loop = new PollingLoop(drain, deps.pollIntervalMs, (error) =>
    logger.error('Delivering scorecard answers failed', error),
  );

  return {
    /** The view and action ids its listeners take, for the listener registry's list of known ids. */
    knownIds: SCORE_IDS,
    questionnaires,
    scorecards,
    register(): void {
      registerScoreListeners(deps.bolt, {
        questionnaires,
        scorecards,
        access: deps.access,
        calls: deps.calls,
        workspaceOf: (context) => deps.workspaces.keyOf(context),
        callLinkPatterns: config.callLinkPatterns,
        ...(deps.revisions ? { revisions: deps.revisions } : {}),
        wake: () => {
          drain().catch((error: unknown) => logger.error('Delivering scorecard answers failed', error));
        },
      });
    },
    start(): void {
      stopped = false;
      loop.start();
    },
    async stop(deadlineMs: number): Promise<void> {
      stopped = true;
      await loop.stop(deadlineMs);
      if (draining) await Promise.race([draining, new Promise((resolve) => setTimeout(resolve, deadlineMs).unref())]);
      if (!deps.client) await client.close();
    },
  };
}
