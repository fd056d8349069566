import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { types } from '@slack/bolt';
import { buildCommentModal } from '../../src/slack/views/comment-modal.js';
import {
  decodeModalMetadata,
  encodeModalMetadata,
  PRIVATE_METADATA_MAX,
} from '../../src/slack/views/modal-metadata.js';
import { escapeMrkdwn } from '../../src/slack/views/mrkdwn.js';
import { viewProblems } from '../fakes/slack/block-kit-rules.js';

const SEGMENT = '0105be7a-9b87-51f1-8df8-aa74ddb9c4a7';
const categories = [
  { id: 'c1', name: 'Good for Training', isDefault: false },
  { id: 'c2', name: 'Compliance', isDefault: true },
];

type ModalView = ReturnType<typeof buildCommentModal>;

function inputBlock(view: ModalView, blockId: string): types.InputBlock | undefined {
  return view.blocks.find((block): block is types.InputBlock => block.type === 'input' && block.block_id === blockId);
}

function inputBlockIds(view: ModalView): string[] {
  return view.blocks.filter((block) => block.type === 'input').map((block) => block.block_id ?? '');
}

describe('buildCommentModal', () => {
  it('asks for the call, agent and time when nothing is known', () => {
    const view = buildCommentModal({ categories, metadata: { v: 1, source: 'command' } });
    assert.deepEqual(inputBlockIds(view), ['category', 'comment', 'segment', 'agent', 'offset']);
    assert.ok(view.title.text.length <= 24, 'view.title.text.length <= 24');
    assert.equal(view.submit?.text, 'Post to Flex');
  });

  it('shows the call instead of asking when Flex knows it', () => {
    const view = buildCommentModal({
      categories,
      metadata: {
        v: 1,
        source: 'command',
        segmentId: SEGMENT,
        agentId: 'agent-1',
        offsetSeconds: 83,
        context: {
          agentName: 'Ana <Lopez>',
          agentTeamName: 'Billing',
          customerName: null,
          queue: 'Support',
          date: '2026-11-20T10:00:00.000Z',
        },
      },
    });
    assert.deepEqual(inputBlockIds(view), ['category', 'comment', 'offset']);
    const text = JSON.stringify(view.blocks);
    assert.match(text, /Ana &lt;Lopez&gt;/);
    assert.match(text, /queue Support/);
    assert.match(text, /<!date\^1795168800\^/);
    const offset = inputBlock(view, 'offset')?.element;
    assert.equal(offset?.type === 'plain_text_input' && offset.initial_value, '1:23');
  });

  it('asks for the agent, required, when Flex could not say', () => {
    const view = buildCommentModal({
      categories,
      metadata: { v: 1, source: 'command', segmentId: SEGMENT },
      askAgent: true,
      notice: 'Flex did not answer',
    });
    assert.equal(inputBlock(view, 'agent')?.optional, false);
  });

  it('preselects the default category, or the one already chosen', () => {
    const first = buildCommentModal({ categories, metadata: { v: 1, source: 'command' } });
    const chosen = buildCommentModal({
      categories,
      metadata: { v: 1, source: 'command' },
      values: { categoryId: 'c1' },
    });
    const initial = (view: ModalView) => {
      const element = inputBlock(view, 'category')?.element;
      return element?.type === 'static_select' ? element.initial_option?.value : undefined;
    };
    assert.equal(initial(first), 'c2');
    assert.equal(initial(chosen), 'c1');
  });

  it('offers every category, in groups of at most 100 past the 100th, each name within 75 characters', () => {
    const many = Array.from({ length: 230 }, (_, i) => ({
      id: `c${i}`,
      name: `${'x'.repeat(90)}${i}`,
      isDefault: i === 205,
    }));
    const view = buildCommentModal({ categories: many, metadata: { v: 1, source: 'command' } });
    assert.deepEqual(viewProblems(view, 'modal'), []);
    const element = inputBlock(view, 'category')?.element;
    assert.ok(element?.type === 'static_select', "element?.type === 'static_select'");
    if (element?.type === 'static_select') {
      assert.equal(element.options, undefined);
      const groups = element.option_groups ?? [];
      assert.deepEqual(
        groups.map((g) => [g.label.text, g.options.length]),
        [
          ['Categories 1–100', 100],
          ['Categories 101–200', 100],
          ['Categories 201–230', 30],
        ],
      );
      const options = groups.flatMap((g) => g.options);
      assert.deepEqual(
        options.map((o) => o.value),
        many.map((c) => c.id),
      );
      assert.ok(
        options.every((o) => o.text.text.length <= 75),
        'options.every((o) => o.text.text.length <= 75)',
      );
      assert.equal(element.initial_option?.value, 'c205');
    }
    const hundred = buildCommentModal({ categories: many.slice(0, 100), metadata: { v: 1, source: 'command' } });
    const flat = inputBlock(hundred, 'category')?.element;
    assert.ok(
      flat?.type === 'static_select' && flat.options?.length === 100 && !flat.option_groups,
      "flat?.type === 'static_select' && flat.options?.length === 100 && !flat.option_groups",
    );
  });
});

describe('modal metadata', () => {
  it('round-trips and stays within Slack’s 3000 characters by dropping display context', () => {
    const metadata = {
      v: 1 as const,
      source: 'command' as const,
      responseUrl: 'https://hooks.slack.com/commands/T1/1/abc',
      segmentId: SEGMENT,
      callUrl: `https://x.example/${'a'.repeat(2500)}`,
      context: { agentName: 'y'.repeat(600), agentTeamName: null, customerName: null, queue: null, date: null },
    };
    const encoded = encodeModalMetadata(metadata);
    assert.ok(encoded.length <= PRIVATE_METADATA_MAX, 'encoded.length <= PRIVATE_METADATA_MAX');
    assert.deepEqual(decodeModalMetadata(encoded), {
      v: 1,
      source: 'command',
      responseUrl: metadata.responseUrl,
      segmentId: SEGMENT,
    });
    assert.equal(decodeModalMetadata('not json'), undefined);
    assert.equal(decodeModalMetadata('{"v":2}'), undefined);
  });
});

describe('escapeMrkdwn', () => {
  it('defuses Slack control characters so user text cannot ping a channel', () => {
    assert.equal(escapeMrkdwn('<!channel> & <@U1>'), '&lt;!channel&gt; &amp; &lt;@U1&gt;');
  });
});
