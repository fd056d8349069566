import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { createMetadataSeal, metadataSealKey } from '../../src/security/metadata-seal.js';
import { testSecretsKey } from '../helpers/secrets-keys.js';

const BASE = {
  SLACK_BOT_TOKEN: 'xoxb-test',
  SLACK_SIGNING_SECRET: 'signing',
  TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
  TWILIO_AUTH_TOKEN: 'auth',
};

describe('security settings', () => {
  it('takes response_urls on Slack’s and GovSlack’s hooks hosts unless told otherwise', () => {
    assert.deepEqual(loadConfig(BASE).security.responseUrlOrigins, [
      'https://hooks.slack.com',
      'https://hooks.slack-gov.com',
    ]);
    const local = loadConfig({
      ...BASE,
      SLACK_RESPONSE_URL_ORIGINS: 'http://127.0.0.1:4010, https://hooks.slack.com/',
    });
    assert.deepEqual(local.security.responseUrlOrigins, ['http://127.0.0.1:4010', 'https://hooks.slack.com']);
  });

  it('refuses an origin with a path, or one that is not http(s), naming the setting', () => {
    for (const value of ['https://hooks.slack.com/commands', 'ftp://hooks.slack.com', 'hooks.slack.com']) {
      assert.throws(
        () => loadConfig({ ...BASE, SLACK_RESPONSE_URL_ORIGINS: value }),
        (error: unknown) =>
          error instanceof ConfigError &&
          error.problems.some((p) => p.startsWith('SLACK_RESPONSE_URL_ORIGINS must be')),
        value,
      );
    }
  });

  it('keys the private_metadata seal from SECRETS_KEY, else the signing secret, else the app token', () => {
    const secretsKey = testSecretsKey(9);
    const fromKey = metadataSealKey({ secretsKey, signingSecret: 's', appToken: undefined });
    assert.deepEqual(fromKey, metadataSealKey({ secretsKey, signingSecret: 'other', appToken: 'xapp-1' }));
    const fromSigning = metadataSealKey({ secretsKey: undefined, signingSecret: 's', appToken: 'xapp-1' });
    const fromAppToken = metadataSealKey({ secretsKey: undefined, signingSecret: undefined, appToken: 'xapp-1' });
    assert.notDeepEqual(fromKey, fromSigning);
    assert.notDeepEqual(fromSigning, fromAppToken);
    // Sealed under one key, unreadable under another.
    const sealed = createMetadataSeal(fromSigning).seal('{"v":1}');
    assert.equal(createMetadataSeal(fromSigning).open(sealed), '{"v":1}');
    assert.equal(createMetadataSeal(fromAppToken).open(sealed), undefined);
  });
});
