/**
 * Slack's libraries (Bolt, the Web API client, Socket Mode, OAuth) log whole requests and answers as
 * text at debug: a chat.postMessage body holds the comment, users.lookupByEmail's answer an email and a
 * name, oauth.v2.access's body the client secret, a Socket Mode envelope a response_url. A key path
 * cannot redact inside a string, so those lines are rewritten here to say what happened without the
 * content: the keys of a body, `ok` and `error` of an answer, the type of an envelope.
 *
 * Messages as of @slack/web-api 8.2 (WebClient.makeRequest, apiCall), @slack/socket-mode 2
 * (SocketModeClient), @slack/bolt 4-5 (HTTPResponseAck, SocketModeResponseAck) and @slack/oauth 3-4
 * (InstallProvider); a library line that matches none of these is kept as it is.
 */
const RULES: Array<[RegExp, (match: RegExpExecArray) => string]> = [
  [/^http request (body|headers): ([\s\S]*)$/, (m) => `http request ${m[1]} (not logged; keys: ${keysOf(m[2])})`],
  [/^http request result: ([\s\S]*)$/, (m) => `http request result: ${resultSummary(m[1])}`],
  [/^http request url: (\S+)/, (m) => `http request url: ${pathOnly(m[1])}`],
  [/^(ack\(\) (?:call begins|response stored|response sent)) \(body: [\s\S]*\)$/, (m) => `${m[1]} (body not logged)`],
  [/^Received a message on the WebSocket: ([\s\S]*)$/, (m) => `Received a WebSocket message (${envelopeOf(m[1])})`],
  [
    /^Calling ack\(\) - type: ([^,]*), envelope_id: ([^,]*), data: [\s\S]*$/,
    (m) => `Calling ack() - type: ${m[1]}, envelope_id: ${m[2]} (data not logged)`,
  ],
  [/^Sending a WebSocket message: [\s\S]*$/, () => 'Sending a WebSocket message (content not logged)'],
  [
    /^Unable to parse an incoming WebSocket message \(will ignore\): ([^,]*),[\s\S]*$/,
    (m) => `Unable to parse an incoming WebSocket message (will ignore): ${m[1]} (content not logged)`,
  ],
  [/^Generated authorize URL: (\S+)/, (m) => `Generated authorize URL: ${pathOnly(m[1])} (query not logged)`],
  [/^Running handleInstallPath\(\) with [\s\S]*$/, () => 'Running handleInstallPath() (options not logged)'],
  [/^Error details: [\s\S]*$/, () => 'Error details not logged (the error line before says what failed)'],
];

/** The line with any request or answer content replaced by a summary. */
export function scrubLibraryLine(message: string): string {
  for (const [pattern, rewrite] of RULES) {
    const match = pattern.exec(message);
    if (match) return rewrite(match);
  }
  return message;
}

function parse(json: string | undefined): unknown {
  try {
    return JSON.parse(json ?? '');
  } catch {
    return undefined;
  }
}

function keysOf(json: string | undefined): string {
  const value = parse(json);
  return value && typeof value === 'object' ? Object.keys(value).slice(0, 30).join(', ') || 'none' : 'unreadable';
}

function resultSummary(json: string | undefined): string {
  const value = parse(json);
  if (!value || typeof value !== 'object') return '(unreadable, not logged)';
  const record = value as Record<string, unknown>;
  const error = typeof record.error === 'string' ? `, error: ${record.error.slice(0, 100)}` : '';
  return `ok: ${String(record.ok)}${error} (content not logged)`;
}

function envelopeOf(json: string | undefined): string {
  const value = parse(json);
  if (!value || typeof value !== 'object') return 'unreadable, not logged';
  const record = value as Record<string, unknown>;
  const parts = [`type: ${String(record.type)}`];
  if (typeof record.envelope_id === 'string') parts.push(`envelope_id: ${record.envelope_id}`);
  return `${parts.join(', ')}; payload not logged`;
}

/** A URL without its query (state, tickets) and, off Slack's API, without its path (response_urls). */
function pathOnly(raw: string | undefined): string {
  if (!raw || !URL.canParse(raw)) return '(not logged)';
  const url = new URL(raw);
  return url.pathname.startsWith('/api/') ? `${url.origin}${url.pathname}` : `${url.origin}/…`;
}
