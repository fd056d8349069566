import type { webApi } from '@slack/bolt';
import { withTimeout } from '../../support/with-timeout.js';

const EMAIL_LOOKUP_TIMEOUT_MS = 1_500;

/** The user's Slack profile email (scope users:read.email), or undefined when Slack will not say in time. */
export async function slackEmailOf(client: webApi.WebClient, userId: string): Promise<string | undefined> {
  try {
    const response = await withTimeout(client.users.info({ user: userId }), EMAIL_LOOKUP_TIMEOUT_MS, 'users.info');
    return response.user?.profile?.email ?? undefined;
  } catch {
    return undefined;
  }
}
