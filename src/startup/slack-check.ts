import { request } from 'undici';
import { z } from 'zod';
import { SLACK_TOKEN_REFUSALS, SLACK_TRANSIENT_ERRORS } from '../health/slack-call-status.js';
import type { CheckOutcome } from './startup-refusal.js';

/** Who the bot token belongs to, from auth.test (https://api.slack.com/methods/auth.test). */
export interface SlackIdentity {
  teamId: string | undefined;
  botUserId: string | undefined;
  botId: string | undefined;
}

// auth.test's documented answer: ok, url, team, user, team_id, user_id, and bot_id for a bot token;
// an error answer is { ok: false, error }. Fields not listed are ignored.
const authTestAnswer = z.object({
  ok: z.boolean(),
  error: z.string().optional(),
  team_id: z.string().optional(),
  user_id: z.string().optional(),
  bot_id: z.string().optional(),
});

/** What to do about each way Slack refuses a bot token, after "Slack refused SLACK_BOT_TOKEN (…)". */
function slackFix(error: string): string {
  switch (error) {
    case 'token_revoked':
    case 'account_inactive':
    case 'team_access_not_granted':
      return 'The app was removed from the workspace or its token was revoked: reinstall it (api.slack.com/apps → your app → OAuth & Permissions → Install to Workspace), copy the new Bot User OAuth Token (xoxb-…) into SLACK_BOT_TOKEN, and start the app again.';
    case 'token_expired':
      return 'The token has expired because token rotation is on for the app; this app needs a non-expiring bot token: turn token rotation off (api.slack.com/apps → your app → OAuth & Permissions), reinstall, copy the Bot User OAuth Token (xoxb-…) into SLACK_BOT_TOKEN, and start the app again.';
    default:
      return 'Copy the Bot User OAuth Token (xoxb-…) of this app from api.slack.com/apps → your app → OAuth & Permissions into SLACK_BOT_TOKEN (check for stray spaces or a token of another app), and start the app again.';
  }
}

/** One try of auth.test with the configured bot token. */
export async function checkSlackToken(
  apiUrl: string,
  token: string,
  timeoutMs: number,
): Promise<CheckOutcome<SlackIdentity>> {
  const url = `${apiUrl}auth.test`;
  let status: number;
  let text: string;
  try {
    const response = await request(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: '',
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = response.statusCode;
    text = await response.body.text();
  } catch (error) {
    const code = error && typeof error === 'object' && 'code' in error ? String(error.code) : undefined;
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    return {
      kind: 'unreachable',
      detail: timedOut ? `no answer within ${timeoutMs} ms` : `could not connect${code ? ` (${code})` : ''}`,
    };
  }
  if (status === 429 || status >= 500) return { kind: 'unreachable', detail: `HTTP ${status}` };
  let answer: z.infer<typeof authTestAnswer>;
  try {
    answer = authTestAnswer.parse(JSON.parse(text));
  } catch {
    return {
      kind: 'warning',
      detail: `HTTP ${status}, not a Web API answer`,
      message: `Slack's auth.test at ${url} answered HTTP ${status} with something that is not a Slack Web API answer; check SLACK_API_URL (leave it unset for Slack itself). Starting anyway.`,
    };
  }
  if (answer.ok) {
    return { kind: 'ok', found: { teamId: answer.team_id, botUserId: answer.user_id, botId: answer.bot_id } };
  }
  const error = answer.error ?? 'unknown_error';
  if (SLACK_TRANSIENT_ERRORS.has(error)) return { kind: 'unreachable', detail: error };
  if (SLACK_TOKEN_REFUSALS.has(error)) {
    return {
      kind: 'refused',
      detail: error,
      paragraph: `Slack refused SLACK_BOT_TOKEN: auth.test answered "${error}". ${slackFix(error)}`,
    };
  }
  return {
    kind: 'warning',
    detail: error,
    message: `Slack's auth.test answered "${error}" for SLACK_BOT_TOKEN; starting anyway, but Slack may refuse the app's calls.`,
  };
}
