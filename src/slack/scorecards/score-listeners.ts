import type {
  AllMiddlewareArgs,
  AnyMiddlewareArgs,
  App,
  BlockAction,
  ButtonAction,
  Logger,
  Middleware,
  SlackActionMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
  webApi,
} from '@slack/bolt';
import type { CallDirectory } from '../../domain/assessments/submission-service.js';
import type { ReviewerAccess } from '../../domain/identities/reviewer-access.js';
import type { SlackUser } from '../../domain/identities/slack-user.js';
import { splitIntoSteps } from '../../domain/scorecards/form-steps.js';
import type { Questionnaire, QuestionnaireSummary } from '../../domain/scorecards/questionnaire.js';
import type { Scorecard, ScorecardDraft } from '../../domain/scorecards/scorecard.js';
import { slackEmailOf } from '../directory/slack-users.js';
import { parseQmCommandText } from '../listeners/commands/qm-command-text.js';
import { openOrSayTooLate } from '../listeners/expired-trigger.js';
import { QM_COMMAND } from '../listeners/services.js';
import { refusalText } from '../views/access-messages.js';
import { toModalCallContext } from '../views/call-context.js';
import { decodeScoreMetadata, readAnswerIndexes, type ScoreMetadata, writeAnswerIndexes } from './score-metadata.js';
import {
  ANSWER_ACTION_ID,
  buildChooseView,
  buildNoticeView,
  buildResultView,
  buildStepView,
  QUESTIONNAIRE_BLOCK,
  questionBlockId,
  SCORE_BACK_ACTION_ID,
  SCORE_CHOOSE_CALLBACK_ID,
  SCORE_STEP_CALLBACK_ID,
} from './score-views.js';

/** What the scoring listeners call into. */
export interface ScoreServices {
  questionnaires: {
    listActive(workspaceId: string | null): Promise<QuestionnaireSummary[]>;
    load(sid: string, workspaceId: string | null): Promise<Questionnaire | null>;
  };
  scorecards: {
    findFor(
      workspaceId: string | null,
      reviewerId: string,
      segmentId: string,
      questionnaireSid: string,
    ): Promise<Scorecard | null>;
    submit(draft: ScorecardDraft, now: Date): Promise<{ scorecard: Scorecard; changed: number; repeated: boolean }>;
  };
  access: ReviewerAccess;
  calls: CallDirectory;
  workspaceOf(context: AllMiddlewareArgs['context']): string | undefined;
  callLinkPatterns: readonly RegExp[];
  /** Starts delivering what was just stored, without waiting for the next poll. */
  wake(): void;
  /** A scoring opened by a dispute's Revise button: asked before it is stored, told once it is. */
  revisions?: {
    /** Why this person may not revise that feedback (any more), or undefined when they may. */
    refusal(feedbackId: string, userId: string): Promise<string | undefined>;
    revised(client: webApi.WebClient, logger: Logger, feedbackId: string, userId: string): Promise<void>;
  };
}

export const SCORE_IDS = {
  views: [SCORE_CHOOSE_CALLBACK_ID, SCORE_STEP_CALLBACK_ID],
  actions: [SCORE_BACK_ACTION_ID],
};

export function scoreUsage(command: string): string {
  return `Score a call against a Flex Insights questionnaire: \`${command} score <segment id or Flex Insights call link> [time]\`, e.g. \`${command} score 0105be7a-9b87-51f1-8df8-aa74ddb9c4a7 1:23\`.`;
}

export function noQuestionnairesText(): string {
  return 'There are no active Flex Insights questionnaires here yet, so there is nothing to score with. Ask a QM admin to run `npm run questionnaires -- sync`, then try again.';
}

