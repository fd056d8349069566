import type { App, Logger, webApi } from '@slack/bolt';
import type { Config } from '../config/config.js';
import { workspaceSettingsDefaults } from '../config/workspace-settings-defaults.js';
import type { CategoryRepository } from '../db/repositories/category-repository.js';
import { FeedbackRepository } from '../db/repositories/feedback-repository.js';
import type { IdentityRepository } from '../db/repositories/identity-repository.js';
import { QuestionnaireRepository } from '../db/repositories/questionnaire-repository.js';
import { WorkspaceSettingsRepository } from '../db/repositories/workspace-settings-repository.js';
import type { Assessment } from '../domain/assessments/assessment.js';
import { type Feedback, type FeedbackSubject, revisionPrefix } from '../domain/feedback/feedback.js';
import { FeedbackService } from '../domain/feedback/feedback-service.js';
import type { SlackUser } from '../domain/identities/slack-user.js';
import { deliveryState, type Scorecard } from '../domain/scorecards/scorecard.js';
import { WorkspaceSettingsReader } from '../domain/workspace-settings/workspace-settings.js';
import { logArgs } from '../flex/errors.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { FeedbackDmSender } from '../slack/feedback/feedback-dm-sender.js';
import {
  FEEDBACK_LISTENER_IDS,
  type FeedbackListenerServices,
  recordRevision,
  registerFeedbackListeners,
} from '../slack/feedback/feedback-listeners.js';
import { feedbackHomeBlocks } from '../slack/feedback/feedback-views.js';
import type { FeedbackHooks } from '../slack/listeners/services.js';
import { writeAnswerIndexes } from '../slack/scorecards/score-metadata.js';
import { buildStepView } from '../slack/scorecards/score-views.js';
import type { CommentModalValues } from '../slack/views/comment-modal.js';
import type { ModalMetadata, ModalMetadataSeal } from '../slack/views/modal-metadata.js';
import type { RequestWorkspace } from '../slack/workspaces.js';
import { PollingLoop } from '../support/polling-loop.js';

/** How many of an agent's latest feedback the Home tab lists. */
const HOME_FEEDBACK = 10;

export interface FeedbackWiringDeps {
  config: Config;
  prisma: PrismaClient;
  bolt: App;
  logger: Logger;
  identities: IdentityRepository;
  categories: CategoryRepository;
  workspaceOf(context: RequestWorkspace): string | undefined;
  /** The seal on every view's private_metadata: the revising scoring form is sealed as every other form. */
  forms: Pick<ModalMetadataSeal, 'sealView'>;
  /** Clients with each workspace's bot token that report rate limits instead of waiting (the announcer's). */
  rateLimitedClients(): { of(workspaceId: string | undefined): Promise<webApi.WebClient> };
  pollIntervalMs: number;
  /** Publishes someone's whole Home tab (src/slack/listeners/home.ts). */
  refreshHome(client: webApi.WebClient, user: SlackUser): Promise<void>;
  /** Opens the comment form as every other way into it does (src/slack/listeners/open-comment-modal.ts). */
  openCommentForm(
    client: webApi.WebClient,
    logger: Logger,
    triggerId: string,
    metadata: ModalMetadata,
    extra: { notice?: string; values?: CommentModalValues },
    workspaceId: string | undefined,
  ): Promise<void>;
}

/**
 * The agent's side of feedback (#18): each comment and scorecard on an agent's calls is recorded as feedback
 * when the workspace's admin turned the DMs on (Home tab; NOTIFY_AGENT_DM is the default) and the agent is linked to a Slack user, sent by DM from the
 * database, and acknowledged, disputed, upheld or revised with its buttons.
 */
