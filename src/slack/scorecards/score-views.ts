import type { types } from '@slack/bolt';
import { COMMENT_MAX_LENGTH } from '../../domain/assessments/comment-form.js';
import { splitIntoSteps } from '../../domain/scorecards/form-steps.js';
import {
  groupByCategory,
  type Question,
  type Questionnaire,
  type QuestionnaireSummary,
} from '../../domain/scorecards/questionnaire.js';
import { formatScore, scoreOf } from '../../domain/scorecards/score.js';
import { deliveryState, type Scorecard } from '../../domain/scorecards/scorecard.js';
import { describeCall, describePosition } from '../views/call-context-text.js';
import { type CategoryChoice, categoryMenuOptions } from '../views/category-options.js';
import { escapeMrkdwn, quote, truncate } from '../views/mrkdwn.js';
import { encodeScoreMetadata, readAnswerIndexes, type ScoreMetadata } from './score-metadata.js';

export { SCORE_FROM_COMMENT_FORM_ACTION_ID } from '../views/block-ids.js';
export { SCORE_FROM_UNFURL_ACTION_ID } from '../views/call-unfurl.js';
export const SCORE_CHOOSE_CALLBACK_ID = 'qm_score_choose';
export const SCORE_STEP_CALLBACK_ID = 'qm_score_step';
export const SCORE_BACK_ACTION_ID = 'qm_score_back';
export const QUESTIONNAIRE_BLOCK = { blockId: 'questionnaire', actionId: 'questionnaire' } as const;
export const ANSWER_ACTION_ID = 'answer';
/** The optional closing comment on the last step, and its category (a comment tag, as the comment form's). */
export const SCORE_COMMENT_BLOCK = { blockId: 'score_comment', actionId: 'comment_input' } as const;
export const SCORE_COMMENT_CATEGORY_BLOCK = { blockId: 'score_comment_category', actionId: 'category_select' } as const;

/** The closing comment as the confirmation shows it, with how far it has got. */
export interface ClosingComment {
  categoryName: string;
  comment: string;
  status: 'pending' | 'posted' | 'failed';
}

/** Block Kit's caps (https://api.slack.com/reference/block-kit/block-elements): radio buttons hold at most 10 options, a static select 100. */
const MAX_RADIO_OPTIONS = 10;
const MAX_SELECT_OPTIONS = 100;

/** The input block of the question at `index` (its position in the whole questionnaire). */
export function questionBlockId(index: number): string {
  return `q${index}`;
}

function callBlocks(metadata: ScoreMetadata, lookingUp = false): types.KnownBlock[] {
  const blocks: types.KnownBlock[] = [];
  if (metadata.context)
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: describeCall(metadata.context) } });
  const lookup = lookingUp ? ' · _Looking up the call in Flex…_' : '';
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: `${describePosition(metadata.segmentId, metadata.offsetSeconds)}${lookup}` }],
  });
  return blocks;
}

/** The first view: which questionnaire to score the call with (active ones; the default pre-selected). */
export function buildChooseView(
  questionnaires: readonly QuestionnaireSummary[],
  metadata: ScoreMetadata,
  options: { lookingUp?: boolean; notice?: string } = {},
): types.ModalView {
  const choices = questionnaires.slice(0, MAX_SELECT_OPTIONS).map(
    (q): types.PlainTextOption => ({
      text: { type: 'plain_text', text: truncate(q.name, 75) },
      description: { type: 'plain_text', text: `${q.questionCount} question${q.questionCount === 1 ? '' : 's'}` },
      value: q.sid,
    }),
  );
  const preferred =
    questionnaires.find((q) => q.sid === metadata.questionnaireSid) ??
    questionnaires.find((q) => q.isDefault) ??
    (questionnaires.length === 1 ? questionnaires[0] : undefined);
  const initial = choices.find((choice) => choice.value === preferred?.sid);
  const blocks: types.KnownBlock[] = [];
  if (options.notice)
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `:warning: ${escapeMrkdwn(options.notice)}` } });
  blocks.push(...callBlocks(metadata, options.lookingUp));
  blocks.push({
    type: 'input',
    block_id: QUESTIONNAIRE_BLOCK.blockId,
    label: { type: 'plain_text', text: 'Questionnaire' },
    element: {
      type: 'static_select',
      action_id: QUESTIONNAIRE_BLOCK.actionId,
      placeholder: { type: 'plain_text', text: 'Choose a questionnaire' },
      options: choices,
      ...(initial ? { initial_option: initial } : {}),
    },
  });
  return {
    type: 'modal',
    callback_id: SCORE_CHOOSE_CALLBACK_ID,
    title: { type: 'plain_text', text: 'Score a call' },
    submit: { type: 'plain_text', text: 'Next' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: encodeScoreMetadata(metadata),
    blocks,
  };
}

