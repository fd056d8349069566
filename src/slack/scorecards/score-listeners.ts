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
  types,
  ViewSubmitAction,
  webApi,
} from '@slack/bolt';
import { validateCommentForm } from '../../domain/assessments/comment-form.js';
import type { CallDirectory } from '../../domain/assessments/submission-service.js';
import { parseOffset } from '../../domain/calls/offset.js';
import type { ReviewerAccess } from '../../domain/identities/reviewer-access.js';
import type { SlackUser } from '../../domain/identities/slack-user.js';
import { splitIntoSteps } from '../../domain/scorecards/form-steps.js';
import type { Questionnaire, QuestionnaireSummary } from '../../domain/scorecards/questionnaire.js';
import type { Scorecard, ScorecardDraft } from '../../domain/scorecards/scorecard.js';
import { logArgs } from '../../flex/errors.js';
import { slackEmailOf } from '../directory/slack-users.js';
import { readPreviewButtonClick, tellClicker } from '../links/preview-button-click.js';
import { parseQmCommandText } from '../listeners/commands/qm-command-text.js';
import { openOrSayTooLate } from '../listeners/expired-trigger.js';
import { QM_COMMAND } from '../listeners/services.js';
import { refusalText } from '../views/access-messages.js';
import { COMMENT_BLOCKS } from '../views/block-ids.js';
import { toModalCallContext } from '../views/call-context.js';
import type { CategoryChoice } from '../views/category-options.js';
import type { ModalMetadataSeal } from '../views/modal-metadata.js';
import {
  decodeScoreMetadata,
  readAnswerIndexes,
  type ScoreMetadata,
  scoreMetadataFits,
  writeAnswerIndexes,
} from './score-metadata.js';
import {
  ANSWER_ACTION_ID,
  buildChooseView,
  buildNoticeView,
  buildResultView,
  buildStepView,
  type ClosingComment,
  QUESTIONNAIRE_BLOCK,
  questionBlockId,
  SCORE_BACK_ACTION_ID,
  SCORE_CHOOSE_CALLBACK_ID,
  SCORE_COMMENT_BLOCK,
  SCORE_COMMENT_CATEGORY_BLOCK,
  SCORE_FROM_COMMENT_FORM_ACTION_ID,
  SCORE_FROM_UNFURL_ACTION_ID,
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
  /**
   * The seal on every view's private_metadata (the comment form's too): the scoring form's metadata names
   * the response_url and the thread the app answers in, so what comes back is read only when the seal holds.
   */
  forms: Pick<ModalMetadataSeal, 'sealView' | 'openText' | 'open' | 'responseUrlAllowed'>;
  /** Starts delivering what was just stored, without waiting for the next poll. */
  wake(): void;
  /** The closing comment: sent through the comment flow; none offered when left out. */
  comments?: ScorecardComments;
  /** A scoring opened by a dispute's Revise button: asked before it is stored, told once it is. */
  revisions?: {
    /**
     * Why this person may not revise that feedback (any more); or, when they may, whose scorecard it is: a
     * QM admin's revision is a new revision of the reviewer's scorecard (Flex's answers are updated), never
     * a second scorecard of the admin's own.
     */
    check(feedbackId: string, userId: string): Promise<{ refusal: string } | { reviewerId: string }>;
    /** The revising form was stored as the scorecard's `revision`. */
    revised(
      client: webApi.WebClient,
      logger: Logger,
      feedbackId: string,
      userId: string,
      revision: number,
    ): Promise<void>;
  };
}

/** The scoring form's closing comment, as a comment assessment of the existing comment flow. */
export interface ScorecardComments {
  /** The comment categories the comment form offers (null: the single workspace). */
  categories(workspaceId: string | null): CategoryChoice[];
  /**
   * Stores the comment as a pending comment assessment linked to the scorecard, once per scorecard revision
   * (a repeated submission stores nothing new); `deliver` then sends it (if the comment flow did not leave
   * it to its worker) and tells the reviewer as for any comment.
   */
  submit(input: {
    scorecard: Scorecard;
    categoryId: string;
    comment: string;
    source: 'command' | 'shortcut' | 'unfurl';
    lookupEmail: () => Promise<string | undefined>;
  }): Promise<
    { kind: 'accepted'; comment: ClosingComment; deliver(): Promise<void> } | { kind: 'invalid'; message: string }
  >;
}