/** `/qm score …` is answered here; every other `/qm` goes on to the comment listener. */
export function scoreCommandMiddleware(services: ScoreServices): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    if (
      !('command' in args) ||
      args.command.command !== QM_COMMAND ||
      !/^score(\s|$)/i.test(args.command.text.trim())
    ) {
      await args.next();
      return;
    }
    const { command, ack, respond, client, logger, context } = args;
    const rest = command.text.trim().slice('score'.length);
    const parsed = parseQmCommandText(rest, services.callLinkPatterns);
    if (parsed.kind !== 'comment' || !parsed.call || parsed.unrecognised.length > 0) {
      await ack({ response_type: 'ephemeral', text: scoreUsage(command.command) });
      return;
    }
    const workspaceId = services.workspaceOf(context);
    const questionnaires = await services.questionnaires.listActive(workspaceId ?? null);
    if (questionnaires.length === 0) {
      await ack({ response_type: 'ephemeral', text: noQuestionnairesText() });
      return;
    }
    await ack();
    const slackUser: SlackUser = { workspaceId, teamId: command.team_id, userId: command.user_id };
    const resolution = await services.access.resolve(slackUser, () => slackEmailOf(client, slackUser.userId));
    if (resolution.kind !== 'reviewer') {
      const admins = await services.access.adminSlackUsers(workspaceId);
      await respond({
        response_type: 'ephemeral',
        text: refusalText(resolution, admins, services.access.reviewerGroupId, workspaceId),
      });
      return;
    }
    const offsetSeconds = parsed.offsetSeconds ?? parsed.call.offsetSeconds;
    const metadata: ScoreMetadata = {
      v: 1,
      channelId: command.channel_id,
      responseUrl: command.response_url,
      ...(parsed.messageLink ? { thread: parsed.messageLink } : {}),
      segmentId: parsed.call.segmentId,
      ...(parsed.call.agentId ? { agentId: parsed.call.agentId } : {}),
      ...(offsetSeconds !== undefined ? { offsetSeconds } : {}),
      ...(parsed.call.url ? { callUrl: parsed.call.url } : {}),
    };
    await openOrSayTooLate(
      logger,
      async () => {
        const opened = await client.views.open({
          trigger_id: command.trigger_id,
          view: buildChooseView(questionnaires, metadata, { lookingUp: true }),
        });
        const viewId = opened.view?.id;
        if (!viewId) return;
        const call = await services.calls.findCall(metadata.segmentId);
        const known = call?.agentId ? call : undefined;
        const refined: ScoreMetadata = known
          ? { ...metadata, agentId: known.agentId ?? undefined, context: toModalCallContext(known) }
          : metadata;
        const notice =
          call === undefined
            ? 'Flex did not answer when asked about this call; the app asks again when you go on.'
            : known
              ? undefined
              : 'Flex does not know this call or who handled it, so it cannot be scored yet. Check the segment id.';
        await client.views
          .update({
            view_id: viewId,
            ...(opened.view?.hash ? { hash: opened.view.hash } : {}),
            view: buildChooseView(questionnaires, refined, notice ? { notice } : {}),
          })
          .catch((error: unknown) => logger.warn(`Showing the call in the scoring form failed: ${String(error)}`));
      },
      () =>
        respond({
          response_type: 'ephemeral',
          text: `The scoring form did not open: Slack's 3 seconds ran out. Nothing was saved. Run \`${command.command} score${rest}\` again.`,
        }),
    );
  };
}

type ViewArgs = AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>;
type StateValues = ViewSubmitAction['view']['state']['values'];

/** The reviewer submitting, as an identity allowed to score; undefined when not (or no longer) allowed. */
async function reviewerOf(services: ScoreServices, args: AllMiddlewareArgs, teamId: string, userId: string) {
  const workspaceId = services.workspaceOf(args.context);
  const slackUser: SlackUser = { workspaceId, teamId, userId };
  const resolution = await services.access.resolve(slackUser, () => slackEmailOf(args.client, userId));
  return resolution.kind === 'reviewer' ? { identity: resolution.identity, workspaceId } : undefined;
}

/** The answers given in the step shown, merged into those carried so far. */
function mergeStepAnswers(questionnaire: Questionnaire, metadata: ScoreMetadata, values: StateValues): string {
  const answers = readAnswerIndexes(metadata.answers, questionnaire.questions.length);
  for (let i = 0; i < questionnaire.questions.length; i += 1) {
    const state = values[questionBlockId(i)]?.[ANSWER_ACTION_ID];
    const value = state?.selected_option?.value;
    if (value === undefined) continue;
    const index = Number(value);
    const choices = questionnaire.questions[i]?.choices.length ?? 0;
    answers[i] = Number.isInteger(index) && index >= 0 && index < choices ? index : undefined;
  }
  return writeAnswerIndexes(answers);
}

