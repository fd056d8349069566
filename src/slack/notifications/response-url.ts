import { request } from 'undici';
import type { OutgoingMessage } from './outcome-messages.js';

/** Slack accepts posts to a command's response_url for 30 minutes. */
export const RESPONSE_URL_LIFETIME_MS = 30 * 60_000;

/**
 * Whether a response_url points where Slack's do (SLACK_RESPONSE_URL_ORIGINS: hooks.slack.com and GovSlack's
 * hooks.slack-gov.com). The app POSTs to no other: a response_url it did not take straight from a signed
 * request could otherwise make it send requests anywhere (server-side request forgery).
 */
export function responseUrlAllowed(url: string, origins: readonly string[]): boolean {
  if (url.length > 2000 || !URL.canParse(url)) return false;
  const parsed = new URL(url);
  return parsed.username === '' && parsed.password === '' && origins.includes(parsed.origin);
}

/** Posts a message only the command's user sees, where they ran it; false when Slack refuses it. */
export async function postEphemeralToResponseUrl(
  responseUrl: string,
  message: OutgoingMessage,
  timeoutMs = 5_000,
): Promise<boolean> {
  const response = await request(responseUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, ...message }),
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  await response.body.text();
  return response.statusCode >= 200 && response.statusCode < 300;
}
