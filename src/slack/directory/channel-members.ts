import type { webApi } from '@slack/bolt';

/** Enough pages for a channel of 20,000 people; past that the answer is "could not tell". */
const MAX_PAGES = 20;

export type Membership = { member: true } | { member: false; reason: 'not_member' | 'unknown' };

/**
 * Whether a person is in a conversation, as Slack says: conversations.members, a page of up to 1000 ids at
 * a time (Tier 4; channels:read for public channels, groups:read for private ones the bot is in:
 * https://docs.slack.dev/reference/methods/conversations.members). A conversation the app cannot read
 * (a private channel without the bot, someone else's DM, a missing scope) answers "unknown", never "yes".
 */
export async function channelMembership(
  client: webApi.WebClient,
  channelId: string,
  userId: string,
): Promise<Membership> {
  let cursor: string | undefined;
  try {
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const answer = await client.conversations.members({
        channel: channelId,
        limit: 1000,
        ...(cursor ? { cursor } : {}),
      });
      if (answer.members?.includes(userId)) return { member: true };
      cursor = answer.response_metadata?.next_cursor || undefined;
      if (!cursor) return { member: false, reason: 'not_member' };
    }
    return { member: false, reason: 'unknown' };
  } catch {
    return { member: false, reason: 'unknown' };
  }
}
