import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRetryAfter } from '../../src/flex/retry-after.js';

const NOW = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');

describe('Retry-After', () => {
  it('reads delta-seconds', () => {
    assert.equal(parseRetryAfter('7', NOW), 7_000);
    assert.equal(parseRetryAfter(' 0 ', NOW), 0);
    assert.equal(parseRetryAfter(['3', '9'], NOW), 3_000);
  });

  it('reads the three HTTP-date forms, and a date already past as no wait', () => {
    assert.equal(parseRetryAfter('Wed, 21 Oct 2015 07:28:05 GMT', NOW), 5_000);
    assert.equal(parseRetryAfter('Wednesday, 21-Oct-15 07:28:05 GMT', NOW), 5_000);
    assert.equal(parseRetryAfter('Wed Oct 21 07:28:05 2015', NOW), 5_000);
    assert.equal(parseRetryAfter('Wed, 21 Oct 2015 07:27:00 GMT', NOW), 0);
  });

  it('ignores what is neither, rather than guessing', () => {
    for (const value of [undefined, '', '7.5', '-1', 'soon', '2015-10-21T07:28:05Z']) {
      assert.equal(parseRetryAfter(value, NOW), undefined, String(value));
    }
  });
});
