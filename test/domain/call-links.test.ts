import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type CallLink, findCallLinks } from '../../src/domain/calls/call-links.js';
import { unescapeSlackText } from '../../src/domain/calls/slack-escaping.js';

const A = '0105be7a-9b87-51f1-8df8-aa74ddb9c4a7';
const B = 'dbdf1f7b-c776-5e78-9676-98a397fb3cdc';
const C = 'a6f0c1d2-3b4c-4d5e-8f70-8192a3b4c5d6';
const AGENT = '583fcaa6-a4ef-5447-9077-900421e37a61';
const PLAYER = `https://analytics.ytica.com/player/segment/${A}`;
const CUSTOM = /https:\/\/calls\.acme\.example\/r\/(?<segment>[0-9a-f-]{36})(?:@(?<offset>\d+))?/;

const text = (t: string) => ({ type: 'message', ts: '1712345678.123456', user: 'U1', text: t });
const richText = (...elements: unknown[]) => ({
  type: 'message',
  text: '',
  blocks: [{ type: 'rich_text', block_id: 'Ab1', elements: [{ type: 'rich_text_section', elements }] }],
});
const call = (segmentId: string, extra: Partial<CallLink> = {}): CallLink => ({ segmentId, ...extra });

/** Real-looking messages and the calls each holds, exactly. */
const TABLE: Array<[string, unknown, CallLink[]]> = [
  ['plain text, no link', text('can someone listen to the 3pm call?'), []],
  ['empty message', text(''), []],
  ['bare segment id', text(`please review ${A}`), [call(A)]],
  ['bare id in upper case', text(`segment ${A.toUpperCase()} please`), [call(A)]],
  ['Flex Insights player link', text(`listen: ${PLAYER}`), [call(A, { url: PLAYER })]],
  ['player link with ?t=83', text(`${PLAYER}?t=83`), [call(A, { url: `${PLAYER}?t=83`, offsetSeconds: 83 })]],
  ['player link with #t=1m23s', text(`${PLAYER}#t=1m23s`), [call(A, { url: `${PLAYER}#t=1m23s`, offsetSeconds: 83 })]],
  ['offset as m:ss', text(`${PLAYER}?offset=2:05`), [call(A, { url: `${PLAYER}?offset=2:05`, offsetSeconds: 125 })]],
  [
    'offset with decimals',
    text(`${PLAYER}?t=6.985619`),
    [call(A, { url: `${PLAYER}?t=6.985619`, offsetSeconds: 6.985619 })],
  ],
  ['bad offset is ignored, the call is kept', text(`${PLAYER}?t=soon`), [call(A, { url: `${PLAYER}?t=soon` })]],
  ['Slack <url|label> form', text(`<${PLAYER}|the call>`), [call(A, { url: PLAYER })]],
  ['Slack <url> form', text(`<${PLAYER}>`), [call(A, { url: PLAYER })]],
  [
    'segment as a query parameter',
    text(`https://insights.acme.example/view?segmentId=${A}`),
    [call(A, { url: `https://insights.acme.example/view?segmentId=${A}` })],
  ],
  [
    'segment_id parameter with agent',
    text(`https://x.example/q?segment_id=${A}&agent_id=${AGENT}&t=12`),
    [call(A, { url: `https://x.example/q?segment_id=${A}&agent_id=${AGENT}&t=12`, agentId: AGENT, offsetSeconds: 12 })],
  ],
  [
    'segment in the fragment route',
    text(`https://analytics.ytica.com/#/player?segmentId=${A}&t=30`),
    [call(A, { url: `https://analytics.ytica.com/#/player?segmentId=${A}&t=30`, offsetSeconds: 30 })],
  ],
  [
    'Flex UI quality management link',
    text(`https://flex.twilio.com/quality-management/assessments/${A}`),
    [call(A, { url: `https://flex.twilio.com/quality-management/assessments/${A}` })],
  ],
  [
    'Flex UI link with a subdomain',
    text(`https://acme.flex.twilio.com/teams/${A}`),
    [call(A, { url: `https://acme.flex.twilio.com/teams/${A}` })],
  ],
  [
    '/segments/ path on another host',
    text(`https://wfm.acme.example/segments/${A}/play`),
    [call(A, { url: `https://wfm.acme.example/segments/${A}/play` })],
  ],
  ['unrelated link with a UUID', text(`https://docs.example.com/page/${A}`), []],
  ['unrelated link, no UUID', text('https://example.com/hello'), []],
  ['link and trailing punctuation', text(`Listen: ${PLAYER}.`), [call(A, { url: PLAYER })]],
  ['link in parentheses', text(`(see ${PLAYER})`), [call(A, { url: PLAYER })]],
  ['two different calls', text(`${PLAYER} and ${B}`), [call(A, { url: PLAYER }), call(B)]],
  [
    'the same call twice, offset learned from the second',
    text(`${A} ... ${PLAYER}?t=9`),
    [call(A, { url: `${PLAYER}?t=9`, offsetSeconds: 9 })],
  ],
  ['three calls in order', text(`${C} ${B} ${A}`), [call(C), call(B), call(A)]],
  [
    'rich text link element',
    richText({ type: 'link', url: `${PLAYER}?t=5`, text: 'call' }),
    [call(A, { url: `${PLAYER}?t=5`, offsetSeconds: 5 })],
  ],
  ['rich text plain id', richText({ type: 'text', text: `segment ${B}` }), [call(B)]],
  [
    'rich text with emoji and styles',
    richText({ type: 'emoji', name: 'phone' }, { type: 'text', text: B, style: { bold: true } }),
    [call(B)],
  ],
  [
    'section block mrkdwn',
    {
      text: 'fallback',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `*Escalation* <${PLAYER}|listen>` } }],
    },
    [call(A, { url: PLAYER })],
  ],
  ['section fields', { blocks: [{ type: 'section', fields: [{ type: 'mrkdwn', text: `Segment: ${C}` }] }] }, [call(C)]],
  [
    'context block',
    { blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text: `<${PLAYER}#t=45|0:45>` }] }] },
    [call(A, { url: `${PLAYER}#t=45`, offsetSeconds: 45 })],
  ],
  [
    'button with a url',
    {
      blocks: [
        {
          type: 'actions',
          elements: [
            { type: 'button', action_id: 'x', text: { type: 'plain_text', text: 'Open' }, url: `${PLAYER}?t=3` },
          ],
        },
      ],
    },
    [call(A, { url: `${PLAYER}?t=3`, offsetSeconds: 3 })],
  ],
  ['attachment title_link', { attachments: [{ title: 'Call', title_link: PLAYER }] }, [call(A, { url: PLAYER })]],
  [
    'attachment text and fields',
    { attachments: [{ text: `see ${B}`, fields: [{ title: 'Other', value: C }] }] },
    [call(B), call(C)],
  ],
  [
    'unfurled attachment original_url',
    { attachments: [{ original_url: `${PLAYER}?t=61`, from_url: `${PLAYER}?t=61` }] },
    [call(A, { url: `${PLAYER}?t=61`, offsetSeconds: 61 })],
  ],
  ['client_msg_id is not a call', { client_msg_id: A, text: 'hi', ts: '1.2' }, []],
  [
    'block ids and user ids are not calls',
    { blocks: [{ type: 'section', block_id: B, text: { type: 'mrkdwn', text: 'hi' } }], user: C },
    [],
  ],
  ['a UUID glued to other hex is not one', text(`${A}abc`), []],
  ['malformed url', text('https://%zz%/segment/nothing and http://'), []],
  [
    'admin pattern with offset',
    text(`https://calls.acme.example/r/${C}@42`),
    [call(C, { url: `https://calls.acme.example/r/${C}@42`, offsetSeconds: 42 })],
  ],
  ['HTML entities around a link', text(`&lt;${PLAYER}&gt;`), [call(A, { url: PLAYER })]],
  [
    'agent in the link',
    text(`${PLAYER}?agent=${AGENT}`),
    [call(A, { url: `${PLAYER}?agent=${AGENT}`, agentId: AGENT })],
  ],
  ['not a message at all', null, []],
  ['a number', 42, []],
];

