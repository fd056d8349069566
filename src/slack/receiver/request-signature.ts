import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Slack's request signing, as Slack documents it ("Verifying requests from Slack"): the header
 * `X-Slack-Signature` is `v0=` and the hex HMAC-SHA256, keyed with the app's signing secret, of
 * `v0:<X-Slack-Request-Timestamp>:<raw body>`; a request whose timestamp is more than five minutes from
 * the local clock is refused, so a captured request cannot be replayed later.
 *
 * Stricter than Bolt's own check (`verify-request.ts`), which reads the timestamp with `Number()`: there
 * `Infinity`, `1e9` or ` 17…` pass, and a timestamp from the future is never refused. Here the timestamp
 * must be whole seconds in decimal digits, within five minutes either way.
 */
export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;
const TIMESTAMP = /^[0-9]{1,12}$/;
const SIGNATURE = /^v0=([0-9a-f]{64})$/;

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export function checkSlackSignature(input: {
  signingSecret: string;
  timestamp: string | string[] | undefined;
  signature: string | string[] | undefined;
  rawBody: Buffer;
  nowMs?: number;
}): SignatureCheck {
  const { timestamp, signature } = input;
  if (typeof timestamp !== 'string' || timestamp === '') {
    return { ok: false, reason: 'the x-slack-request-timestamp header is missing' };
  }
  if (!TIMESTAMP.test(timestamp)) {
    return { ok: false, reason: 'its timestamp is not a whole number of seconds' };
  }
  const skew = Number(timestamp) - Math.floor((input.nowMs ?? Date.now()) / 1000);
  if (skew < -MAX_CLOCK_SKEW_SECONDS) return { ok: false, reason: 'its timestamp is more than five minutes old' };
  if (skew > MAX_CLOCK_SKEW_SECONDS) return { ok: false, reason: 'its timestamp is more than five minutes ahead' };
  if (typeof signature !== 'string' || signature === '') {
    return { ok: false, reason: 'the x-slack-signature header is missing' };
  }
  const given = SIGNATURE.exec(signature)?.[1];
  if (!given) return { ok: false, reason: 'its signature is not of the form v0=<64 hex digits>' };
  const expected = createHmac('sha256', input.signingSecret).update(`v0:${timestamp}:`).update(input.rawBody).digest();
  if (!timingSafeEqual(Buffer.from(given, 'hex'), expected)) return { ok: false, reason: 'signature mismatch' };
  return { ok: true };
}

/**
 * Slack's SSL check: Slack occasionally sends a slash command's URL a request with `ssl_check=1` to check
 * the certificate, and asks only for an HTTP 200 ("Slash commands → SSL" in Slack's docs; Bolt's
 * HTTPModuleFunctions.parseAndVerifyHTTPRequest exempts it from signing for the same reason). It carries
 * no signature, so nothing else in it is read.
 */
export function isSslCheck(contentType: string | undefined, rawBody: Buffer): boolean {
  if (contentType !== 'application/x-www-form-urlencoded' || rawBody.length > 4096) return false;
  return new URLSearchParams(rawBody.toString('utf8')).get('ssl_check') === '1';
}
