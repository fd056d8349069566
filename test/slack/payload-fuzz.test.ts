import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { validateCommentForm } from '../../src/domain/assessments/comment-form.js';
import { findCallLinks, readCallUrl } from '../../src/domain/calls/call-links.js';
import { parseCallReference } from '../../src/domain/calls/call-reference.js';
import { formatOffset, parseOffset } from '../../src/domain/calls/offset.js';
import { parseQmCommandText } from '../../src/slack/listeners/commands/qm-command-text.js';
import { envelopeProblem } from '../../src/slack/receiver/slack-envelope.js';
import { COMMENT_BLOCKS } from '../../src/slack/views/block-ids.js';
import { readCommentModalState } from '../../src/slack/views/comment-modal-state.js';
import { decodeModalMetadata, encodeModalMetadata, type ModalMetadata } from '../../src/slack/views/modal-metadata.js';
import { escapeMrkdwn, mrkdwnLink, quote } from '../../src/slack/views/mrkdwn.js';

const RUNS = { numRuns: 300 };
/** Any string, astral characters, lone surrogates and controls included. */
const anyText = fc.string({ unit: 'binary', maxLength: 200 });
const segmentId = fc.uuid({ version: [1, 4, 5] });
const slackId = (prefix: string) => fc.stringMatching(new RegExp(`^${prefix}[A-Z0-9]{8,10}$`));
/** Seconds within a call, as Flex takes them: at most 24 h, at most 3 decimals. */
const seconds = fc.integer({ min: 0, max: 86_400_000 }).map((ms) => ms / 1000);

describe('fuzz: the Slack payloads the app reads', () => {
  it('envelope check never throws, whatever the body', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.anything()), (body) => {
        const problem = envelopeProblem(body);
        assert.ok(
          problem === undefined || typeof problem === 'string',
          "problem === undefined || typeof problem === 'string'",
        );
      }),
      RUNS,
    );
  });

  it('envelope check takes every well-formed view submission, block action and message shortcut', () => {
    const user = fc.record({ id: slackId('U'), name: fc.string() });
    const team = fc.record({ id: slackId('T'), domain: fc.string() });
    const viewSubmission = fc.record({
      type: fc.constant('view_submission'),
      user,
      team,
      view: fc.record({
        id: slackId('V'),
        callback_id: fc.string(),
        private_metadata: fc.string(),
        blocks: fc.array(fc.record({ type: fc.constantFrom('input', 'section', 'context') })),
        state: fc.record({ values: fc.dictionary(fc.string(), fc.dictionary(fc.string(), fc.jsonValue())) }),
      }),
    });
    const blockAction = fc.record({
      type: fc.constant('block_actions'),
      user,
      team,
      actions: fc.array(
        fc.record({ type: fc.constant('button'), action_id: fc.string({ minLength: 1 }), value: fc.string() }),
        { minLength: 1, maxLength: 3 },
      ),
    });
    const shortcut = fc.record({
      type: fc.constant('message_action'),
      callback_id: fc.string(),
      trigger_id: fc.string({ minLength: 1 }),
      user,
      team,
      channel: fc.record({ id: slackId('C') }),
      message: fc.record({ ts: fc.constant('1763632800.000100'), text: fc.string() }),
    });
    fc.assert(
      fc.property(fc.oneof(viewSubmission, blockAction, shortcut), (body) => {
        assert.equal(envelopeProblem(body), undefined);
      }),
      RUNS,
    );
  });

  it('envelope check refuses a view submission, block action or shortcut with a required field removed', () => {
    const full = {
      view_submission: {
        type: 'view_submission',
        user: { id: 'U1' },
        view: { id: 'V1', callback_id: 'x', blocks: [], state: { values: {} } },
      },
      block_actions: { type: 'block_actions', user: { id: 'U1' }, actions: [{ type: 'button', action_id: 'a' }] },
      message_action: {
        type: 'message_action',
        callback_id: 'c',
        trigger_id: 't',
        user: { id: 'U1' },
        channel: { id: 'C1' },
        message: { ts: '1.2' },
      },
    };
    for (const [kind, body] of Object.entries(full)) {
      assert.equal(envelopeProblem(body), undefined, kind);
      for (const key of Object.keys(body).filter((k) => k !== 'type')) {
        const { [key]: _removed, ...rest } = body as Record<string, unknown>;
        assert.match(envelopeProblem(rest) ?? '', /without the fields Slack sends/, `${kind} without ${key}`);
      }
    }
  });

  it('view state reader never throws, and reads back what was typed', () => {
    fc.assert(
      fc.property(fc.anything(), (values) => {
        readCommentModalState(values);
      }),
      RUNS,
    );
    fc.assert(
      fc.property(fc.option(anyText, { nil: null }), fc.uuid(), (comment, categoryId) => {
        const state = {
          [COMMENT_BLOCKS.category.blockId]: {
            [COMMENT_BLOCKS.category.actionId]: { type: 'static_select', selected_option: { value: categoryId } },
          },
          [COMMENT_BLOCKS.comment.blockId]: {
            [COMMENT_BLOCKS.comment.actionId]: { type: 'plain_text_input', value: comment },
          },
        };
        const form = readCommentModalState(state);
        assert.equal(form.categoryId, categoryId);
        assert.equal(form.comment, comment ?? '');
        assert.equal(form.segment, null, 'a field the modal did not ask comes back null');
      }),
      RUNS,
    );
  });

  it('form validation never throws, and a valid comment reaches the result exactly as typed', () => {
    const nullableText = fc.option(anyText, { nil: null });
    fc.assert(
      fc.property(
        fc.record({
          categoryId: nullableText,
          comment: nullableText,
          segment: nullableText,
          agentId: nullableText,
          offset: nullableText,
        }),
        (input) => {
          const result = validateCommentForm(input, {});
          if (result.ok) assert.equal(result.value.comment, input.comment);
        },
      ),
      RUNS,
    );
  });

  it('private metadata never throws when decoded, and round-trips', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        decodeModalMetadata(text);
      }),
      RUNS,
    );
    fc.assert(
      fc.property(segmentId, seconds, slackId('C'), (segment, offset, channelId) => {
        const metadata: ModalMetadata = {
          v: 1,
          source: 'command',
          channelId,
          segmentId: segment,
          offsetSeconds: offset,
        };
        assert.deepEqual(decodeModalMetadata(encodeModalMetadata(metadata)), metadata);
      }),
      RUNS,
    );
  });
});

