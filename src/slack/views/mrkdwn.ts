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

/** A quoted block of user text, safe and within a section's 3000 characters. */
export function quote(text: string, max = 2800): string {
  return escapeMrkdwn(truncate(text, max))
    .split('\n')
    .map((line) => `>${line}`)
    .join('\n');
}
