import { createHash } from 'node:crypto';

/**
 * A fixed 32-byte SECRETS_KEY for tests, different for each `n` and the same in every run. Drawn from a hash
 * so it looks random: the settings refuse keys of few distinct bytes, such as testSecretsKey(7).
 */
export const testSecretsKey = (n: number): Buffer => createHash('sha256').update(`flex-qm test key ${n}`).digest();
