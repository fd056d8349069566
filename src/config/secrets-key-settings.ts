import { z } from 'zod';

const HOW_TO_MAKE = 'make one with `openssl rand -base64 32`';
const MIN_DISTINCT_BYTES = 16;

/**
 * SECRETS_KEY: the 32-byte AES-256-GCM key that seals stored Flex authorizations and Slack tokens.
 * Written as 64 hex digits or as base64 (standard or URL-safe, padding optional). Buffer.from(…, 'base64')
 * skips characters that are not base64 and so "decodes" almost any text; a key is taken only when its
 * text is exactly the encoding of its bytes. A key of zeros is refused: it is what an empty or unset
 * variable turns into in some templates, and it protects nothing. So is a key of few distinct bytes (one
 * byte repeated, a short pattern, 64 hex digits typed by hand): 32 random bytes hold about 30 distinct
 * values, and fewer than 16 happens by chance with a probability far below 1e-12.
 */
export function parseSecretsKey(value: string): { key: Buffer } | { problem: string } {
  const text = value.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : strictBase64(text);
  if (!bytes) {
    return {
      problem: `must be 32 random bytes written as 64 hex digits or as base64 (44 characters ending in =); ${HOW_TO_MAKE}`,
    };
  }
  if (bytes.length !== 32) {
    return { problem: `must be 32 random bytes, but it decodes to ${bytes.length}; ${HOW_TO_MAKE}` };
  }
  if (bytes.every((byte) => byte === 0)) {
    return { problem: `is all zeros, which protects nothing; ${HOW_TO_MAKE}` };
  }
  const distinct = new Set(bytes).size;
  if (distinct < MIN_DISTINCT_BYTES) {
    return {
      problem: `repeats a pattern (${distinct} distinct bytes of 32), so it was typed, not drawn at random; ${HOW_TO_MAKE}`,
    };
  }
  return { key: bytes };
}

/** The bytes of strictly written base64 (or base64url), or undefined when the text is anything else. */
function strictBase64(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return undefined;
  const urlSafe = /[-_]/.test(text);
  if (urlSafe && /[+/]/.test(text)) return undefined;
  const bytes = Buffer.from(text, urlSafe ? 'base64url' : 'base64');
  const unpadded = (s: string) => s.replace(/=+$/, '');
  const again = bytes.toString(urlSafe ? 'base64url' : 'base64');
  return unpadded(again) === unpadded(text) ? bytes : undefined;
}

/** SECRETS_KEY as the settings schema reads it. */
export const secretsKeySchema = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const parsed = parseSecretsKey(value);
    if ('problem' in parsed) {
      ctx.addIssue({ code: 'custom', message: parsed.problem });
      return z.NEVER;
    }
    return parsed.key;
  });