describe('fuzz: the /qm command text', () => {
  it('never throws, whatever is typed', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const parsed = parseQmCommandText(text);
        if (parsed.kind === 'comment')
          assert.ok(Array.isArray(parsed.unrecognised), 'Array.isArray(parsed.unrecognised)');
      }),
      RUNS,
    );
  });

  it('reads back a segment and a time, in any case and spacing', () => {
    fc.assert(
      fc.property(
        segmentId,
        seconds,
        fc.constantFrom(' ', '  ', '\t', ' \n '),
        fc.boolean(),
        (segment, offset, gap, upper) => {
          const typed = `${gap}${upper ? segment.toUpperCase() : segment}${gap}${formatOffset(offset)}${gap}`;
          const parsed = parseQmCommandText(typed);
          assert.equal(parsed.kind, 'comment');
          if (parsed.kind !== 'comment') return;
          assert.equal(parsed.call?.segmentId, segment.toLowerCase());
          assert.ok(Math.abs((parsed.offsetSeconds ?? -1) - offset) < 0.0005, `${typed} → ${parsed.offsetSeconds}`);
          assert.deepEqual(parsed.unrecognised, []);
        },
      ),
      RUNS,
    );
  });
});

describe('fuzz: offsets', () => {
  it('never throws, and what it accepts is a finite number of seconds within 24 hours', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const result = parseOffset(text);
        if (result.ok)
          assert.ok(
            Number.isFinite(result.seconds) && result.seconds >= 0 && result.seconds <= 86_400,
            'Number.isFinite(result.seconds) && result.seconds >= 0 && result.seconds <= 86_400',
          );
        else assert.ok(result.problem.length > 0, 'result.problem.length > 0');
      }),
      { numRuns: 1000 },
    );
  });

  it('round-trips what it shows (m:ss, h:mm:ss) and plain seconds', () => {
    fc.assert(
      fc.property(seconds, (offset) => {
        const shown = parseOffset(formatOffset(offset));
        assert.ok(shown.ok && Math.abs(shown.seconds - offset) < 0.0005, `${offset} → ${formatOffset(offset)}`);
        const plain = parseOffset(String(offset));
        assert.ok(plain.ok && plain.seconds === offset, 'plain.ok && plain.seconds === offset');
      }),
      RUNS,
    );
  });

  it('refuses more than 24 hours and negative times', () => {
    fc.assert(
      fc.property(fc.integer({ min: 86_401, max: 10_000_000 }), (over) => {
        assert.equal(parseOffset(String(over)).ok, false);
        assert.equal(parseOffset(`-${over % 86_400}`).ok, false);
      }),
      RUNS,
    );
  });
});

describe('fuzz: call links', () => {
  it('parsers never throw on any text or payload', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        parseCallReference(text);
        readCallUrl(text);
        findCallLinks({ type: 'message', text });
      }),
      RUNS,
    );
    fc.assert(
      fc.property(fc.anything(), (message) => {
        findCallLinks(message);
      }),
      RUNS,
    );
  });

  it('finds the segment and time of a Flex Insights link, whatever the text around it', () => {
    fc.assert(
      fc.property(segmentId, fc.integer({ min: 1, max: 86_400 }), anyText, (segment, t, noise) => {
        const url = `https://analytics.ytica.com/player/segment/${segment}?t=${t}`;
        const [found] = findCallLinks({ type: 'message', text: `${noise.replace(/[<>|]/g, '')} <${url}|call> ` });
        assert.equal(found?.segmentId, segment.toLowerCase());
        assert.equal(found?.offsetSeconds, t);
      }),
      RUNS,
    );
  });
});

describe('fuzz: what reaches Slack’s mrkdwn', () => {
  const token = /<[^>]*>/g;
  it('escaped text and quotes hold no Slack control sequence, and stay within their budget', () => {
    fc.assert(
      fc.property(anyText, fc.integer({ min: 10, max: 3000 }), (text, max) => {
        assert.equal(escapeMrkdwn(text).match(token), null);
        const quoted = quote(text, max);
        assert.equal(quoted.match(token), null);
        assert.ok(quoted.length <= max, `${quoted.length} > ${max}`);
      }),
      RUNS,
    );
  });

  it('a link built from any URL is one token, with nothing after its label', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), anyText),
        anyText,
        (url, label) => {
          const link = mrkdwnLink(url, label);
          const tokens = link.match(token) ?? [];
          assert.ok(tokens.length <= 1, link);
          if (tokens.length === 1) assert.match(link, /^<https?:\/\/[^\s<>|]+\|[^<>]*>$/);
          else assert.equal(link, escapeMrkdwn(label));
        },
      ),
      RUNS,
    );
  });
});
