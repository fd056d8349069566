import type { Config } from '../config/config.js';
import { createMetadataSeal, metadataSealKey } from '../security/metadata-seal.js';
import { ModalMetadataSeal } from '../slack/views/modal-metadata.js';

/** The seal on every view's private_metadata, keyed from the app's own secrets (see metadataSealKey). */
export function modalMetadataSealFor(
  config: Pick<Config, 'secretsKey' | 'security'> & { slack: Pick<Config['slack'], 'signingSecret' | 'appToken'> },
): ModalMetadataSeal {
  const key = metadataSealKey({
    secretsKey: config.secretsKey,
    signingSecret: config.slack.signingSecret,
    appToken: config.slack.appToken,
  });
  return new ModalMetadataSeal(createMetadataSeal(key), config.security.responseUrlOrigins);
}
