import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { ConfigError, loadDatabaseSettings } from '../../src/config/config.js';

const problemsOf = (key: string): string[] => {
  try {
    loadDatabaseSettings({ SECRETS_KEY: key });
    return [];
  } catch (error) {
    assert.ok(error instanceof ConfigError, 'error instanceof ConfigError');
    return error.problems;
  }
};

describe('SECRETS_KEY', () => {
  it('takes 32 random bytes as hex, base64, base64 without padding and base64url', () => {
    const key = randomBytes(32);
    for (const text of [
      key.toString('hex'),
      key.toString('base64'),
      key.toString('base64').replace(/=+$/, ''),
      key.toString('base64url'),
      ` ${key.toString('base64')}\n`,
    ]) {
      assert.deepEqual(loadDatabaseSettings({ SECRETS_KEY: text }).secretsKey, key, text);
    }
  });

  it('refuses a key of zeros, however it is written', () => {
    for (const text of [Buffer.alloc(32).toString('base64'), '0'.repeat(64), 'A'.repeat(43)]) {
      assert.deepEqual(problemsOf(text), [
        `SECRETS_KEY is all zeros, which protects nothing; make one with \`openssl rand -base64 32\``,
      ]);
    }
  });

  it('refuses a key that repeats a pattern: one byte, a short sequence, hex typed by hand', () => {
    for (const text of [
      Buffer.alloc(32, 7).toString('base64'),
      'f'.repeat(64),
      '0123456789abcdef'.repeat(4),
      Buffer.from('abcdefgh'.repeat(4)).toString('base64'),
    ]) {
      assert.match(
        problemsOf(text)[0] ?? '',
        /^SECRETS_KEY repeats a pattern \(\d+ distinct bytes of 32\), so it was typed, not drawn at random; make one with `openssl rand -base64 32`$/,
        text,
      );
    }
  });

  it('takes every one of 2,000 random keys (the pattern rule never refuses a real one)', () => {
    for (let i = 0; i < 2000; i++) assert.deepEqual(problemsOf(randomBytes(32).toString('base64')), []);
  });

  it('refuses text that only base64-decodes by leniency (Buffer.from skips what is not base64)', () => {
    const lenient = 'my-secret-key-is-this-one-please-keep-it-so!';
    assert.equal(Buffer.from(lenient, 'base64').length, 32, 'Buffer.from would have made 32 bytes of it');
    for (const text of [
      lenient,
      `${randomBytes(32).toString('base64').slice(0, 40)} !!!!`,
      'correct horse battery staple',
    ]) {
      assert.match(
        problemsOf(text)[0] ?? '',
        /^SECRETS_KEY must be 32 random bytes written as 64 hex digits or as base64/,
      );
    }
  });

  it('refuses a key of the wrong length, saying how long it is', () => {
    assert.deepEqual(problemsOf(randomBytes(16).toString('base64')), [
      'SECRETS_KEY must be 32 random bytes, but it decodes to 16; make one with `openssl rand -base64 32`',
    ]);
  });
});
