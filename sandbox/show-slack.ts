/**
 * What `sandbox:send` prints of what the app showed people: the messages it posted or changed (where,
 * and who sees them), each whole, with the sandbox world's names for people and channels.
 */
import { isObject } from '../test/fakes/slack/wire.js';
import type { World } from '../test/helpers/world.js';
import { type Names, renderMessageBody } from './render-blocks.js';
import type { SlackMessage } from './sandbox-client.js';

/** The world's handles (`@rita`) and channel names (`#qa`); a DM's id names the person it is with. */
export function worldNames(world: World): Names {
  const user = (id: string) =>
    id === world.bot.userId ? 'Flex QM' : world.people.find((person) => person.userId === id)?.handle;
  return {
    user,
    channel: (id) =>
      world.channels.find((channel) => channel.id === id)?.name ??
      (id.startsWith('D') ? `DM with @${user(`U${id.slice(1)}`) ?? id}` : undefined),
  };
}

const keyOf = (message: SlackMessage) => `${message.channel} ${message.ts} ${message.ephemeralFor ?? ''}`;

/** Messages that are new in `after`, or changed since `before` (an edit, a replaced original). */
export function changedMessages(before: SlackMessage[], after: SlackMessage[]): SlackMessage[] {
  const seen = new Map(before.map((message) => [keyOf(message), JSON.stringify(message)]));
  return after.filter((message) => seen.get(keyOf(message)) !== JSON.stringify(message));
}

/** `#qa, only @rita sees it, in the thread of 1764150000.000200 (edited):` then the message, indented. */
export function describeMessage(message: SlackMessage, names: Names, edited: boolean, now = new Date()): string {
  const where = message.channel.startsWith('D')
    ? (names.channel(message.channel) ?? message.channel)
    : `#${names.channel(message.channel) ?? message.channel}`;
  const who =
    typeof message.ephemeralFor === 'string'
      ? `, only @${names.user(message.ephemeralFor) ?? message.ephemeralFor} sees it`
      : '';
  const thread = typeof message.threadTs === 'string' ? `, in the thread of ${message.threadTs}` : '';
  const body = renderMessageBody(message, names, now).map((line) => `    ${line}`);
  // Previews (chat.unfurl) hang under the message, one per link, each an attachment with blocks.
  const previews = isObject(message.unfurls) ? Object.entries(message.unfurls) : [];
  for (const [url, preview] of previews) {
    body.push(`    ┃ preview of ${url}:`);
    const lines = isObject(preview) ? renderMessageBody(preview, names, now) : [];
    body.push(...lines.map((line) => `    ┃   ${line}`));
  }
  return [`  ${where}${who}${thread}${edited ? ' (changed)' : ''}:`, ...body].join('\n');
}
