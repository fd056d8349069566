import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * Seals text the app hands to Slack and gets back unchecked (a view's private_metadata): an HMAC-SHA256
 * tag, keyed with a key only the app holds, travels with the text, and text whose tag does not match is
 * not opened. Sealed, not encrypted: the reviewer's own Slack client may see the text, but nobody can
 * change it, or write their own, without the key.
 */
export interface MetadataSeal {
  /** The text with its tag: `m1.<tag>.<text>` (47 characters more than the text). */
  seal(text: string): string;
  /** The text, or undefined when the tag is missing or does not match (altered, or sealed under another key). */
  open(sealed: string): string | undefined;
}

const VERSION = 'm1';
/** What sealing adds to the text: the version, two dots and 43 characters of base64url tag. */
export const SEAL_OVERHEAD = VERSION.length + 2 + 43;
const CONTEXT = 'flex-qm/private_metadata/v1\n';

export function createMetadataSeal(key: Buffer): MetadataSeal {
  if (key.length < 32) throw new Error('The private_metadata key must be at least 32 bytes.');
  const tagOf = (text: string) => createHmac('sha256', key).update(CONTEXT).update(text, 'utf8').digest();
  return {
    seal(text) {
      return `${VERSION}.${tagOf(text).toString('base64url')}.${text}`;
    },
    open(sealed) {
      const first = sealed.indexOf('.');
      const second = sealed.indexOf('.', first + 1);
      if (first < 0 || second < 0 || sealed.slice(0, first) !== VERSION) return undefined;
      const given = Buffer.from(sealed.slice(first + 1, second), 'base64url');
      const text = sealed.slice(second + 1);
      const expected = tagOf(text);
      return given.length === expected.length && timingSafeEqual(given, expected) ? text : undefined;
    },
  };
}

/**
 * The key that seals private_metadata, derived (HKDF-SHA256, its own label) from a secret the app already
 * has, so there is no new setting to lose and every instance derives the same key:
 * - SECRETS_KEY when it is set: the app's own secret, which Slack never sees;
 * - else the signing secret (HTTP mode always has one; only the app and Slack know it);
 * - else the app-level token (Socket Mode, where a signing secret is not needed; OAuth installs, which
 *   require SECRETS_KEY, never get here).
 * Changing the secret it comes from makes the forms open at that moment unreadable: their submission is
 * refused with a message to start again, and nothing is stored from them.
 */
export function metadataSealKey(secrets: {
  secretsKey: Buffer | undefined;
  signingSecret: string | undefined;
  appToken: string | undefined;
}): Buffer {
  const source = secrets.secretsKey ?? secrets.signingSecret ?? secrets.appToken;
  if (source === undefined || source.length === 0) {
    throw new Error('No secret to derive the private_metadata key from: set SECRETS_KEY or SLACK_SIGNING_SECRET.');
  }
  return Buffer.from(hkdfSync('sha256', source, Buffer.alloc(0), 'flex-qm private_metadata seal', 32));
}
