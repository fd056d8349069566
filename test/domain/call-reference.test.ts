import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCallReference } from '../../src/domain/calls/call-reference.js';

const SEGMENT = '0105be7a-9b87-51f1-8df8-aa74ddb9c4a7';

describe('parseCallReference', () => {
  it('takes a bare segment id, lower-cased', () => {
    assert.deepEqual(parseCallReference(SEGMENT.toUpperCase()), { segmentId: SEGMENT });
  });

  it('finds the segment in a link path and the offset in its query or fragment', () => {
    const url = `https://analytics.ytica.com/player/segment/${SEGMENT}?t=83`;
    assert.deepEqual(parseCallReference(url), { segmentId: SEGMENT, offsetSeconds: 83, url });
    const hashed = `https://flex.twilio.com/quality-management/segment/${SEGMENT}#t=1m23s`;
    assert.deepEqual(parseCallReference(hashed), { segmentId: SEGMENT, offsetSeconds: 83, url: hashed });
  });

  it('finds the segment in a query parameter', () => {
    const url = `https://insights.example.com/view?segmentId=${SEGMENT}&offset=1:02`;
    assert.deepEqual(parseCallReference(url), { segmentId: SEGMENT, offsetSeconds: 62, url });
  });

  it('unwraps Slack’s <url|label> form', () => {
    const url = `https://analytics.ytica.com/segment/${SEGMENT}`;
    assert.deepEqual(parseCallReference(`<${url}|the call>`), { segmentId: SEGMENT, url });
  });

  it('says nothing for text that holds no call', () => {
    for (const text of ['', 'hello', 'https://example.com/nothing', 'not-a-uuid-0105be7a', 'https://%%%']) {
      assert.equal(parseCallReference(text), undefined, text);
    }
  });
});
