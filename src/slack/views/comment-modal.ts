import type { types } from '@slack/bolt';
import { COMMENT_MAX_LENGTH } from '../../domain/assessments/comment-form.js';
import type { CommentCount } from '../../domain/calls/call-history.js';
import { formatOffset } from '../../domain/calls/offset.js';
import { COMMENT_BLOCKS, COMMENT_MODAL_CALLBACK_ID, SCORE_FROM_COMMENT_FORM_ACTION_ID } from './block-ids.js';
import { describeCall, describePosition } from './call-context-text.js';
import { commentCountBlock } from './call-history-view.js';
import { type CategoryChoice, categoryMenuOptions } from './category-options.js';
import { encodeModalMetadata, type ModalMetadata } from './modal-metadata.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';

export type { CategoryChoice } from './category-options.js';

/** What the reviewer had entered, carried over when the modal is rebuilt. */
export interface CommentModalValues {
  categoryId?: string | undefined;
  comment?: string | undefined;
  segment?: string | undefined;
  agentId?: string | undefined;
  offset?: string | undefined;
}

export interface CommentModalInput {
  categories: CategoryChoice[];
  metadata: ModalMetadata;
  /** The segment is known but Flex has not yet said whose call it is. */
  lookingUpCall?: boolean;
  /** Ask for the agent even though the segment is known (Flex could not tell). */
  askAgent?: boolean;
  notice?: string | undefined;
  values?: CommentModalValues;
  /** How many comments Flex already holds on the call, when it said in time. */
  commentCount?: CommentCount;
  /** Offer "Score this call" beside the call (the workspace has questionnaires to score with). */
  scoreButton?: boolean;
}

/** The comment form; it asks only for what the command, the link or Flex did not already say. */
export function buildCommentModal(input: CommentModalInput): types.ModalView {
  const { metadata, values = {} } = input;
  const blocks: types.KnownBlock[] = [];

  if (input.notice) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `:warning: ${escapeMrkdwn(input.notice)}` } });
  }
  if (metadata.segmentId) {
    const score: types.Button | undefined = input.scoreButton
      ? {
          type: 'button',
          action_id: SCORE_FROM_COMMENT_FORM_ACTION_ID,
          text: { type: 'plain_text', text: 'Score this call' },
          value: 'score',
        }
      : undefined;
    if (metadata.context) {
      blocks.push({
        type: 'section',
        text: { type: 'mrkdwn', text: describeCall(metadata.context) },
        ...(score ? { accessory: score } : {}),
      });
    }
    const lookup = input.lookingUpCall ? ' · _Looking up the call in Flex…_' : '';
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `${describePosition(metadata.segmentId, metadata.offsetSeconds)}${lookup}` }],
    });
    if (input.commentCount) blocks.push(commentCountBlock(input.commentCount, metadata.segmentId));
    // Before Flex has described the call there is no section to hold the button: it gets its own row.
    if (score && !metadata.context) blocks.push({ type: 'actions', elements: [score] });
  }

  blocks.push(categoryBlock(input.categories, values.categoryId));
  blocks.push({
    type: 'input',
    block_id: COMMENT_BLOCKS.comment.blockId,
    label: { type: 'plain_text', text: 'Comment' },
    element: {
      type: 'plain_text_input',
      action_id: COMMENT_BLOCKS.comment.actionId,
      multiline: true,
      max_length: COMMENT_MAX_LENGTH,
      placeholder: { type: 'plain_text', text: 'What should the agent keep doing, or do differently?' },
      ...(values.comment ? { initial_value: truncate(values.comment, COMMENT_MAX_LENGTH) } : {}),
    },
  });

  if (!metadata.segmentId) {
    blocks.push(
      textInput('segment', 'Call', {
        placeholder: 'Segment id or Flex Insights call link',
        hint: 'The segment id is a UUID; a Flex Insights link to the call works too.',
        initial: values.segment,
      }),
    );
  }
  if (!metadata.agentId && (!metadata.segmentId || input.askAgent)) {
    const required = Boolean(metadata.segmentId && input.askAgent);
    blocks.push(
      textInput('agent', 'Agent id', {
        placeholder: 'The Flex Insights id of the agent on the call',
        hint: required ? 'Flex could not tell who handled this call.' : 'Leave empty to take it from the call in Flex.',
        initial: values.agentId,
        optional: !required,
      }),
    );
  }
  blocks.push(
    textInput('offset', 'Time in the recording', {
      placeholder: '1:23',
      hint: 'Seconds (6.98) or m:ss / h:mm:ss. Empty means the start of the call.',
      initial:
        values.offset ??
        (metadata.offsetSeconds !== undefined && metadata.offsetSeconds > 0
          ? formatOffset(metadata.offsetSeconds)
          : undefined),
      optional: true,
    }),
  );

  return {
    type: 'modal',
    callback_id: COMMENT_MODAL_CALLBACK_ID,
    title: { type: 'plain_text', text: 'QM comment' },
    submit: { type: 'plain_text', text: 'Post to Flex' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: encodeModalMetadata(metadata),
    blocks,
  };
}

function categoryBlock(categories: CategoryChoice[], selectedId: string | undefined): types.InputBlock {
  const { initial, ...choices } = categoryMenuOptions(categories, selectedId);
  return {
    type: 'input',
    block_id: COMMENT_BLOCKS.category.blockId,
    label: { type: 'plain_text', text: 'Category' },
    element: {
      type: 'static_select',
      action_id: COMMENT_BLOCKS.category.actionId,
      placeholder: { type: 'plain_text', text: 'Choose a category' },
      ...choices,
      ...(initial ? { initial_option: initial } : {}),
    },
  };
}

function textInput(
  field: 'segment' | 'agent' | 'offset',
  label: string,
  options: { placeholder: string; hint: string; initial?: string | undefined; optional?: boolean },
): types.InputBlock {
  const ids = COMMENT_BLOCKS[field];
  return {
    type: 'input',
    block_id: ids.blockId,
    optional: options.optional ?? false,
    label: { type: 'plain_text', text: label },
    hint: { type: 'plain_text', text: options.hint },
    element: {
      type: 'plain_text_input',
      action_id: ids.actionId,
      max_length: 2000,
      placeholder: { type: 'plain_text', text: options.placeholder },
      ...(options.initial ? { initial_value: truncate(options.initial, 2000) } : {}),
    },
  };
}
