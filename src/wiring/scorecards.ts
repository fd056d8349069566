import type { App, Logger, webApi } from '@slack/bolt';
import type { Config } from '../config/config.js';
import type { AssessmentRepository } from '../db/repositories/assessment-repository.js';
import { QuestionnaireRepository } from '../db/repositories/questionnaire-repository.js';
import { ScorecardRepository } from '../db/repositories/scorecard-repository.js';
import type { Assessment } from '../domain/assessments/assessment.js';
import type { DeliveryService } from '../domain/assessments/delivery-service.js';
import type { ReviewerCredentials } from '../domain/assessments/ports.js';
import type { RetryPolicy } from '../domain/assessments/retry-policy.js';
import type { CallDirectory, SubmissionService } from '../domain/assessments/submission-service.js';
import type { CategoryCatalog } from '../domain/categories/category-catalog.js';
import type { ReviewerAccess } from '../domain/identities/reviewer-access.js';
import type { ReviewerDirectory } from '../domain/identities/reviewer-resolver.js';
import { type AnswerAttemptObserver, AnswerDelivery } from '../domain/scorecards/answer-delivery.js';
import type { Scorecard } from '../domain/scorecards/scorecard.js';
import { ScorecardRetry } from '../domain/scorecards/scorecard-retry.js';
import { ScoringOffered } from '../domain/scorecards/scoring-offered.js';
import { logArgs } from '../flex/errors.js';
import type { ScorecardCalls } from '../flex/scorecard-client.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { ScoringServices } from '../slack/listeners/services.js';
import { postEphemeralToResponseUrl } from '../slack/notifications/response-url.js';
import type { ReviewerNotifier } from '../slack/notifications/reviewer-notifier.js';
import { ScorecardAnnouncer } from '../slack/notifications/scorecard-announcer.js';
import {
  registerScoreListeners,
  SCORE_IDS,
  type ScorecardComments,
  type ScoreServices,
} from '../slack/scorecards/score-listeners.js';
import { registerScoreRetryListener } from '../slack/scorecards/score-retry-listener.js';
import {
  buildResultView,
  type ClosingComment,
  SCORE_RETRY_ACTION_ID,
  scorecardMessage,
} from '../slack/scorecards/score-views.js';
import type { ModalMetadataSeal } from '../slack/views/modal-metadata.js';
import type { SlackWorkspaces } from '../slack/workspaces.js';
import { PollingLoop } from '../support/polling-loop.js';

export interface ScorecardWiringDeps {
  bolt: App;
  config: Config;
  prisma: PrismaClient;
  /** A reviewer's own Flex Authorization, as comments are sent with. */
  credentials: ReviewerCredentials;
  /** Who a Slack user is in Flex: the Retry button is for the scorecard's reviewer or a QM admin. */
  reviewers: Pick<ReviewerDirectory, 'findBySlackUser'>;
  access: ReviewerAccess;
  calls: CallDirectory;
  workspaces: Pick<SlackWorkspaces, 'keyOf'>;
  /** The Web API client of a workspace, for messages outside a Slack request. */
  slackClients: { of(workspaceId: string | undefined): Promise<webApi.WebClient> };
  logger: Logger;
  /** The seal on every view's private_metadata (the comment form's too). */
  forms: ModalMetadataSeal;
  /** The comment flow, for the form's optional closing comment. */
  comments: {
    submissions: SubmissionService;
    delivery: DeliveryService;
    notifier: ReviewerNotifier;
    catalog: CategoryCatalog;
    assessments: Pick<AssessmentRepository, 'findBySubmissionKey'>;
  };
  /** As comments are announced: a category's own channel, the agent's Slack user. */
  announcements: {
    channelOfCategory: (categoryId: string, workspaceId: string | undefined) => Promise<string | undefined>;
    slackUserOfAgent: (agentId: string, workspaceId: string | undefined) => Promise<string | undefined>;
  };
  retryPolicy?: RetryPolicy | undefined;
  pollIntervalMs: number;
  /** The app's one Flex client, instrumented: its calls are timed for /metrics and recorded for /readyz. */
  flex: ScorecardCalls;
  /** Logs and counts each answer's delivery attempts. */
  observer?: AnswerAttemptObserver;
  /** A revision is settled: the agent's feedback (src/wiring/feedback.ts), recorded before the reviewer is told. */
  onSettled?: (scorecard: Scorecard) => Promise<void>;
  /** The scoring form opened by a dispute's Revise button. */
  revisions?: ScoreServices['revisions'];
}

