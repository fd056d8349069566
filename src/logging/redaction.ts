/**
 * What never reaches a log line, at any level: people's words and details (comment text, emails, names),
 * credentials (tokens, secrets, Flex Authorization values) and response_urls (anyone holding one can
 * post into the conversation for 30 minutes). Our own call sites log ids, not these; the paths below are
 * the net under them, applied by pino to every line's fields, one level deep included.
 */
const SENSITIVE_KEYS = [
  'comment',
  'text',
  'email',
  'userEmail',
  'user_email',
  'realName',
  'real_name',
  'displayName',
  'display_name',
  'userName',
  'user_name',
  'agentName',
  'customerName',
  'flexUserName',
  'token',
  'botToken',
  'userToken',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'appToken',
  'password',
  'secret',
  'clientSecret',
  'client_secret',
  'signingSecret',
  'stateSecret',
  'secretsKey',
  'authorization',
  'Authorization',
  'flexAuthorization',
  'responseUrl',
  'response_url',
  'responseBody',
  'headers',
  'body',
];

export const REDACT_PATHS = [...SENSITIVE_KEYS, ...SENSITIVE_KEYS.map((key) => `*.${key}`)];

export const REDACTED = '[redacted]';

/**
 * An error as a log line may show it: its kind, message, codes and stack. Never its other properties:
 * Slack's errors carry the whole response (`data`, `body`), HTTP clients' the request with its headers
 * (`original`, `config`), the Flex client's the response body.
 */
export function safeError(value: unknown, depth = 0): Record<string, unknown> | unknown {
  if (!(value instanceof Error)) return value;
  const fields = value as Error & Partial<Record<string, unknown>>;
  const out: Record<string, unknown> = { type: value.name, message: safeErrorMessage(value) };
  for (const key of ['code', 'status', 'statusCode', 'twilioCode', 'operation', 'failure', 'retryAfter'] as const) {
    const field = fields[key];
    if (typeof field === 'string' || typeof field === 'number') out[key] = field;
  }
  // Slack's platform errors: the error code is worth having, the rest of the response is not.
  const data = fields.data;
  if (data && typeof data === 'object' && 'error' in data && typeof data.error === 'string')
    out.slackError = data.error;
  // The frames only: the stack's first lines repeat the message.
  if (value.stack)
    out.stack = value.stack
      .split('\n')
      .filter((line) => line.startsWith('    at '))
      .join('\n');
  if (depth < 2 && value.cause !== undefined) out.cause = safeError(value.cause, depth + 1);
  return out;
}

/**
 * An error's message as a log line, a stored column (lastError, lastResult) or a reader in Slack may see it.
 * Prisma's messages quote the whole call, arguments (comment text, emails) included: only their last line,
 * which says what was wrong, is kept. Any other error's message is its own.
 */
export function safeErrorMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (!error.name.startsWith('PrismaClient')) return error.message;
  return error.message.trim().split('\n').at(-1)?.trim() || error.name;
}
