import { safeErrorMessage } from '../../logging/redaction.js';

/**
 * What happens after a message the app sends on its own (an announcement, an agent's DM) fails: tried again
 * after Slack's Retry-After or a backoff, or given up. The announcers and the feedback DMs share it, so a
 * rate-limited workspace is treated the same whatever the app was sending.
 */

/** Tries before a message is given up (the first one included). */
export const SLACK_SEND_MAX_ATTEMPTS = 8;
/** How long one instance holds a message it is sending: longer than a try can take (Slack's own timeouts). */
export const SLACK_SEND_CLAIM_LEASE_MS = 60_000;

const BACKOFF_BASE_MS = 2_000;
const BACKOFF_MAX_MS = 5 * 60_000;

export type NextSend =
  | { kind: 'give_up'; attempt: number; reason: string }
  | { kind: 'retry'; attempt: number; reason: string; delayMs: number; at: Date };

/**
 * After try number `previousAttempts + 1` failed with `error`: given up when it was the last, or when the
 * workspace uninstalled the app (waiting will not bring it back); else retried after Slack's Retry-After
 * when rate-limited, or 2 s, 4 s, 8 s… up to 5 minutes.
 */
export function nextSlackSend(error: unknown, previousAttempts: number, maxAttempts: number, now: Date): NextSend {
  const reason = slackErrorReason(error);
  const attempt = previousAttempts + 1;
  if (attempt >= maxAttempts || isNotInstalled(error)) return { kind: 'give_up', attempt, reason };
  const delayMs = rateLimitDelayMs(error) ?? Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
  return { kind: 'retry', attempt, reason, delayMs, at: new Date(now.getTime() + delayMs) };
}

/**
 * Slack's error code, or the error's message as a stored column may hold it (a Prisma error's reason, not
 * the call it quotes): never the message's content.
 */
export function slackErrorReason(error: unknown): string {
  if (error && typeof error === 'object' && 'data' in error) {
    const data = (error as { data?: { error?: unknown } }).data;
    if (typeof data?.error === 'string') return data.error;
  }
  return safeErrorMessage(error);
}

function isNotInstalled(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'workspace_not_installed';
}

/** Slack's Retry-After, from the WebClient's rate-limit error. */
function rateLimitDelayMs(error: unknown): number | undefined {
  if (error && typeof error === 'object' && 'retryAfter' in error && typeof error.retryAfter === 'number') {
    return error.retryAfter * 1000;
  }
  return undefined;
}
