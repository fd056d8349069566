/**
 * Undoes Slack's escaping of what it sends: Slack writes `&`, `<` and `>` as `&amp;`, `&lt;` and
 * `&gt;` in message text, command text and the URLs of `link_shared` events alike (Slack's formatting
 * reference, "Escaping text": https://api.slack.com/reference/surfaces/formatting#escaping; for
 * link_shared, slackapi/python-slack-events-api#49: `https://example.com/?a=0&b=1` arrives as
 * `…?a=0&amp;b=1`). Only those three entities exist, and it is one step: `&amp;lt;` is the text `&lt;`.
 * Every URL read from Slack goes through this once, before it is parsed.
 */
export function unescapeSlackText(text: string): string {
  return text.replace(/&(amp|lt|gt);/g, (_, name: string) => ENTITIES[name] ?? '');
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>' };
