import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeForm } from '../../src/flex/form-encoding.js';

describe('form encoding (qs, RFC 3986)', () => {
  it('keeps the order of the fields and writes numbers as String(n)', () => {
    assert.equal(
      encodeForm([
        ['B', 'x'],
        ['A', 6.985619],
        ['C', 1e-7],
        ['D', -0.03],
        ['E', 1e21],
        ['F', 12.0],
      ]),
      'B=x&A=6.985619&C=1e-7&D=-0.03&E=1e%2B21&F=12',
    );
  });

  it('leaves only letters, digits and - _ . ~ as they are', () => {
    assert.equal(
      encodeForm([['k', "a b+c*d'e!f(g)h~i-j_k.l&m=n/o?p#q%r"]]),
      'k=a%20b%2Bc%2Ad%27e%21f%28g%29h~i-j_k.l%26m%3Dn%2Fo%3Fp%23q%25r',
    );
  });

  it('writes UTF-8, and U+FFFD for a lone surrogate', () => {
    assert.equal(encodeForm([['k', 'é😀\n']]), 'k=%C3%A9%F0%9F%98%80%0A');
    assert.equal(encodeForm([['k', 'a\uD800b\uDC00']]), 'k=a%EF%BF%BDb%EF%BF%BD');
  });

  it('writes an empty value as an empty value', () => {
    assert.equal(encodeForm([['Comment', '']]), 'Comment=');
  });
});