export const SCORE_IDS = {
  views: [SCORE_CHOOSE_CALLBACK_ID, SCORE_STEP_CALLBACK_ID],
  actions: [SCORE_BACK_ACTION_ID, SCORE_FROM_COMMENT_FORM_ACTION_ID, SCORE_FROM_UNFURL_ACTION_ID],
};

const OUT_OF_DATE = 'This form is out of date. Run `/qm score` again.';

/** The scoring form's metadata as the app sealed it; undefined when missing, altered or unreadable. */
function openMetadata(services: ScoreServices, privateMetadata: string | undefined): ScoreMetadata | undefined {
  const metadata = decodeScoreMetadata(services.forms.openText(privateMetadata));
  if (metadata?.responseUrl && !services.forms.responseUrlAllowed(metadata.responseUrl)) {
    const { responseUrl: _dropped, ...rest } = metadata;
    return rest;
  }
  return metadata;
}

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
      source: 'command',
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
      () =>
        openScoreForm(services, client, logger, questionnaires, metadata, (view) =>
          client.views.open({ trigger_id: command.trigger_id, view }),
        ),
      () =>
        respond({
          response_type: 'ephemeral',
          text: `The scoring form did not open: Slack's 3 seconds ran out. Nothing was saved. Run \`${command.command} score${rest}\` again.`,
        }),
    );
  };
}

/**
 * Opens the scoring form at once (views.open, or views.push from inside a modal: the trigger lives 3
 * seconds), then shows what Flex says about the call. Every way into the form comes here.
 */
async function openScoreForm(
  services: ScoreServices,
  client: webApi.WebClient,
  logger: AllMiddlewareArgs['logger'],
  questionnaires: readonly QuestionnaireSummary[],
  metadata: ScoreMetadata,
  open: (view: ReturnType<typeof buildChooseView>) => Promise<{ view?: { id?: string; hash?: string } }>,
): Promise<void> {
  const opened = await open(services.forms.sealView(buildChooseView(questionnaires, metadata, { lookingUp: true })));
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
      view: services.forms.sealView(buildChooseView(questionnaires, refined, notice ? { notice } : {})),
    })
    .catch((error: unknown) => logger.warn({ err: error }, 'Showing the call in the scoring form failed'));
}

type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

/**
 * The same gate as `/qm score`: someone who may comment, in a workspace with active questionnaires.
 * Returns the questionnaires, or what to tell the person instead.
 */
async function mayScore(
  services: ScoreServices,
  args: ButtonArgs,
): Promise<{ questionnaires: QuestionnaireSummary[] } | { refusal: string }> {
  const { body, client, context } = args;
  const workspaceId = services.workspaceOf(context);
  const slackUser: SlackUser = { workspaceId, teamId: body.team?.id ?? body.user.team_id ?? '', userId: body.user.id };
  const resolution = await services.access.resolve(slackUser, () => slackEmailOf(client, slackUser.userId));
  if (resolution.kind !== 'reviewer') {
    const admins = await services.access.adminSlackUsers(workspaceId);
    return { refusal: refusalText(resolution, admins, services.access.reviewerGroupId, workspaceId) };
  }
  const questionnaires = await services.questionnaires.listActive(workspaceId ?? null);
  return questionnaires.length > 0 ? { questionnaires } : { refusal: noQuestionnairesText() };
}

/**
 * "Score this call" in the comment form: the scoring form for the form's call, pushed on top of it (Slack:
 * "Push a new view onto the existing view stack by passing a view object and a valid trigger_id generated
 * from an interaction within the existing modal [...] the user will go back to the previous view after they
 * complete or cancel the pushed view"; https://api.slack.com/methods/views.push). The call, the time typed
 * in the form, the channel, thread and response_url come from the comment form's sealed metadata.
 */
