import { randomBytes } from 'node:crypto';

/** What a route answers: an HTTP status and a JSON body. */
export interface FakeAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** The host Flex names in the `url` fields of its bodies, whatever host the request came to. */
export const FLEX_PUBLIC_BASE = 'https://flex-api.twilio.com';

/** The CORS headers Twilio's API puts on every answer. */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
  'access-control-allow-headers':
    'Accept, Authorization, Content-Type, If-Match, If-Modified-Since, If-None-Match, If-Unmodified-Since, Idempotency-Key',
  'access-control-allow-credentials': 'true',
  'access-control-expose-headers': 'ETag',
};

/** Headers on every answer: CORS and a request SID, as Twilio sends them. */
export function twilioHeaders(): Record<string, string> {
  return { ...CORS_HEADERS, 'twilio-request-id': newSid('RQ') };
}

/** Twilio's classic error body. */
export function twilioError(status: number, code: number, message: string, detail?: string): FakeAnswer {
  return {
    status,
    body: {
      code,
      message,
      more_info: `https://www.twilio.com/docs/errors/${code}`,
      status,
      ...(detail === undefined ? {} : { detail }),
    },
  };
}

/** A Twilio SID: two letters and 32 lower-case hex digits. */
export function newSid(prefix: string): string {
  return `${prefix}${randomBytes(16).toString('hex')}`;
}

/**
 * A number as Flex writes its string-typed numbers, which look like Python's float repr ("0.0", "12.0",
 * "1e-07"), so a client that only copes with JavaScript's `String(n)` form is caught here.
 */
export function pythonFloat(value: number): string {
  if (Object.is(value, -0)) return '-0.0';
  const [mantissa = '', exponentText = '0'] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent >= -4 && exponent < 16) {
    const fixed = String(value);
    return fixed.includes('.') ? fixed : `${fixed}.0`;
  }
  return `${mantissa}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
}
