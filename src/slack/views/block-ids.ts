/** The comment modal's ids: shared by the builder, the state reader and the submission listener. */
export const COMMENT_MODAL_CALLBACK_ID = 'qm_comment';

export const COMMENT_BLOCKS = {
  category: { blockId: 'category', actionId: 'category_select' },
  comment: { blockId: 'comment', actionId: 'comment_input' },
  segment: { blockId: 'segment', actionId: 'segment_input' },
  agent: { blockId: 'agent', actionId: 'agent_input' },
  offset: { blockId: 'offset', actionId: 'offset_input' },
} as const;

/** "Score this call" beside the comment form's call: pushes the scoring form (src/slack/scorecards). */
export const SCORE_FROM_COMMENT_FORM_ACTION_ID = 'qm_score_from_comment';