describe('findCallLinks', () => {
  for (const [name, message, expected] of TABLE) {
    it(name, () => {
      assert.deepEqual(findCallLinks(message, [CUSTOM]), expected);
    });
  }

  it('has a table of at least 40 messages', () => {
    assert.ok(TABLE.length >= 40, 'TABLE.length >= 40');
  });

  it('reads 40 kB of text quickly and finds the call at its end', () => {
    const message = text(`${'lorem ipsum 😀 '.repeat(2_800)} ${PLAYER}`);
    const started = process.hrtime.bigint();
    assert.deepEqual(findCallLinks(message), [call(A, { url: PLAYER })]);
    assert.ok(
      Number(process.hrtime.bigint() - started) / 1e6 < 1_000,
      'Number(process.hrtime.bigint() - started) / 1e6 < 1_000',
    );
  });

  it('survives deep nesting', () => {
    let deep: unknown = { text: A };
    for (let i = 0; i < 5_000; i += 1) deep = { elements: [deep] };
    assert.deepEqual(findCallLinks(deep), []);
  });

  it('never throws, whatever the payload', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        findCallLinks(value);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }),
        fc.webUrl({ withQueryParameters: true, withFragments: true }),
        (noise, url) => {
          const found = findCallLinks(text(`${noise} <${url}|${noise}> ${noise}`), [CUSTOM]);
          for (const c of found) assert.match(c.segmentId, /^[0-9a-f-]{36}$/);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('unescapeSlackText', () => {
  it('undoes Slack’s three entities in one step, so an escaped entity stays text', () => {
    assert.equal(unescapeSlackText('a=1&amp;t=83 &lt;x&gt;'), 'a=1&t=83 <x>');
    assert.equal(unescapeSlackText('&amp;lt; &amp;amp; &quot;'), '&lt; &amp; &quot;');
  });
});
