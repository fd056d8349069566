import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallHistory, HeldAnswer, HeldComment } from '../../src/domain/calls/call-history.js';
import { orderHistory } from '../../src/domain/calls/call-history.js';
import { callHistoryView, commentCountBlock } from '../../src/slack/views/call-history-view.js';
import { viewProblems } from '../fakes/slack/block-kit-rules.js';

const SEGMENT = '0105be7a-9b87-51f1-8df8-aa74ddb9c4a7';

function comment(i: number, text: string): HeldComment {
  return {
    assessmentSid: `FM${String(i).padStart(32, '0')}`,
    segmentId: SEGMENT,
    text,
    categoryName: `Category <${i}>`,
    offsetSeconds: i,
    userName: `Reviewer & ${i}`,
    userEmail: null,
    createdAt: new Date(Date.UTC(2026, 10, 24, 9, i)),
  };
}

function answer(i: number, questionnaire: string, author: string, minute: number): HeldAnswer {
  return {
    assessmentSid: `FM${String(1000 + i).padStart(32, '0')}`,
    questionnaireSid: questionnaire,
    questionnaireName: questionnaire,
    questionText: `Question ${i} ${'x'.repeat(300)}`,
    categoryName: 'Opening',
    answerText: 'Yes',
    offsetSeconds: 10,
    userName: author,
    userEmail: `${author}@example.com`,
    createdAt: new Date(Date.UTC(2026, 10, 24, 10, minute)),
  };
}

function history(entries: CallHistory['entries'], complete = true): CallHistory {
  return { segmentId: SEGMENT, entries, pending: [], complete, problems: [] };
}

describe('the call history view', () => {
  it('groups one reviewer’s answers to one questionnaire into one entry, dated by its newest answer', () => {
    const entries = orderHistory(
      [comment(1, 'first'), comment(45, 'late')],
      [
        answer(1, 'GM1', 'rita', 5),
        answer(2, 'GM1', 'rita', 7),
        answer(3, 'GM1', 'sam', 1),
        answer(4, 'GM2', 'rita', 2),
      ],
    );
    assert.deepEqual(
      entries.map((e) =>
        e.kind === 'comment' ? e.text : `${e.questionnaireName}/${e.author.name}/${e.answers.length}`,
      ),
      ['GM1/rita/2', 'GM2/rita/1', 'GM1/sam/1', 'late', 'first'],
    );
  });

  it('stays within Slack’s limits whatever Flex holds: long comments, many answers, many entries', () => {
    const long = `<!channel> ${'&<>'.repeat(2000)}`;
    const many = Array.from({ length: 120 }, (_, i) => answer(i, 'GM1', 'rita', 1));
    const entries = orderHistory(
      Array.from({ length: 60 }, (_, i) => comment(i, long)),
      many,
    );
    const view = callHistoryView(history(entries, false));
    assert.deepEqual(viewProblems(view, 'modal'), []);
    assert.ok(Buffer.byteLength(JSON.stringify(view)) < 250_000, 'Buffer.byteLength(JSON.stringify(view)) < 250_000');
    const text = JSON.stringify(view);
    assert.ok(!text.includes('<!channel>'), "!text.includes('<!channel>')");
    assert.match(text, /Reviewer &amp; \d+/);
    assert.match(text, /\*Category &lt;59&gt;\*/);
    assert.match(text, /…and \d+ more answers/);
    assert.match(text, /Flex holds more than the app reads at once; Flex Insights shows them all\./);
    assert.match(text, /newest first \(1–40\)/);
    assert.match(
      text,
      /"action_id":"qm_call_history_older","text":\{"type":"plain_text","text":"Older →"\},"value":"\{\\"s\\":\\"[^"]+\\",\\"p\\":1\}"/,
    );
    assert.ok(!text.includes('qm_call_history_newer'), "!text.includes('qm_call_history_newer')");

    const older = callHistoryView(history(entries), 1);
    assert.deepEqual(viewProblems(older, 'modal'), []);
    const olderText = JSON.stringify(older);
    assert.match(olderText, /newest first \(41–61\)/);
    assert.match(olderText, /qm_call_history_newer/);
    assert.ok(!olderText.includes('qm_call_history_older'), "!olderText.includes('qm_call_history_older')");
    // A page past the end (entries gone since) shows the last one.
    assert.match(JSON.stringify(callHistoryView(history(entries), 9)), /newest first \(41–61\)/);
  });

  it('says "3 comments", "1 comment", "50+ comments", and nothing but a line when there are none', () => {
    const text = (count: { count: number; more: boolean }) => JSON.stringify(commentCountBlock(count, SEGMENT));
    assert.match(text({ count: 3, more: false }), /3 comments already on this call/);
    assert.match(text({ count: 1, more: false }), /1 comment already on this call/);
    assert.match(text({ count: 50, more: true }), /50\+ comments already on this call/);
    assert.equal(text({ count: 0, more: false }).includes('qm_call_history'), false);
    assert.match(text({ count: 0, more: false }), /No comments on this call yet\./);
  });
});
