import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMessageLink } from '../../src/slack/links/message-link.js';
import { parseQmCommandText } from '../../src/slack/listeners/commands/qm-command-text.js';

const SEGMENT = '0105be7a-9b87-51f1-8df8-aa74ddb9c4a7';

describe('parseQmCommandText', () => {
  it('recognises help', () => {
    for (const text of ['help', ' HELP ', '--help', '?']) assert.deepEqual(parseQmCommandText(text), { kind: 'help' });
  });

  it('recognises whoami and link, with the email Slack may wrap in a mailto link', () => {
    assert.deepEqual(parseQmCommandText(' WhoAmI '), { kind: 'whoami' });
    assert.deepEqual(parseQmCommandText('link'), { kind: 'link', email: undefined });
    assert.deepEqual(parseQmCommandText('link ana@example.com'), { kind: 'link', email: 'ana@example.com' });
    assert.deepEqual(parseQmCommandText('link <mailto:ana@example.com|ana@example.com>'), {
      kind: 'link',
      email: 'ana@example.com',
    });
  });

  it('recognises history, with the call as a segment id or a link Slack wrapped, a time left aside', () => {
    assert.deepEqual(parseQmCommandText(`History ${SEGMENT}`), {
      kind: 'history',
      call: { segmentId: SEGMENT },
      typed: SEGMENT,
    });
    const link = `https://analytics.ytica.com/player/segment/${SEGMENT}?t=42`;
    assert.equal(parseQmCommandText(`history <${link}> 1:23`).kind, 'history');
    assert.equal(
      (parseQmCommandText(`history <${link}> 1:23`) as { call?: { segmentId: string } }).call?.segmentId,
      SEGMENT,
    );
    assert.deepEqual(parseQmCommandText('history'), { kind: 'history', call: undefined, typed: undefined });
    assert.deepEqual(parseQmCommandText('history nope'), { kind: 'history', call: undefined, typed: 'nope' });
  });

  it('opens an empty form for no text', () => {
    assert.deepEqual(parseQmCommandText(''), { kind: 'comment', unrecognised: [] });
  });

  it('reads a segment and an offset', () => {
    assert.deepEqual(parseQmCommandText(`${SEGMENT} 1:23`), {
      kind: 'comment',
      call: { segmentId: SEGMENT },
      offsetSeconds: 83,
      unrecognised: [],
    });
  });

  it('reads a Slack message link anywhere, with its thread', () => {
    const link = 'https://acme.slack.com/archives/C0123ABC/p1712345678123456?thread_ts=1712345000.000100&cid=C0123ABC';
    const parsed = parseQmCommandText(`<${link}> ${SEGMENT}`);
    assert.deepEqual(parsed, {
      kind: 'comment',
      call: { segmentId: SEGMENT },
      messageLink: { channelId: 'C0123ABC', messageTs: '1712345678.123456', threadTs: '1712345000.000100' },
      unrecognised: [],
    });
  });

  it('keeps words it cannot read so the form can show them', () => {
    assert.deepEqual(parseQmCommandText('call 12'), { kind: 'comment', unrecognised: ['call', '12'] });
  });
});

describe('parseMessageLink', () => {
  it('uses the message itself as the thread root when it is not a reply', () => {
    assert.deepEqual(parseMessageLink('https://acme.slack.com/archives/C0123ABC/p1712345678123456'), {
      channelId: 'C0123ABC',
      messageTs: '1712345678.123456',
      threadTs: '1712345678.123456',
    });
  });

  it('ignores other links', () => {
    assert.equal(parseMessageLink('https://acme.slack.com/team/U123'), undefined);
    assert.equal(parseMessageLink(`https://analytics.ytica.com/segment/${SEGMENT}`), undefined);
  });
});