/**
 * One step of the questionnaire: its questions grouped by category, each answered from its answer set.
 * The last step ends with an optional comment (when the workspace has comment categories to file it under).
 */
export function buildStepView(
  questionnaire: Questionnaire,
  metadata: ScoreMetadata,
  commentCategories: readonly CategoryChoice[] = [],
  options: { notice?: string; closing?: ScoreMetadata['closing'] } = {},
): types.ModalView {
  const { notice } = options;
  const closing = options.closing ?? metadata.closing;
  const steps = splitIntoSteps(questionnaire.questions);
  const step = Math.min(metadata.step ?? 0, steps.length - 1);
  const indexOf = new Map(questionnaire.questions.map((q, i) => [q.sid, i]));
  const answers = readAnswerIndexes(metadata.answers, questionnaire.questions.length);
  const blocks: types.KnownBlock[] = [...callBlocks(metadata)];
  if (notice) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `:warning: ${escapeMrkdwn(notice)}` } });
  const stepLine = steps.length > 1 ? `Step ${step + 1} of ${steps.length} · ` : '';
  const rescore = metadata.rescore
    ? ' · _Your earlier answers are filled in; only what you change is sent to Flex._'
    : '';
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: `${stepLine}*${escapeMrkdwn(questionnaire.name)}*${rescore}` }],
  });
  for (const group of groupByCategory(steps[step] ?? [])) {
    blocks.push({ type: 'header', text: { type: 'plain_text', text: truncate(group.categoryName, 150) } });
    for (const question of group.items) {
      const index = indexOf.get(question.sid) ?? 0;
      blocks.push(questionBlock(question, index, answers[index]));
    }
  }
  if (step > 0) {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: SCORE_BACK_ACTION_ID,
          text: { type: 'plain_text', text: `Back to step ${step}` },
          value: String(step - 1),
        },
      ],
    });
  }
  const last = step === steps.length - 1;
  if (last && commentCategories.length > 0) blocks.push(...closingCommentBlocks(commentCategories, closing));
  return {
    type: 'modal',
    callback_id: SCORE_STEP_CALLBACK_ID,
    title: { type: 'plain_text', text: 'Score a call' },
    submit: { type: 'plain_text', text: last ? 'Submit scorecard' : `Next: step ${step + 2}` },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: encodeScoreMetadata({ ...metadata, step }),
    blocks,
  };
}

function closingCommentBlocks(
  categories: readonly CategoryChoice[],
  closing: ScoreMetadata['closing'],
): types.KnownBlock[] {
  const { initial, ...choices } = categoryMenuOptions(categories, closing?.categoryId ?? undefined);
  return [
    { type: 'divider' },
    {
      type: 'input',
      block_id: SCORE_COMMENT_BLOCK.blockId,
      optional: true,
      label: { type: 'plain_text', text: 'Comment (optional)' },
      hint: {
        type: 'plain_text',
        text: 'Sent to Flex as a QM comment on this call, as /qm sends comments, and kept with this scorecard.',
      },
      element: {
        type: 'plain_text_input',
        action_id: SCORE_COMMENT_BLOCK.actionId,
        multiline: true,
        max_length: COMMENT_MAX_LENGTH,
        ...(closing ? { initial_value: closing.comment } : {}),
        placeholder: { type: 'plain_text', text: 'What should the agent keep doing, or do differently?' },
      },
    },
    {
      type: 'input',
      block_id: SCORE_COMMENT_CATEGORY_BLOCK.blockId,
      optional: true,
      label: { type: 'plain_text', text: 'Comment category' },
      hint: { type: 'plain_text', text: 'Needed only with a comment.' },
      element: {
        type: 'static_select',
        action_id: SCORE_COMMENT_CATEGORY_BLOCK.actionId,
        placeholder: { type: 'plain_text', text: 'Choose a category' },
        ...choices,
        ...(initial ? { initial_option: initial } : {}),
      },
    },
  ];
}

function questionBlock(question: Question, index: number, chosen: number | undefined): types.InputBlock {
  const options = question.choices.slice(0, MAX_SELECT_OPTIONS).map(
    (choice, i): types.PlainTextOption => ({
      text: { type: 'plain_text', text: truncate(choice.name, 75) },
      value: String(i),
    }),
  );
  const initial = chosen === undefined ? undefined : options[chosen];
  const common = { action_id: ANSWER_ACTION_ID, options, ...(initial ? { initial_option: initial } : {}) };
  return {
    type: 'input',
    block_id: questionBlockId(index),
    label: { type: 'plain_text', text: truncate(question.text, 2000) },
    ...(question.description ? { hint: { type: 'plain_text', text: truncate(question.description, 2000) } } : {}),
    element:
      options.length <= MAX_RADIO_OPTIONS
        ? { type: 'radio_buttons', ...common }
        : { type: 'static_select', placeholder: { type: 'plain_text', text: 'Choose an answer' }, ...common },
  };
}

