import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeView } from '../../sandbox/describe-view.js';
import { renderBlocks, renderMrkdwn } from '../../sandbox/render-blocks.js';
import { changedMessages, describeMessage, worldNames } from '../../sandbox/show-slack.js';
import { SANDBOX_WORLD, SEGMENTS } from '../../sandbox/world.js';
import { qmUsage } from '../../src/slack/listeners/commands/qm-command-text.js';
import { buildCommentModal } from '../../src/slack/views/comment-modal.js';
import { homeView } from '../../src/slack/views/identity-views.js';

const names = worldNames(SANDBOX_WORLD);
/** 2026-11-24 09:12 UTC, the billing call's date in the sandbox world. */
const CALL_EPOCH = Date.parse('2026-11-24T09:12:00Z') / 1000;
const NOW = new Date('2026-12-06T05:00:00Z');

describe('sandbox:send shows what the app showed, whole, as Slack renders it', () => {
  it('renders Slack date tokens as dates, in UTC, and the fallback when a token is unknown', () => {
    assert.equal(
      renderMrkdwn(`on <!date^${CALL_EPOCH}^{date_short_pretty} {time}|2026-11-24T09:12:00Z>`, names, NOW),
      'on Nov 24, 2026 9:12 AM UTC',
    );
    assert.equal(
      renderMrkdwn(`<!date^${CALL_EPOCH}^{date_long} at {time_secs}|x>`, names, NOW),
      'Tuesday, November 24th, 2026 at 9:12:00 AM UTC',
    );
    assert.equal(renderMrkdwn(`<!date^${CALL_EPOCH}^{date_num}|x>`, names, NOW), '2026-11-24');
    assert.equal(renderMrkdwn(`<!date^${NOW.getTime() / 1000}^{date_pretty}|x>`, names, NOW), 'Today');
    assert.equal(renderMrkdwn(`<!date^${CALL_EPOCH}^{nonsense}|the fallback>`, names, NOW), 'the fallback');
  });

  it('names people, channels and links as a reader sees them, and unescapes &lt; &gt; &amp;', () => {
    assert.equal(
      renderMrkdwn(
        '<@U0REVIEW1> on a call of <@U0AGENT01> in <#C0QMFEED1> &amp; <!here>: <https://x.example/a|the call> &lt;3',
        names,
      ),
      '@rita on a call of @alex in #qm-feed & @here: the call (https://x.example/a) <3',
    );
    assert.equal(renderMrkdwn('<@U0UNKNOWN>', names), '@U0UNKNOWN');
  });

  it('shows /qm help whole: nothing cut, every line', () => {
    const shown = renderMrkdwn(qmUsage('/qm'), names);
    assert.match(shown, /right-click it, \*Copy link\*\) to get the confirmation in that message's thread\./);
    assert.equal(shown.split('\n').length, qmUsage('/qm').split('\n').length);
    assert.match(shown, /`\/qm help` shows this\.$/);
  });

  it('shows a modal with its texts whole, every option of a select, hints and its buttons', () => {
    const long = 'word '.repeat(60).trim();
    const view = buildCommentModal({
      categories: SANDBOX_WORLD.categories.map((c) => ({ id: c.id, name: c.name })),
      metadata: { v: 1, source: 'command', segmentId: SEGMENTS.billing, offsetSeconds: 83 },
      notice: long,
    });
    const shown = describeView({ id: 'V0TEST', callback_id: view.callback_id ?? '', ...view }, names, NOW);
    assert.match(shown, new RegExp(`:warning: ${long}`), 'the notice is not cut');
    assert.match(shown, /input category .*one of: Good for Training \| Compliance \| Needs Coaching/);
    assert.match(shown, /input offset +"Time in the recording" \(optional\) = "1:23"\n {4}hint: Seconds \(6\.98\)/);
    assert.match(shown, /\[Cancel\] {2}\[Post to Flex\]$/);
  });

  it('shows buttons with their action ids and the Home tab’s dates as dates', () => {
    const created = new Date('2026-11-24T09:30:00Z');
    const home = homeView({
      who: {
        identity: { email: 'rita@x', flexUserName: 'Rita', agentId: null, role: 'reviewer' },
        mayComment: true,
        viaGroup: false,
      },
      assessments: [
        {
          id: 'a1',
          status: 'failed',
          categoryName: 'Compliance',
          comment: 'Kind and clear',
          lastError: 'Flex refused',
          createdAt: created,
        } as never,
      ],
    });
    const lines = renderBlocks(home.blocks, names, NOW);
    assert.ok(lines.includes('# Flex QM'), lines.join('\n'));
    assert.ok(
      lines.some((line) => line === ':x: failed · *Compliance* · Nov 24, 2026 9:30 AM UTC'),
      lines.join('\n'),
    );
    assert.ok(lines.includes('  [Retry] (assessment_retry)'), lines.join('\n'));
  });

  it('says where a message is and who sees it, and finds the messages a turn added or changed', () => {
    const before = [{ channel: 'C0QA00001', ts: '1.1', text: 'old' }];
    const after = [
      { channel: 'C0QA00001', ts: '1.1', text: 'old' },
      { channel: 'C0QA00001', ts: '1.2', text: 'Only for <@U0REVIEW1>', ephemeralFor: 'U0REVIEW1', threadTs: '1.1' },
      { channel: 'D0AGENT01', ts: '1.3', text: 'To Alex' },
    ];
    const changed = changedMessages(before, after);
    assert.deepEqual(
      changed.map((m) => m.ts),
      ['1.2', '1.3'],
    );
    assert.equal(
      describeMessage(changed[0] as (typeof after)[number], names, false),
      '  #qa, only @rita sees it, in the thread of 1.1:\n    Only for @rita',
    );
    assert.equal(describeMessage(changed[1] as (typeof after)[number], names, false), '  DM with @alex:\n    To Alex');
    assert.deepEqual(changedMessages(after, [{ ...after[0], text: 'edited' } as (typeof after)[number]]).length, 1);
    const previewed = {
      channel: 'C0QA00001',
      ts: '1.1',
      text: 'See <https://flex.example/c>',
      unfurls: {
        'https://flex.example/c': { blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'The call' } }] },
      },
    };
    assert.equal(
      describeMessage(previewed, names, true),
      '  #qa (changed):\n    See https://flex.example/c\n    ┃ preview of https://flex.example/c:\n    ┃   The call',
    );
  });
});
