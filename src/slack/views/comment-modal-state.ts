import { z } from 'zod';
import type { CommentFormInput } from '../../domain/assessments/comment-form.js';
import { COMMENT_BLOCKS } from './block-ids.js';

const textValue = z.object({ value: z.string().nullish() }).loose();
const selectValue = z.object({ selected_option: z.object({ value: z.string() }).loose().nullish() }).loose();
const stateSchema = z.record(z.string(), z.record(z.string(), z.unknown()));

/** Reads the comment form out of Slack's `view.state.values`; fields the modal did not ask come back null. */
export function readCommentModalState(values: unknown): CommentFormInput {
  const state = stateSchema.safeParse(values);
  const blocks = state.success ? state.data : {};
  const text = (field: 'comment' | 'segment' | 'agent' | 'offset'): string | null => {
    const { blockId, actionId } = COMMENT_BLOCKS[field];
    const parsed = textValue.safeParse(blocks[blockId]?.[actionId]);
    if (!parsed.success) return null;
    return parsed.data.value ?? '';
  };
  const { blockId, actionId } = COMMENT_BLOCKS.category;
  const category = selectValue.safeParse(blocks[blockId]?.[actionId]);
  return {
    categoryId: category.success ? (category.data.selected_option?.value ?? null) : null,
    comment: text('comment'),
    segment: text('segment'),
    agentId: text('agent'),
    offset: text('offset'),
  };
}
