import { type CallReference, parseCallReference, unwrapSlackLink } from '../../../domain/calls/call-reference.js';
import { parseOffset } from '../../../domain/calls/offset.js';
import { unescapeSlackText } from '../../../domain/calls/slack-escaping.js';
import { type MessageLink, parseMessageLink } from '../../links/message-link.js';

export type QmCommand =
  | { kind: 'help' }
  | { kind: 'whoami' }
  /** `/qm link [email]`: ask an admin to link me to the Flex identity with that email. */
  | { kind: 'link'; email: string | undefined }
  /** `/qm history <call>`: what Flex and the app already hold on that call; `typed` is the word when it is not a call. */
  | { kind: 'history'; call: CallReference | undefined; typed: string | undefined }
  | {
      kind: 'comment';
      call?: CallReference;
      offsetSeconds?: number;
      messageLink?: MessageLink;
      /** Words that were neither a call, a message link nor a time: shown back so they can be fixed. */
      unrecognised: string[];
    };

/** `/qm`, `/qm help`, `/qm history <call>`, `/qm <segment id or call link> [offset]`, and a Slack message link anywhere. */
export function parseQmCommandText(text: string, patterns: readonly RegExp[] = []): QmCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [first = '', second] = words;
  if (words.length === 1 && /^(help|-h|--help|\?)$/i.test(first)) return { kind: 'help' };
  if (words.length === 1 && /^whoami$/i.test(first)) return { kind: 'whoami' };
  if (words.length <= 2 && /^link$/i.test(first)) return { kind: 'link', email: second ? unmailto(second) : undefined };
  if (/^history$/i.test(first)) {
    // The call is the first word that is one; anything else (a time, say) changes nothing in a history.
    const rest = words.slice(1).map(unescapedWord);
    const call = rest.map((word) => parseCallReference(word, patterns)).find(Boolean);
    return { kind: 'history', call, typed: rest.length > 0 ? rest.join(' ') : undefined };
  }
  const command: Extract<QmCommand, { kind: 'comment' }> = { kind: 'comment', unrecognised: [] };
  for (const typed of words) {
    const word = unescapedWord(typed);
    const messageLink = command.messageLink ? undefined : parseMessageLink(word);
    if (messageLink) {
      command.messageLink = messageLink;
      continue;
    }
    const call = command.call ? undefined : parseCallReference(word, patterns);
    if (call) {
      command.call = call;
      continue;
    }
    const offset = command.call && command.offsetSeconds === undefined ? parseOffset(word) : undefined;
    if (offset?.ok) {
      command.offsetSeconds = offset.seconds;
      continue;
    }
    command.unrecognised.push(word);
  }
  return command;
}

export function qmUsage(command: string): string {
  return [
    `*${command}*: leave a QM comment on a call in Flex Insights.`,
    `• \`${command}\` opens the comment form.`,
    `• \`${command} <segment id or Flex Insights call link> [time]\` opens it for that call, e.g. \`${command} 0105be7a-9b87-51f1-8df8-aa74ddb9c4a7 1:23\`.`,
    `• Add a link to a Slack message (right-click it, *Copy link*) to get the confirmation in that message's thread.`,
    `• Time is seconds (\`6.98\`) or \`m:ss\` / \`h:mm:ss\`.`,
    `• \`${command} history <segment id or call link>\` shows you the comments and scorecard answers Flex already holds on that call, and what the app is still sending.`,
    `• \`${command} whoami\` shows which Flex identity and role you have.`,
    `• \`${command} link <your Flex email>\` asks a QM admin to link you to your Flex identity, when it was not found by itself.`,
    `• \`${command} help\` shows this.`,
  ].join('\n');
}

/** Slack turns a typed email into `<mailto:a@b.c|a@b.c>` in command text; the plain address is wanted. */
function unmailto(word: string): string {
  const match = /^<mailto:([^|>]+)(?:\|[^>]*)?>$/.exec(word);
  return (match?.[1] ?? word).trim();
}

/**
 * One word of command text as typed: Slack sends `<url|label>` for links and escapes `&`, `<` and `>`
 * (`?a=1&amp;t=83`), so the link is unwrapped first, then unescaped once.
 */
function unescapedWord(word: string): string {
  return unescapeSlackText(unwrapSlackLink(word));
}