function changedText(name: string): string {
  return `*${name}* changed in Flex while the form was open (its questions or answers were added, removed or reordered), so nothing was sent. Run \`/qm score\` again to score the call with the current version.`;
}

function chooseSubmission(services: ScoreServices) {
  return async (args: ViewArgs): Promise<void> => {
    const { ack, body, view } = args;
    const metadata = decodeScoreMetadata(view.private_metadata);
    if (!metadata) {
      await ack({
        response_action: 'update',
        view: buildNoticeView('This form is out of date. Run `/qm score` again.'),
      });
      return;
    }
    const sid = view.state.values[QUESTIONNAIRE_BLOCK.blockId]?.[QUESTIONNAIRE_BLOCK.actionId]?.selected_option?.value;
    const workspaceId = services.workspaceOf(args.context);
    const questionnaire = sid ? await services.questionnaires.load(sid, workspaceId ?? null) : null;
    if (!questionnaire) {
      await ack({
        response_action: 'errors',
        errors: {
          [QUESTIONNAIRE_BLOCK.blockId]:
            'This questionnaire is no longer active in Flex. Choose another, or ask a QM admin to run `questionnaires -- sync`.',
        },
      });
      return;
    }
    let agentId = metadata.agentId;
    let context = metadata.context;
    if (!agentId) {
      const call = await services.calls.findCall(metadata.segmentId);
      agentId = call?.agentId ?? undefined;
      if (call?.agentId) context = toModalCallContext(call);
    }
    if (!agentId) {
      await ack({
        response_action: 'errors',
        errors: {
          [QUESTIONNAIRE_BLOCK.blockId]:
            'Flex could not say whose call this is, so answers cannot be filed against it. Check the segment id, or try again in a minute.',
        },
      });
      return;
    }
    const reviewer = await reviewerOf(services, args, body.user.team_id ?? body.team?.id ?? '', body.user.id);
    if (!reviewer) {
      await ack({ response_action: 'update', view: buildNoticeView('You may no longer score calls. Ask a QM admin.') });
      return;
    }
    const earlier = await services.scorecards.findFor(
      workspaceId ?? null,
      reviewer.identity.id,
      metadata.segmentId,
      questionnaire.sid,
    );
    const given = new Map(earlier?.answers.map((a) => [a.questionSid, a.answerId]) ?? []);
    const answers = questionnaire.questions.map((q) => {
      const index = q.choices.findIndex((choice) => choice.id === given.get(q.sid));
      return index < 0 ? undefined : index;
    });
    const next: ScoreMetadata = {
      ...metadata,
      agentId,
      ...(context ? { context } : {}),
      questionnaireSid: questionnaire.sid,
      version: questionnaire.version,
      step: 0,
      answers: writeAnswerIndexes(answers),
      ...(earlier ? { rescore: true } : {}),
    };
    await ack({ response_action: 'update', view: buildStepView(questionnaire, next) });
  };
}

