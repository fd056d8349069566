import { parseOffset } from './offset.js';
import { UUID_PATTERN } from './segment-id.js';
import { unescapeSlackText } from './slack-escaping.js';

/** One call a message points at. */
export interface CallLink {
  segmentId: string;
  offsetSeconds?: number;
  agentId?: string;
  /** The link it came from; absent for a bare segment id in text. */
  url?: string;
}

/** An admin's own link form: a regular expression with a named group `segment` (and optionally `offset`, `agent`). */
export type CallLinkPattern = RegExp;

const UUID = new RegExp(`^${UUID_PATTERN.source}$`, 'i');
const UUID_ANYWHERE = new RegExp(`(?<![0-9a-f-])${UUID_PATTERN.source}(?![0-9a-f-])`, 'gi');
const URL_IN_TEXT = /https?:\/\/[^\s<>|"'`]+/gi;
/** Hosts of Flex Insights and Flex UI: any UUID in their links' paths or fragments is the segment. */
const FLEX_HOSTS = [/(^|\.)ytica\.com$/i, /(^|\.)flex\.twilio\.com$/i, /^flex-insights\./i, /(^|\.)twil\.io$/i];
const SEGMENT_PARAMS = /^(segment|segmentid|segment_id|segment-id|conversationsegmentid)$/i;
const AGENT_PARAMS = /^(agent|agentid|agent_id|agent-id)$/i;
const OFFSET_PARAMS = ['t', 'offset', 'time', 'start', 'position'];
const PATH_SEGMENT = new RegExp(`/(?:segments?|calls?|recordings?|conversations?)/(${UUID_PATTERN.source})`, 'i');

/** Bounds that keep a hostile message (40 kB of text, deep nesting) cheap to read. */
const MAX_TEXT = 100_000;
const MAX_DEPTH = 24;
const MAX_CALLS = 25;

/**
 * Finds the calls a Slack message points at: in its text (Slack's `<url|label>` included), its blocks
 * and its attachments; by Flex Insights and Flex UI links, the admin's patterns, and bare segment ids.
 * Never throws; returns distinct calls in the order they appear.
 */
export function findCallLinks(message: unknown, patterns: readonly CallLinkPattern[] = []): CallLink[] {
  const texts: FoundText[] = [];
  collectStrings(message, undefined, texts, 0, { total: 0 });
  const calls = new Map<string, CallLink>();
  const add = (call: CallLink | undefined) => {
    if (!call || calls.size >= MAX_CALLS) return;
    const known = calls.get(call.segmentId);
    if (!known) calls.set(call.segmentId, call);
    else {
      if (known.offsetSeconds === undefined && call.offsetSeconds !== undefined)
        known.offsetSeconds = call.offsetSeconds;
      if (known.agentId === undefined && call.agentId !== undefined) known.agentId = call.agentId;
      if (known.url === undefined && call.url !== undefined) known.url = call.url;
    }
  };
  for (const { text, prose } of texts) {
    const urls = [...text.matchAll(URL_IN_TEXT)].map((match) => trimUrl(match[0]));
    for (const url of urls) add(readCallUrl(url, patterns));
    if (!prose) continue;
    // A bare id counts only in what people wrote, outside links (where it is the link's business).
    const outsideLinks = text.replace(URL_IN_TEXT, ' ');
    for (const match of outsideLinks.matchAll(UUID_ANYWHERE)) add({ segmentId: match[0].toLowerCase() });
  }
  return [...calls.values()];
}

/** Reads one URL as a call link, or undefined when it is not one. */
export function readCallUrl(text: string, patterns: readonly CallLinkPattern[] = []): CallLink | undefined {
  for (const pattern of patterns) {
    const match = safeExec(pattern, text);
    const segment = match?.groups?.segment;
    if (match && segment) {
      const offset = match.groups?.offset === undefined ? undefined : parseOffset(match.groups.offset);
      const agent = match.groups?.agent;
      return {
        segmentId: segment.toLowerCase(),
        url: text,
        ...(offset?.ok ? { offsetSeconds: offset.seconds } : {}),
        ...(agent ? { agentId: agent } : {}),
      };
    }
  }
  if (!URL.canParse(text)) return undefined;
  const url = new URL(text);
  const fragment = decodeSafe(url.hash.replace(/^#/, ''));
  const fragmentQuery = new URLSearchParams(
    fragment.includes('?') ? fragment.slice(fragment.indexOf('?') + 1) : fragment,
  );
  const params = [url.searchParams, fragmentQuery];

  let segmentId: string | undefined;
  for (const query of params) {
    for (const [key, value] of query) if (!segmentId && SEGMENT_PARAMS.test(key) && UUID.test(value)) segmentId = value;
  }
  const path = decodeSafe(url.pathname);
  segmentId ??= PATH_SEGMENT.exec(path)?.[1] ?? PATH_SEGMENT.exec(fragment)?.[1];
  if (!segmentId && FLEX_HOSTS.some((host) => host.test(url.hostname))) {
    segmentId = new RegExp(UUID_PATTERN.source, 'i').exec(`${path} ${fragment}`)?.[0];
  }
  if (!segmentId) return undefined;

  let agentId: string | undefined;
  let offsetSeconds: number | undefined;
  for (const query of params) {
    for (const [key, value] of query)
      if (!agentId && AGENT_PARAMS.test(key) && value.trim() !== '') agentId = value.trim();
    for (const name of OFFSET_PARAMS) {
      const raw = query.get(name);
      if (offsetSeconds !== undefined || raw === null) continue;
      const parsed = parseOffset(raw);
      if (parsed.ok) offsetSeconds = parsed.seconds;
    }
  }
  return {
    segmentId: segmentId.toLowerCase(),
    url: text,
    ...(offsetSeconds === undefined ? {} : { offsetSeconds }),
    ...(agentId ? { agentId } : {}),
  };
}

interface FoundText {
  text: string;
  /** Written by a person (message text, labels), as opposed to a url field. */
  prose: boolean;
}

/** Keys whose values are Slack's own ids and times, never a call (client_msg_id is a UUID too). */
const IGNORED_KEYS = /(^|_)(id|ts)$|^(type|style|color|team|user|channel|subtype|event_ts)$/i;
const PROSE_KEYS = /^(text|pretext|fallback|title|value|label|alt_text)$/i;

/** Gathers the strings of a payload that can hold a call, within bounds. */
function collectStrings(
  value: unknown,
  key: string | undefined,
  out: FoundText[],
  depth: number,
  budget: { total: number },
): void {
  if (depth > MAX_DEPTH || budget.total >= MAX_TEXT) return;
  if (typeof value === 'string') {
    if (key !== undefined && IGNORED_KEYS.test(key)) return;
    const text = value.slice(0, MAX_TEXT - budget.total);
    budget.total += text.length;
    // Slack writes links as <url|label> and <url>: keep the url apart from its label.
    out.push({
      text: unescapeSlackText(
        // What people typed keeps Slack's escapes; the links are unwrapped first, then unescaped once.
        text.replace(/<(https?:\/\/[^|>\s]+)(?:\|([^>]*))?>/gi, ' $1 $2 '),
      ),
      prose: key === undefined || PROSE_KEYS.test(key),
    });
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) collectStrings(item, key, out, depth + 1, budget);
    return;
  }
  if (value && typeof value === 'object') {
    for (const [name, item] of Object.entries(value)) collectStrings(item, name, out, depth + 1, budget);
  }
}

/** Punctuation that ends a sentence rather than the link. */
function trimUrl(url: string): string {
  return url.replace(/[.,;:!?)\]}>*_~]+$/, '');
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function safeExec(pattern: RegExp, text: string): RegExpExecArray | null {
  const copy = new RegExp(pattern.source, pattern.flags.replace('g', ''));
  return copy.exec(text);
}
