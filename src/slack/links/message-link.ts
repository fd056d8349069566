import { unwrapSlackLink } from '../../domain/calls/call-reference.js';

/** A Slack message someone linked to, with the root of its thread. */
export interface MessageLink {
  channelId: string;
  messageTs: string;
  /** The thread's root: the linked message itself unless it is a reply. */
  threadTs: string;
}

const PERMALINK = /^https:\/\/[^/]+\/archives\/([CDG][A-Z0-9]+)\/p(\d{10})(\d{6})(?:[?#].*)?$/;

/** Reads a message permalink (`https://acme.slack.com/archives/C0123/p1712345678123456?thread_ts=…`). */
export function parseMessageLink(text: string): MessageLink | undefined {
  const value = unwrapSlackLink(text.trim());
  const match = PERMALINK.exec(value);
  if (!match || !URL.canParse(value)) return undefined;
  const [, channelId, seconds, micros] = match;
  if (!channelId || !seconds || !micros) return undefined;
  const messageTs = `${seconds}.${micros}`;
  const threadTs = new URL(value).searchParams.get('thread_ts');
  return { channelId, messageTs, threadTs: threadTs && /^\d{10}\.\d{6}$/.test(threadTs) ? threadTs : messageTs };
}
