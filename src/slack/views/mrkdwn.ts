/**
 * Makes user text safe inside Slack mrkdwn: `&`, `<` and `>` are Slack's control characters, and
 * escaping them also defuses `<!channel>` and user mentions typed as text.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Shortens to `max` characters (not UTF-16 units), marking the cut. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/**
 * A quoted block of user text, escaped, at most `max` characters as Slack counts them once escaped
 * (an `&` becomes five, each line gains a `>`), so the block stays within a section's 3000 characters
 * whatever was typed.
 */
export function quote(text: string, max = 2800): string {
  let out = '>';
  for (const char of text) {
    const piece = char === '\n' ? '\n>' : escapeMrkdwn(char);
    if (out.length + piece.length > max - 1) return `${out}…`;
    out += piece;
  }
  return out;
}

/**
 * A mrkdwn link to an http(s) URL. The URL is user input (a call link someone pasted): its `|` would end
 * the address early and its `<`/`>` would let the rest be read as mrkdwn (`<!channel>`), so they are
 * percent-encoded and `&` is escaped. Anything that is not an http(s) URL is shown as the label alone.
 */
export function mrkdwnLink(url: string, label: string): string {
  if (!URL.canParse(url)) return escapeMrkdwn(label);
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return escapeMrkdwn(label);
  const href = parsed.href
    .replace(/\|/g, '%7C')
    .replace(/</g, '%3C')
    .replace(/>/g, '%3E')
    .replace(/\s/g, encodeURIComponent)
    .replace(/&/g, '&amp;');
  return `<${href}|${escapeMrkdwn(label)}>`;
}

/** A user mention, for ids shaped like Slack's; anything else is shown as escaped text. */
export function mention(userId: string): string {
  return /^[A-Z0-9]{2,32}$/.test(userId) ? `<@${userId}>` : escapeMrkdwn(userId);
}