/** The score and how far the answers have got, as the modal, the private message and the thread show them. */
export function scorecardSummaryBlocks(scorecard: Scorecard, comment?: ClosingComment): types.KnownBlock[] {
  const summary = scoreOf(scorecard.answers);
  const posted = scorecard.answers.filter((a) => a.status === 'posted').length;
  const failed = scorecard.answers.filter((a) => a.status === 'failed');
  const total = scorecard.answers.length;
  const state = deliveryState(scorecard.answers);
  const status =
    state === 'posted'
      ? `:white_check_mark: All ${total} answers are in Flex.`
      : state === 'failed'
        ? `:warning: ${posted} of ${total} answers are in Flex; ${failed.length} could not be sent: ${failed
            .slice(0, 5)
            .map(
              (a) =>
                `“${escapeMrkdwn(truncate(a.questionText, 80))}” (${escapeMrkdwn(truncate(a.lastError ?? 'unknown error', 200))})`,
            )
            .join('; ')}${failed.length > 5 ? '; …' : ''}. *Retry* sends them again (or score the call again).`
        : `:hourglass_flowing_sand: ${posted} of ${total} answers are in Flex; the rest are being sent.`;
  const categories = summary.categories
    .map(
      (c) =>
        `• ${escapeMrkdwn(c.categoryName)}: *${formatScore(c.score)}*${c.notApplicable ? ` (${c.notApplicable} N/A)` : ''}`,
    )
    .join('\n');
  return [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: truncate(
          `*${escapeMrkdwn(scorecard.questionnaireName)}* · score *${formatScore(summary.overall)}*\n${categories}`,
          3000,
        ),
      },
    },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `Calculated by this app: the mean of the answered questions' scores, N/A left out (${summary.answered} answered, ${summary.notApplicable} N/A). Flex Insights may weigh answers differently.`,
        },
      ],
    },
    { type: 'section', text: { type: 'mrkdwn', text: truncate(status, 3000) } },
    ...(comment ? [closingCommentBlock(comment)] : []),
    ...(state === 'failed' ? [retryBlock(scorecard.id, failed.length)] : []),
  ];
}

const COMMENT_STATUS: Record<ClosingComment['status'], string> = {
  posted: ':white_check_mark: in Flex',
  pending: ':hourglass_flowing_sand: being sent to Flex',
  failed: ':warning: not in Flex: see the message about it, with its Retry button',
};

function closingCommentBlock(comment: ClosingComment): types.KnownBlock {
  return {
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: `Your comment (*${escapeMrkdwn(truncate(comment.categoryName, 80))}*, ${COMMENT_STATUS[comment.status]}):\n${quote(comment.comment, 1500)}`,
    },
  };
}

/** The Retry button of a half-delivered scorecard: only its reviewer or a QM admin may use it. */
export const SCORE_RETRY_ACTION_ID = 'qm_score_retry';

function retryBlock(scorecardId: string, failed: number): types.ActionsBlock {
  return {
    type: 'actions',
    block_id: 'qm_score_retry',
    elements: [
      {
        type: 'button',
        action_id: SCORE_RETRY_ACTION_ID,
        text: {
          type: 'plain_text',
          text: `Retry ${failed === 1 ? 'the failed answer' : `the ${failed} failed answers`}`,
        },
        style: 'primary',
        value: scorecardId,
      },
    ],
  };
}

/** The modal after submission: the call, the score, and the delivery state. */
export function buildResultView(
  scorecard: Scorecard,
  metadata: ScoreMetadata,
  comment?: ClosingComment,
): types.ModalView {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: 'Scorecard' },
    close: { type: 'plain_text', text: 'Done' },
    blocks: [...callBlocks(metadata), ...scorecardSummaryBlocks(scorecard, comment)],
  };
}

/** A plain message view (nothing to submit), e.g. when the questionnaire changed under the form. */
export function buildNoticeView(text: string): types.ModalView {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: 'Score a call' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: truncate(text, 3000) } }],
  };
}

/** The private message / thread reply once every answer is settled. */
export function scorecardMessage(
  scorecard: Scorecard,
  comment?: ClosingComment,
): { text: string; blocks: types.KnownBlock[] } {
  const summary = scoreOf(scorecard.answers);
  const state = deliveryState(scorecard.answers);
  const at = describePosition(scorecard.segmentId, scorecard.offsetSeconds);
  return {
    text: `Scorecard ${scorecard.questionnaireName}: ${formatScore(summary.overall)} (${state === 'posted' ? 'all answers in Flex' : 'some answers not in Flex'})`,
    blocks: [
      { type: 'context', elements: [{ type: 'mrkdwn', text: at }] },
      ...scorecardSummaryBlocks(scorecard, comment),
    ],
  };
}
