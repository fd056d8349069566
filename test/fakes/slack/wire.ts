/** How Slack's Web API reads requests and writes answers, independent of what a method does. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A non-empty string argument. Form bodies carry everything as strings; JSON bodies may not. */
export function stringArg(args: Json, key: string): string | undefined {
  const value = args[key];
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

// The arguments WebClient JSON-encodes (because they are objects or arrays) and Slack decodes.
// Decoding every string would turn a text like "[1]" into an array, which Slack does not do.
const JSON_ARGS = new Set(['view', 'blocks', 'attachments', 'unfurls', 'metadata', 'user_auth_blocks', 'files']);

export type ParsedBody = { ok: true; args: Json; viaJson: boolean } | { ok: false; error: string };

/** Slack's generic body errors: `invalid_json`, `invalid_form_data`, `invalid_post_type`. */
export function parseBody(contentType: string | undefined, raw: string): ParsedBody {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  if (type === 'application/json') {
    try {
      const parsed: unknown = JSON.parse(raw);
      return isObject(parsed) ? { ok: true, args: parsed, viaJson: true } : { ok: false, error: 'invalid_json' };
    } catch {
      return { ok: false, error: 'invalid_json' };
    }
  }
  if (type === 'application/x-www-form-urlencoded' || (type === undefined && raw === '')) {
    const args: Json = {};
    for (const [key, value] of new URLSearchParams(raw)) {
      args[key] = JSON_ARGS.has(key) ? decodeJsonArg(value) : value;
    }
    return { ok: true, args, viaJson: false };
  }
  return { ok: false, error: type === undefined ? 'missing_post_type' : 'invalid_post_type' };
}

function decodeJsonArg(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    // Left as a string so the method reports it as malformed, as Slack does (`invalid_blocks_format`).
    return value;
  }
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

export const failure = (error: string, extra: Json = {}): Json => ({ ok: false, error, ...extra });

/** Slack's `[ERROR] … [json-pointer:…]` lines, which WebClient surfaces in `data.response_metadata.messages`. */
export function invalidArguments(problems: readonly string[]): Json {
  return failure('invalid_arguments', { response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) } });
}

/** Message methods report Block Kit problems as `invalid_blocks`, with the bare lines in `errors` too. */
export function invalidBlocks(problems: readonly string[]): Json {
  return failure('invalid_blocks', {
    errors: [...problems],
    response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) },
  });
}

const ID_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Random ids shaped like Slack's (`V0A1B2C3D4`), from Math.random: uniqueness, not secrecy, matters here. */
export function slackId(prefix: string, length = 10): string {
  let id = prefix;
  for (let i = 0; i < length; i += 1) id += ID_ALPHABET[Math.floor(Math.random() * ID_ALPHABET.length)];
  return id;
}