export function wireFeedback(deps: FeedbackWiringDeps) {
  const { config, prisma, logger, identities } = deps;
  const settings = new WorkspaceSettingsReader(
    new WorkspaceSettingsRepository(prisma),
    workspaceSettingsDefaults(config),
  );
  /** The workspace's switch, read from the database each time (an admin's change holds at once). */
  const enabled = async (workspaceId: string | undefined) => (await settings.of(workspaceId)).feedbackDms;
  const store = new FeedbackRepository(prisma);
  const questionnaires = new QuestionnaireRepository(prisma);
  const service = new FeedbackService({
    store,
    isAdmin: async (feedback, userId) =>
      (await identities.findBySlackUser({ workspaceId: feedback.workspaceId, teamId: feedback.teamId, userId }))
        ?.role === 'admin',
  });
  const sender = new FeedbackDmSender({
    clients: { of: (workspaceId) => deps.rateLimitedClients().of(workspaceId) },
    feedback: store,
    claimLeaseMs: config.notifications.claimLeaseMs,
    logger,
  });
  const loop = new PollingLoop(
    async () => {
      while ((await sender.runOnce()) > 0) {
        // keep going while DMs are due
      }
    },
    deps.pollIntervalMs,
    (error) => logger.error(...logArgs('Sending feedback to agents failed', error)),
  );

  async function openRevision(
    client: webApi.WebClient,
    log: Logger,
    triggerId: string,
    feedback: Feedback,
    subject: FeedbackSubject,
  ): Promise<string | undefined> {
    if (subject.comment) {
      const metadata: ModalMetadata = {
        v: 1,
        source: 'command',
        segmentId: subject.segmentId,
        agentId: feedback.agentId,
        offsetSeconds: subject.offsetSeconds,
        ...(subject.callUrl ? { callUrl: subject.callUrl } : {}),
        revisesFeedbackId: feedback.id,
      };
      await deps.openCommentForm(
        client,
        log,
        triggerId,
        metadata,
        {
          notice:
            'Flex cannot edit or delete a comment, so a revision is a new comment on the call that names the one it revises.',
          values: { categoryId: subject.comment.categoryId, comment: revisionPrefix(subject.comment) },
        },
        feedback.workspaceId,
      );
      return undefined;
    }
    const card = subject.scorecard;
    if (!card) return 'There is nothing to revise here.';
    const questionnaire = await questionnaires.load(card.questionnaireSid, feedback.workspaceId ?? null);
    if (!questionnaire) {
      return `The questionnaire *${card.questionnaireName}* is no longer active in Flex, so the scorecard cannot be revised here. Nothing was changed.`;
    }
    const given = new Map(card.given.map((a) => [a.questionSid, a.answerId]));
    const answers = questionnaire.questions.map((q) => {
      const index = q.choices.findIndex((choice) => choice.id === given.get(q.sid));
      return index < 0 ? undefined : index;
    });
    await client.views.open({
      trigger_id: triggerId,
      view: deps.forms.sealView(
        buildStepView(questionnaire, {
          v: 1,
          segmentId: subject.segmentId,
          agentId: card.agentId,
          offsetSeconds: subject.offsetSeconds,
          ...(subject.callUrl ? { callUrl: subject.callUrl } : {}),
          questionnaireSid: questionnaire.sid,
          version: questionnaire.version,
          step: 0,
          answers: writeAnswerIndexes(answers),
          rescore: true,
          revisesFeedbackId: feedback.id,
        }),
      ),
    });
    return undefined;
  }

  const listenerServices: FeedbackListenerServices = {
    service,
    store,
    async qaChannelOf(feedback) {
      if (feedback.assessmentId) {
        const row = await prisma.assessment.findUnique({
          where: { id: feedback.assessmentId },
          select: { categoryId: true },
        });
        const own = row && (await deps.categories.notifyChannelOf(row.categoryId, feedback.workspaceId ?? null));
        if (own) return own;
      }
      return config.notifications.channelId;
    },
    workspaceOf: deps.workspaceOf,
    refreshHome: deps.refreshHome,
    openRevision,
  };

  const hooks: FeedbackHooks = {
    async homeBlocks(user) {
      const items = await store.ofAgent(user.workspaceId, user.userId, HOME_FEEDBACK);
      if (items.length === 0) {
        const identity = (await enabled(user.workspaceId)) ? await identities.findBySlackUser(user) : null;
        if (!identity?.agentId) return [];
      }
      const muted = await store.isMuted(user.teamId, user.userId);
      const withSubjects = await Promise.all(
        items.map(async (feedback) => ({ feedback, subject: await store.subjectOf(feedback) })),
      );
      return feedbackHomeBlocks(withSubjects, muted);
    },
    async prepareCommentRevision(feedbackId, userId) {
      const checked = await service.check(feedbackId, userId, 'revise');
      if (checked.kind === 'refused') return { refusal: checked.text };
      const subject = await store.subjectOf(checked.feedback);
      if (!subject?.comment) return { refusal: 'The comment this revises is no longer in the app.' };
      return { prefix: revisionPrefix(subject.comment) };
    },
    commentRevised: (client, log, feedbackId, userId, assessmentId) =>
      recordRevision(listenerServices, client, log, feedbackId, userId, { assessmentId }),
  };

  return {
    /** The view and action ids its listeners take, for the listener registry's list of known ids. */
    knownIds: FEEDBACK_LISTENER_IDS,
    hooks,
    /** For the scoring form opened by Revise. */
    scoreRevisions: {
      async check(feedbackId: string, userId: string): Promise<{ refusal: string } | { reviewerId: string }> {
        const checked = await service.check(feedbackId, userId, 'revise');
        if (checked.kind === 'refused') return { refusal: checked.text };
        const scorecardId = checked.feedback.scorecardId;
        const scorecard =
          scorecardId &&
          (await prisma.scorecard.findUnique({ where: { id: scorecardId }, select: { reviewerId: true } }));
        if (!scorecard) return { refusal: 'The scorecard this feedback is about is no longer known to the app.' };
        return { reviewerId: scorecard.reviewerId };
      },
      revised: (client: webApi.WebClient, log: Logger, feedbackId: string, userId: string, revision: number) =>
        recordRevision(listenerServices, client, log, feedbackId, userId, { scorecardRevision: revision }),
    },
    /** A comment is in Flex and being announced: the agent's feedback, once, when they are to be told. */
    async recordComment(assessment: Assessment, agentSlackUserId: string | undefined): Promise<void> {
      if (!agentSlackUserId || !(await enabled(assessment.origin.workspaceId))) return;
      await store.recordComment(
        assessment.id,
        {
          workspaceId: assessment.origin.workspaceId,
          teamId: assessment.origin.teamId,
          agentId: assessment.agentId,
          agentSlackUserId,
          reviewerSlackUserId: assessment.origin.userId,
        },
        new Date(),
      );
    },
    /** A scorecard revision is settled: when every answer is in Flex, the agent is told (again). */
    async recordScorecard(scorecard: Scorecard): Promise<void> {
      const workspaceId = scorecard.workspaceId ?? undefined;
      if (deliveryState(scorecard.answers) !== 'posted' || !(await enabled(workspaceId))) return;
      const agentSlackUserId = await identities.slackUserOfAgent(scorecard.agentId, workspaceId);
      if (!agentSlackUserId) return;
      await store.recordScorecard(
        scorecard.id,
        scorecard.revision,
        {
          workspaceId,
          teamId: scorecard.slackTeamId,
          agentId: scorecard.agentId,
          agentSlackUserId,
          reviewerSlackUserId: scorecard.slackUserId,
        },
        new Date(),
      );
    },
    register(): void {
      registerFeedbackListeners(deps.bolt, listenerServices);
    },
    start(): void {
      loop.start();
    },
    async stop(deadlineMs: number): Promise<void> {
      await loop.stop(deadlineMs);
    },
  };
}
