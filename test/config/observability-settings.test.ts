import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/config.js';

const BASE = {
  SLACK_BOT_TOKEN: 'xoxb-test',
  SLACK_SIGNING_SECRET: 'signing-secret',
  TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000000',
  TWILIO_AUTH_TOKEN: 'auth-token',
};

describe('LOG_FORMAT and METRICS_TOKEN', () => {
  it('reads them, with /metrics open and the format chosen by the terminal when unset', () => {
    const config = loadConfig({
      ...BASE,
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'warn',
      METRICS_TOKEN: ' 0123456789abcdef0123 ',
    });
    assert.deepEqual(config.logging, { level: 'warn', format: 'json' });
    assert.equal(config.metrics.token, '0123456789abcdef0123');
    const defaults = loadConfig({ ...BASE, METRICS_TOKEN: '' });
    assert.equal(defaults.metrics.token, undefined);
    assert.equal(defaults.logging.format, process.stdout.isTTY ? 'pretty' : 'json');
  });

  it('refuses a LOG_FORMAT it does not know and a METRICS_TOKEN too short to be a secret', () => {
    assert.throws(
      () => loadConfig({ ...BASE, LOG_FORMAT: 'xml', METRICS_TOKEN: 'short' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.problems.some((p) => /^LOG_FORMAT must be one of json, pretty/.test(p)) &&
        error.problems.some((p) => /^METRICS_TOKEN must be at least 16 characters/.test(p)),
    );
  });
});
