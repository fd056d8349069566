import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatOffset, parseOffset } from '../../src/domain/calls/offset.js';

describe('parseOffset', () => {
  const accepted: Array<[string, number]> = [
    ['', 0],
    ['   ', 0],
    ['6.98', 6.98],
    ['6.985619', 6.985619],
    ['83', 83],
    ['0', 0],
    ['1:23', 83],
    ['01:23', 83],
    ['1:02:03', 3723],
    ['0:05.5', 5.5],
    ['1m23s', 83],
    ['2h3m', 7380],
    ['45s', 45],
    [' 1:23 ', 83],
  ];
  for (const [text, seconds] of accepted) {
    it(`reads ${JSON.stringify(text)} as ${seconds} s`, () => {
      assert.deepEqual(parseOffset(text), { ok: true, seconds });
    });
  }

  const refused = ['abc', '-3', '1:60', '1:75:00', '1::2', '1.2.3', '6,98', '1:2:3:4', 'm', '25:00:00', '1e3'];
  for (const text of refused) {
    it(`refuses ${JSON.stringify(text)} with a sentence that says what to type`, () => {
      const result = parseOffset(text);
      assert.equal(result.ok, false);
      if (!result.ok) assert.match(result.problem, /seconds|hours/);
    });
  }
});

describe('formatOffset', () => {
  it('writes m:ss, h:mm:ss and keeps fractions', () => {
    assert.equal(formatOffset(0), '0:00');
    assert.equal(formatOffset(83), '1:23');
    assert.equal(formatOffset(3723), '1:02:03');
    assert.equal(formatOffset(6.985619), '0:06.986');
    assert.equal(formatOffset(5.5), '0:05.5');
  });
});