/** How often the app re-reads which workspaces have questionnaires (a CLI sync shows within this). */
const OFFERED_REFRESH_MS = 30_000;

/** Scoring calls against Flex Insights questionnaires (/qm score): its listeners, its delivery loop, its client. */
export function wireScorecards(deps: ScorecardWiringDeps) {
  const { config, prisma, logger } = deps;
  const questionnaires = new QuestionnaireRepository(prisma);
  const scorecards = new ScorecardRepository(prisma);
  // Where "Score this call" is offered: refreshed now and then, and at once after a sync from the Home tab.
  const offered = new ScoringOffered(() => questionnaires.workspacesWithActive());
  const offeredLoop = new PollingLoop(
    () => offered.refresh(),
    OFFERED_REFRESH_MS,
    (error) => logger.warn(...logArgs('Reading which workspaces have questionnaires failed', error)),
  );
  const scoring: ScoringServices = {
    offered: (workspaceId) => offered.offered(workspaceId),
    list: (workspaceId) => questionnaires.list(workspaceId ?? null),
    async sync(workspaceId) {
      const [listed, answerSets] = await Promise.all([
        deps.flex.listQuestionnaires({ includeInactive: true }),
        deps.flex.fetchAnswerSets(),
      ]);
      const report = await questionnaires.syncFromFlex(listed, answerSets, workspaceId ?? null);
      await offered.refresh();
      return report;
    },
  };
  const warn = (what: string) => (error: unknown) => logger.warn(...logArgs(what, error));

  /** The closing comment submitted with this revision of the scorecard, if there was one. */
  async function closingCommentOf(scorecard: Scorecard): Promise<ClosingComment | undefined> {
    const found = await deps.comments.assessments.findBySubmissionKey(closingCommentKey(scorecard));
    return found ? asClosingComment(found) : undefined;
  }

  const comments: ScorecardComments = {
    categories: (workspaceId) => deps.comments.catalog.current(workspaceId),
    async submit(input) {
      const { scorecard } = input;
      const result = await deps.comments.submissions.submit({
        form: { categoryId: input.categoryId, comment: input.comment, segment: null, agentId: null, offset: null },
        known: { segmentId: scorecard.segmentId, agentId: scorecard.agentId, offsetSeconds: scorecard.offsetSeconds },
        callUrl: scorecard.callUrl ?? undefined,
        submissionKey: closingCommentKey(scorecard),
        source: input.source,
        origin: {
          teamId: scorecard.slackTeamId,
          workspaceId: scorecard.workspaceId ?? undefined,
          userId: scorecard.slackUserId,
          channelId: scorecard.slackChannelId ?? undefined,
          messageTs: scorecard.slackMessageTs ?? undefined,
          threadTs: scorecard.slackThreadTs ?? undefined,
          responseUrl: scorecard.slackResponseUrl ?? undefined,
        },
        lookupEmail: input.lookupEmail,
        scorecardId: scorecard.id,
      });
      if (result.kind !== 'accepted') return { kind: 'invalid', message: Object.values(result.errors).join(' ') };
      const { reservation } = result;
      return {
        kind: 'accepted',
        comment: asClosingComment(result.assessment),
        async deliver() {
          // As the comment form does: stored claimed while Flex had room, sent now; otherwise the worker sends it.
          if (!reservation) return;
          try {
            const outcome = await deps.comments.delivery.deliverReserved(
              result.assessment,
              reservation,
              result.reviewer,
            );
            await deps.comments.notifier.report(outcome);
          } catch (error) {
            logger.error(...logArgs(`Delivering the comment of scorecard ${scorecard.id} failed`, error));
          } finally {
            reservation.release();
          }
        },
      };
    },
  };

  async function tellReviewer(scorecard: Scorecard): Promise<void> {
    await deps.onSettled?.(scorecard).catch(warn('Recording the agent’s feedback on a scorecard failed'));
    const slack = await deps.slackClients.of(scorecard.workspaceId ?? undefined);
    const comment = await closingCommentOf(scorecard);
    const message = scorecardMessage(scorecard, comment);
    if (scorecard.slackViewId) {
      await slack.views
        .update({
          view_id: scorecard.slackViewId,
          view: buildResultView(
            scorecard,
            { v: 1, segmentId: scorecard.segmentId, offsetSeconds: scorecard.offsetSeconds },
            comment,
          ),
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
    gateway: deps.flex,
    observer: deps.observer,
    credentials: deps.credentials,
    policy,
    leaseMs: config.flex.timeoutMs * 2 + 5_000,
    // A few at a time: answers share the database's connection pool (16 by default) with comments and
    // Slack requests; with 16 attempts at once a PostgreSQL run was seen to stall with the pool taken.
    concurrency: 4,
    onSettled: tellReviewer,
    onError: (error) => logger.error(...logArgs('Delivering a scorecard answer failed', error)),
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
  const announcer = new ScorecardAnnouncer({
    clients: deps.slackClients,
    scorecards,
    channelOfCategory: deps.announcements.channelOfCategory,
    slackUserOfAgent: deps.announcements.slackUserOfAgent,
    defaultChannelId: config.notifications.channelId,
    claimLeaseMs: config.notifications.claimLeaseMs,
    logger,
  });
  const announcements = new PollingLoop(
    () => announcer.runOnce(),
    deps.pollIntervalMs,
    (error) => logger.error('Announcing scorecards failed', error),
  );

  const wake = () => {
    drain().catch((error: unknown) => logger.error('Delivering scorecard answers failed', error));
  };
  const retry = new ScorecardRetry({ store: scorecards, reviewers: deps.reviewers, wake });

  return {
    /** The view and action ids its listeners take, for the listener registry's list of known ids. */
    knownIds: { views: SCORE_IDS.views, actions: [...SCORE_IDS.actions, SCORE_RETRY_ACTION_ID] },
    questionnaires,
    scorecards,
    /** For the comment form, the call preview and the Home tab. */
    scoring,
    register(): void {
      registerScoreListeners(deps.bolt, {
        questionnaires,
        scorecards,
        access: deps.access,
        calls: deps.calls,
        workspaceOf: (context) => deps.workspaces.keyOf(context),
        callLinkPatterns: config.callLinkPatterns,
        forms: deps.forms,
        comments,
        wake,
        ...(deps.revisions ? { revisions: deps.revisions } : {}),
      });
      registerScoreRetryListener(deps.bolt, {
        retry: (id, clicker) => retry.retry(id, clicker),
        workspaceOf: (context) => deps.workspaces.keyOf(context),
      });
    },
    start(): void {
      stopped = false;
      loop.start();
      offeredLoop.start();
      announcements.start();
    },
    async stop(deadlineMs: number): Promise<void> {
      stopped = true;
      await Promise.all([loop.stop(deadlineMs), offeredLoop.stop(deadlineMs), announcements.stop(deadlineMs)]);
      if (draining) await Promise.race([draining, new Promise((resolve) => setTimeout(resolve, deadlineMs).unref())]);
    },
  };
}

/** One closing comment per scorecard revision: a repeated submission of the form stores it once. */
function closingCommentKey(scorecard: Pick<Scorecard, 'id' | 'revision'>): string {
  return `scorecard:${scorecard.id}:${scorecard.revision}`;
}

function asClosingComment(assessment: Assessment): ClosingComment {
  return { categoryName: assessment.categoryName, comment: assessment.comment, status: assessment.status };
}
