import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { testSecretsKey } from '../helpers/secrets-keys.js';

const BASE = {
  SLACK_SIGNING_SECRET: 'signing',
  TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
  TWILIO_AUTH_TOKEN: 'auth',
};
const OAUTH = {
  SLACK_CLIENT_ID: '1234.5678',
  SLACK_CLIENT_SECRET: 'client-secret',
  SLACK_STATE_SECRET: 's'.repeat(32),
  SECRETS_KEY: testSecretsKey(1).toString('base64'),
};

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('settings for installing by OAuth', () => {
  it('needs no SLACK_BOT_TOKEN when the client id, client secret and state secret are set', () => {
    const config = loadConfig({ ...BASE, ...OAUTH, SLACK_REDIRECT_URI: 'https://qm.example.com/slack/oauth_redirect' });
    assert.equal(config.slack.botToken, undefined);
    assert.deepEqual(config.slack.oauth, {
      clientId: '1234.5678',
      clientSecret: 'client-secret',
      stateSecret: 's'.repeat(32),
      redirectUri: 'https://qm.example.com/slack/oauth_redirect',
    });
  });

  it('still needs SLACK_BOT_TOKEN without them, and says how to install by OAuth instead', () => {
    const [problem] = problems(BASE);
    assert.match(
      problem ?? '',
      /^SLACK_BOT_TOKEN is required: .* SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET/,
    );
  });

  it('names each missing OAuth setting, SECRETS_KEY (tokens are stored sealed), and settings of one workspace only', () => {
    const found = problems({
      ...BASE,
      SLACK_CLIENT_ID: '1234.5678',
      NOTIFY_CHANNEL: 'C0123ABCD',
      REVIEWER_USERGROUP: 'S0123ABCD',
      SLACK_REDIRECT_URI: 'https://qm.example.com/oauth',
    });
    for (const expected of [
      /^SLACK_CLIENT_SECRET is required to install by OAuth/,
      /^SLACK_STATE_SECRET is required to install by OAuth/,
      /^SECRETS_KEY is required to install by OAuth: .*sealed/,
      /^NOTIFY_CHANNEL names a channel of one workspace/,
      /^REVIEWER_USERGROUP names a user group of one workspace/,
      /^SLACK_REDIRECT_URI must be .*\/slack\/oauth_redirect/,
    ]) {
      assert.ok(
        found.some((p) => expected.test(p)),
        `${expected} in:\n${found.join('\n')}`,
      );
    }
    assert.ok(
      !found.some((p) => p.startsWith('SLACK_BOT_TOKEN')),
      "!found.some((p) => p.startsWith('SLACK_BOT_TOKEN'))",
    );
  });
});
