import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CommentFormInput, validateCommentForm } from '../../src/domain/assessments/comment-form.js';

const SEGMENT = '0105be7a-9b87-51f1-8df8-aa74ddb9c4a7';
const filled: CommentFormInput = {
  categoryId: 'cat-1',
  comment: 'Great empathy <@channel> & "quotes"',
  segment: null,
  agentId: null,
  offset: '1:23',
};

describe('validateCommentForm', () => {
  it('accepts a complete form for a known call and keeps the comment exactly as typed', () => {
    const result = validateCommentForm(filled, { segmentId: SEGMENT, agentId: 'agent-1' });
    assert.deepEqual(result, {
      ok: true,
      value: {
        categoryId: 'cat-1',
        comment: filled.comment,
        segmentId: SEGMENT,
        agentId: 'agent-1',
        offsetSeconds: 83,
        callUrl: undefined,
      },
    });
  });

  it('names every bad field at once', () => {
    const result = validateCommentForm(
      { categoryId: null, comment: '   \n ', segment: 'call 12', agentId: 'two words', offset: '1:99' },
      {},
    );
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepEqual(Object.keys(result.errors).sort(), ['agent', 'category', 'comment', 'offset', 'segment']);
    assert.match(result.errors.segment ?? '', /segment id/);
    assert.match(result.errors.comment ?? '', /cannot be empty/);
  });

  it('takes the segment and offset from a pasted link, and leaves the agent to Flex when empty', () => {
    const result = validateCommentForm(
      { ...filled, segment: `https://analytics.ytica.com/segment/${SEGMENT}?t=12`, agentId: '', offset: '' },
      {},
    );
    assert.deepEqual(result.ok && result.value, {
      categoryId: 'cat-1',
      comment: filled.comment,
      segmentId: SEGMENT,
      agentId: undefined,
      offsetSeconds: 12,
      callUrl: `https://analytics.ytica.com/segment/${SEGMENT}?t=12`,
    });
  });

  it('counts characters, not UTF-16 units, against the 3000 limit', () => {
    const emoji = '😀'.repeat(3000);
    assert.equal(validateCommentForm({ ...filled, comment: emoji }, { segmentId: SEGMENT }).ok, true);
    const over = validateCommentForm({ ...filled, comment: `${emoji}x` }, { segmentId: SEGMENT });
    assert.equal(over.ok, false);
    if (!over.ok) assert.match(over.errors.comment ?? '', /3001 characters.*at most 3000/);
  });
});