function stepSubmission(services: ScoreServices) {
  return async (args: ViewArgs): Promise<void> => {
    const { ack, body, view } = args;
    const metadata = decodeScoreMetadata(view.private_metadata);
    const workspaceId = services.workspaceOf(args.context);
    const questionnaire =
      metadata?.questionnaireSid &&
      (await services.questionnaires.load(metadata.questionnaireSid, workspaceId ?? null));
    if (!metadata?.questionnaireSid || !metadata.agentId) {
      await ack({
        response_action: 'update',
        view: buildNoticeView('This form is out of date. Run `/qm score` again.'),
      });
      return;
    }
    if (!questionnaire || questionnaire.version !== metadata.version) {
      await ack({
        response_action: 'update',
        view: buildNoticeView(changedText(questionnaire ? questionnaire.name : 'The questionnaire')),
      });
      return;
    }
    const answers = mergeStepAnswers(questionnaire, metadata, view.state.values);
    const steps = splitIntoSteps(questionnaire.questions);
    const step = metadata.step ?? 0;
    if (step < steps.length - 1) {
      await ack({
        response_action: 'update',
        view: buildStepView(questionnaire, { ...metadata, answers, step: step + 1 }),
      });
      return;
    }
    const indexes = readAnswerIndexes(answers, questionnaire.questions.length);
    const missing = indexes.indexOf(undefined);
    if (missing >= 0) {
      // Only possible when an earlier step was left by Back before it was answered: show that step.
      const missingStep = steps.findIndex((questions) =>
        questions.some((q) => q.sid === questionnaire.questions[missing]?.sid),
      );
      await ack({
        response_action: 'update',
        view: buildStepView(questionnaire, { ...metadata, answers, step: missingStep }),
      });
      return;
    }
    const reviewer = await reviewerOf(services, args, body.user.team_id ?? body.team?.id ?? '', body.user.id);
    if (!reviewer) {
      await ack({
        response_action: 'update',
        view: buildNoticeView('You may no longer score calls, so nothing was saved. Ask a QM admin.'),
      });
      return;
    }
    const revises = metadata.revisesFeedbackId;
    const refusal = revises && (await services.revisions?.refusal(revises, body.user.id));
    if (refusal) {
      await ack({ response_action: 'update', view: buildNoticeView(`${refusal} Your answers were not saved.`) });
      return;
    }
    const draft: ScorecardDraft = {
      workspaceId: workspaceId ?? null,
      reviewerId: reviewer.identity.id,
      questionnaireSid: questionnaire.sid,
      questionnaireName: questionnaire.name,
      segmentId: metadata.segmentId,
      agentId: metadata.agentId,
      offsetSeconds: metadata.offsetSeconds ?? 0,
      submissionKey: `${view.id}:${view.hash}`,
      slackTeamId: body.user.team_id ?? body.team?.id ?? '',
      slackUserId: body.user.id,
      slackChannelId: metadata.channelId ?? null,
      slackMessageTs: metadata.thread?.messageTs ?? null,
      slackThreadTs: metadata.thread?.threadTs ?? null,
      slackResponseUrl: metadata.responseUrl ?? null,
      slackViewId: view.root_view_id ?? view.id,
      callUrl: metadata.callUrl ?? null,
      answers: questionnaire.questions.map((question, i) => {
        const choice = question.choices[indexes[i] ?? 0] ?? question.choices[0];
        return {
          questionSid: question.sid,
          questionText: question.text,
          categorySid: question.categorySid,
          categoryName: question.categoryName,
          answerId: choice?.id ?? '',
          answerText: choice?.name ?? '',
          score: choice?.score ?? null,
        };
      }),
    };
    const { scorecard } = await services.scorecards.submit(draft, new Date());
    await ack({ response_action: 'update', view: buildResultView(scorecard, metadata) });
    services.wake();
    if (revises) {
      await services.revisions
        ?.revised(args.client, args.logger, revises, body.user.id)
        .catch((error: unknown) => args.logger.warn(`Recording a revised scorecard failed: ${String(error)}`));
    }
  };
}

function backAction(services: ScoreServices) {
  return async (args: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>): Promise<void> => {
    const { ack, body, action, client } = args;
    await ack();
    const view = body.view;
    const metadata = decodeScoreMetadata(view?.private_metadata);
    if (!view || !metadata?.questionnaireSid) return;
    const questionnaire = await services.questionnaires.load(
      metadata.questionnaireSid,
      services.workspaceOf(args.context) ?? null,
    );
    const next =
      questionnaire && questionnaire.version === metadata.version
        ? buildStepView(questionnaire, {
            ...metadata,
            answers: mergeStepAnswers(questionnaire, metadata, view.state.values as StateValues),
            step: Math.max(0, Number(action.value) || 0),
          })
        : buildNoticeView(changedText(questionnaire?.name ?? 'The questionnaire'));
    await client.views.update({ view_id: view.id, hash: view.hash, view: next });
  };
}

/** Registers the scoring form's listeners; `/qm score` is taken by a middleware ahead of the comment listener. */
export function registerScoreListeners(app: App, services: ScoreServices): void {
  app.use(scoreCommandMiddleware(services));
  app.view<ViewSubmitAction>(SCORE_CHOOSE_CALLBACK_ID, chooseSubmission(services));
  app.view<ViewSubmitAction>(SCORE_STEP_CALLBACK_ID, stepSubmission(services));
  app.action<BlockAction<ButtonAction>>(SCORE_BACK_ACTION_ID, backAction(services));
}