function scoreFromCommentForm(services: ScoreServices) {
  return async (args: ButtonArgs): Promise<void> => {
    const { ack, body, client, logger } = args;
    await ack();
    const push = (view: types.ModalView) => client.views.push({ trigger_id: body.trigger_id, view });
    const form = services.forms.open(body.view?.private_metadata);
    if (!form?.segmentId) {
      logger.warn(`A Score this call button from ${body.user.id} came with metadata that fails its seal; refused.`);
      await push(buildNoticeView('This comment form is out of date. Close it and run `/qm` again.'));
      return;
    }
    const gate = await mayScore(services, args);
    if ('refusal' in gate) {
      await push(buildNoticeView(gate.refusal));
      return;
    }
    const typed = body.view?.state.values[COMMENT_BLOCKS.offset.blockId]?.[COMMENT_BLOCKS.offset.actionId]?.value;
    const offset = typeof typed === 'string' && typed.trim() !== '' ? parseOffset(typed) : undefined;
    const offsetSeconds = offset?.ok ? offset.seconds : form.offsetSeconds;
    const metadata: ScoreMetadata = {
      v: 1,
      source: form.source,
      ...(form.channelId ? { channelId: form.channelId } : {}),
      ...(form.responseUrl ? { responseUrl: form.responseUrl } : {}),
      ...(form.thread ? { thread: form.thread } : {}),
      segmentId: form.segmentId,
      ...(form.agentId ? { agentId: form.agentId } : {}),
      ...(offsetSeconds !== undefined ? { offsetSeconds } : {}),
      ...(form.callUrl ? { callUrl: form.callUrl } : {}),
      ...(form.context ? { context: form.context } : {}),
    };
    await openOrSayTooLate(
      logger,
      () => openScoreForm(services, client, logger, gate.questionnaires, metadata, push),
      async () => undefined,
    );
  };
}

