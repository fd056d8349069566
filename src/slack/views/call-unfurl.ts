import type { types } from '@slack/bolt';
import type { CallContext } from '../../domain/assessments/submission-service.js';
import type { CommentCount } from '../../domain/calls/call-history.js';
import type { CallLink } from '../../domain/calls/call-links.js';
import { toModalCallContext } from './call-context.js';
import { describeCall, describePosition } from './call-context-text.js';
import { commentCountBlock } from './call-history-view.js';

export const COMMENT_FROM_UNFURL_ACTION_ID = 'qm_comment_on_unfurl';
/** "Score this call" on the preview: the scoring form for the call (src/slack/scorecards). */
export const SCORE_FROM_UNFURL_ACTION_ID = 'qm_score_from_unfurl';

/** What the Comment button carries: the call, compactly (a button value holds at most 2000 characters). */
export interface UnfurlButtonValue {
  s: string;
  o?: number;
  a?: string;
  u?: string;
}

/**
 * A call link's preview: the call as Flex describes it, a button that opens the comment form and, where
 * the workspace has questionnaires to score with (`scoring`), one that opens the scoring form; and how many
 * comments the call already has with a button for them (nothing when it has none, or Flex did not say).
 */
export function buildCallUnfurl(
  call: CallLink,
  context: CallContext | null | undefined,
  commentCount?: CommentCount,
  options: { scoring?: boolean } = {},
): { blocks: types.KnownBlock[] } {
  const value: UnfurlButtonValue = {
    s: call.segmentId,
    ...(call.offsetSeconds === undefined ? {} : { o: call.offsetSeconds }),
    ...(context?.agentId ? { a: context.agentId } : call.agentId ? { a: call.agentId } : {}),
    ...(call.url && call.url.length <= 1500 ? { u: call.url } : {}),
  };
  const summary = context ? describeCall(toModalCallContext(context)) : 'A Flex Insights call';
  const comment: types.Button = {
    type: 'button',
    action_id: COMMENT_FROM_UNFURL_ACTION_ID,
    text: { type: 'plain_text', text: 'Comment' },
    value: JSON.stringify(value),
  };
  const position: types.KnownBlock = {
    type: 'context',
    elements: [{ type: 'mrkdwn', text: describePosition(call.segmentId, call.offsetSeconds) }],
  };
  const text = { type: 'mrkdwn' as const, text: `:telephone_receiver: ${summary}` };
  const count =
    commentCount && (commentCount.count > 0 || commentCount.more)
      ? [commentCountBlock(commentCount, call.segmentId)]
      : [];
  if (!options.scoring) return { blocks: [{ type: 'section', text, accessory: comment }, position, ...count] };
  // A section holds one accessory: with two buttons, both go in one row under the call.
  const score: types.Button = {
    type: 'button',
    action_id: SCORE_FROM_UNFURL_ACTION_ID,
    text: { type: 'plain_text', text: 'Score this call' },
    value: JSON.stringify(value),
  };
  return { blocks: [{ type: 'section', text }, position, { type: 'actions', elements: [comment, score] }, ...count] };
}