/** What the preview's buttons carry (see buildCallUnfurl): the call, compactly. */
/** "Score this call" on a call's preview: the scoring form for that call, answered in the message's thread. */
function scoreFromUnfurl(services: ScoreServices) {
  return async (args: ButtonArgs): Promise<void> => {
    const { ack, body, action, client, logger } = args;
    await ack();
    const click = readPreviewButtonClick(body, action.value);
    if (!click) {
      logger.warn('A Score this call button carried a value this app did not write; ignored.');
      return;
    }
    const { channelId } = click;
    // A button in a preview has no response_url: what the clicker must read goes to them alone, in the channel.
    const tell = (text: string) =>
      tellClicker(
        client,
        logger,
        { channelId, userId: body.user.id },
        text,
        `Could not tell ${body.user.id} why nothing opened`,
      );
    const gate = await mayScore(services, args);
    if ('refusal' in gate) {
      await tell(gate.refusal);
      return;
    }
    const metadata: ScoreMetadata = {
      v: 1,
      source: 'unfurl',
      ...(channelId ? { channelId } : {}),
      ...(click.thread ? { thread: click.thread } : {}),
      ...click.call,
    };
    await openOrSayTooLate(
      logger,
      () =>
        openScoreForm(services, client, logger, gate.questionnaires, metadata, (view) =>
          client.views.open({ trigger_id: body.trigger_id, view }),
        ),
      () =>
        tell(
          "The scoring form did not open: Slack's 3 seconds ran out. Nothing was saved. Press Score this call on the call's preview again.",
        ),
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

function commentCategoriesOf(services: ScoreServices, workspaceId: string | undefined): CategoryChoice[] {
  return services.comments?.categories(workspaceId ?? null) ?? [];
}

function changedText(name: string): string {
  return `*${name}* changed in Flex while the form was open (its questions or answers were added, removed or reordered), so nothing was sent. Run \`/qm score\` again to score the call with the current version.`;
}

function chooseSubmission(services: ScoreServices) {
  return async (args: ViewArgs): Promise<void> => {
    const { ack, body, view } = args;
    const metadata = openMetadata(services, view.private_metadata);
    if (!metadata) {
      await ack({ response_action: 'update', view: buildNoticeView(OUT_OF_DATE) });
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
    await ack({
      response_action: 'update',
      view: services.forms.sealView(buildStepView(questionnaire, next, commentCategoriesOf(services, workspaceId))),
    });
  };
}

function stepSubmission(services: ScoreServices) {
  return async (args: ViewArgs): Promise<void> => {
    const { ack, body, view } = args;
    const metadata = openMetadata(services, view.private_metadata);
    const workspaceId = services.workspaceOf(args.context);
    const questionnaire =
      metadata?.questionnaireSid &&
      (await services.questionnaires.load(metadata.questionnaireSid, workspaceId ?? null));
    if (!metadata?.questionnaireSid || !metadata.agentId) {
      await ack({ response_action: 'update', view: buildNoticeView(OUT_OF_DATE) });
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
        view: services.forms.sealView(
          buildStepView(
            questionnaire,
            { ...metadata, answers, step: step + 1 },
            commentCategoriesOf(services, workspaceId),
          ),
        ),
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
        view: services.forms.sealView(
          buildStepView(
            questionnaire,
            { ...metadata, answers, step: missingStep },
            commentCategoriesOf(services, workspaceId),
          ),
        ),
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
    const revising = revises ? await services.revisions?.check(revises, body.user.id) : undefined;
    if (revising && 'refusal' in revising) {
      await ack({
        response_action: 'update',
        view: buildNoticeView(`${revising.refusal} Your answers were not saved.`),
      });
      return;
    }
    const draft: ScorecardDraft = {
      workspaceId: workspaceId ?? null,
      reviewerId: revising?.reviewerId ?? reviewer.identity.id,
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
      // The form's own view (it keeps its id through its steps); pushed on a comment form, its root is that form.
      slackViewId: view.id,
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
    const closing = readClosingComment(view.state.values);
    if (closing && services.comments) {
      // Checked before anything is stored, so a comment to fix never leaves a scorecard half submitted.
      const checked = validateCommentForm(
        { categoryId: closing.categoryId, comment: closing.comment, segment: null, agentId: null, offset: null },
        { segmentId: metadata.segmentId, agentId: metadata.agentId, offsetSeconds: metadata.offsetSeconds ?? 0 },
      );
      if (!checked.ok) {
        const errors: Record<string, string> = {};
        if (checked.errors.category) errors[SCORE_COMMENT_CATEGORY_BLOCK.blockId] = checked.errors.category;
        if (checked.errors.comment) errors[SCORE_COMMENT_BLOCK.blockId] = checked.errors.comment;
        if (Object.keys(errors).length > 0) {
          await ack({ response_action: 'errors', errors });
          return;
        }
      }
    }
    const { scorecard } = await services.scorecards.submit(draft, new Date());
    let comment: Awaited<ReturnType<ScorecardComments['submit']>> | undefined;
    if (closing && services.comments) {
      try {
        comment = await services.comments.submit({
          scorecard,
          categoryId: closing.categoryId ?? '',
          comment: closing.comment,
          source: metadata.source ?? 'command',
          lookupEmail: () => slackEmailOf(args.client, body.user.id),
        });
      } catch (error) {
        args.logger.error(
          ...logArgs(
            `Could not save the comment of scorecard ${scorecard.id} (its answers are saved; the reviewer was asked to press Submit again)`,
            error,
          ),
        );
        comment = {
          kind: 'invalid',
          message: 'The app’s database did not answer, so the comment was not saved. Press Submit again in a minute.',
        };
      }
      if (comment.kind === 'invalid') {
        // The answers are stored and on their way; the comment stays in the form to be fixed and sent.
        services.wake();
        await ack({
          response_action: 'errors',
          errors: { [SCORE_COMMENT_BLOCK.blockId]: `Your answers are saved and being sent. ${comment.message}` },
        });
        return;
      }
    }
    await ack({
      response_action: 'update',
      view: buildResultView(scorecard, metadata, comment?.kind === 'accepted' ? comment.comment : undefined),
    });
    services.wake();
    if (comment?.kind === 'accepted') await comment.deliver();
    if (revises) {
      await services.revisions
        ?.revised(args.client, args.logger, revises, body.user.id, scorecard.revision)
        .catch((error: unknown) => args.logger.warn(...logArgs('Recording a revised scorecard failed', error)));
    }
  };
}

/** The closing comment typed on the last step; undefined when left empty. */
function readClosingComment(values: StateValues): { comment: string; categoryId: string | null } | undefined {
  const comment = values[SCORE_COMMENT_BLOCK.blockId]?.[SCORE_COMMENT_BLOCK.actionId]?.value;
  if (typeof comment !== 'string' || comment.trim() === '') return undefined;
  const category =
    values[SCORE_COMMENT_CATEGORY_BLOCK.blockId]?.[SCORE_COMMENT_CATEGORY_BLOCK.actionId]?.selected_option?.value;
  return { comment, categoryId: typeof category === 'string' && category !== '' ? category : null };
}

function backAction(services: ScoreServices) {
  return async (args: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>): Promise<void> => {
    const { ack, body, action, client } = args;
    await ack();
    const view = body.view;
    const metadata = openMetadata(services, view?.private_metadata);
    if (!view || !metadata?.questionnaireSid) return;
    const questionnaire = await services.questionnaires.load(
      metadata.questionnaireSid,
      services.workspaceOf(args.context) ?? null,
    );
    const workspaceId = services.workspaceOf(args.context);
    if (!questionnaire || questionnaire.version !== metadata.version) {
      await client.views.update({
        view_id: view.id,
        hash: view.hash,
        view: buildNoticeView(changedText(questionnaire?.name ?? 'The questionnaire')),
      });
      return;
    }
    const values = view.state.values as StateValues;
    const answers = mergeStepAnswers(questionnaire, metadata, values);
    // A closing comment typed on the last step goes back with the reviewer and is there again at the end.
    // On the last step what the field holds now (emptied: none); on an earlier step what was carried so far.
    const onLastStep = SCORE_COMMENT_BLOCK.blockId in values;
    const closing = onLastStep ? readClosingComment(values) : metadata.closing;
    const { closing: _earlier, ...rest } = metadata;
    const back = {
      ...rest,
      answers,
      step: Math.max(0, Number(action.value) || 0),
      ...(closing ? { closing } : {}),
    };
    const categories = commentCategoriesOf(services, workspaceId);
    const next = scoreMetadataFits(back)
      ? buildStepView(questionnaire, back, categories)
      : // Too long to carry between steps (private_metadata holds 3,000 characters): it stays on this step.
        buildStepView(questionnaire, { ...rest, answers, step: metadata.step ?? 0 }, categories, {
          notice:
            'Your comment is too long to carry to an earlier step. Submit the scorecard with it, or copy it before going back.',
          closing,
        });
    await client.views.update({ view_id: view.id, hash: view.hash, view: services.forms.sealView(next) });
  };
}

/** Registers the scoring form's listeners; `/qm score` is taken by a middleware ahead of the comment listener. */
export function registerScoreListeners(app: App, services: ScoreServices): void {
  app.use(scoreCommandMiddleware(services));
  app.view<ViewSubmitAction>(SCORE_CHOOSE_CALLBACK_ID, chooseSubmission(services));
  app.view<ViewSubmitAction>(SCORE_STEP_CALLBACK_ID, stepSubmission(services));
  app.action<BlockAction<ButtonAction>>(SCORE_BACK_ACTION_ID, backAction(services));
  app.action<BlockAction<ButtonAction>>(SCORE_FROM_COMMENT_FORM_ACTION_ID, scoreFromCommentForm(services));
  app.action<BlockAction<ButtonAction>>(SCORE_FROM_UNFURL_ACTION_ID, scoreFromUnfurl(services));
}
