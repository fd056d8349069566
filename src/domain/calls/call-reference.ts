import { readCallUrl } from './call-links.js';
import { UUID_PATTERN } from './segment-id.js';

/** A call someone pointed at: a bare segment id or a link that carries one. */
export interface CallReference {
  segmentId: string;
  offsetSeconds?: number;
  agentId?: string;
  url?: string;
}

/**
 * Reads a segment id (and an offset when the link has one) from a bare UUID or a URL such as
 * a Flex Insights recording link (`…/segment/<uuid>?t=83`, `…?segmentId=<uuid>#t=1m23s`).
 */
export function parseCallReference(text: string, patterns: readonly RegExp[] = []): CallReference | undefined {
  const value = unwrapSlackLink(text.trim());
  if (value === '') return undefined;
  if (/^https?:\/\//i.test(value)) return readCallUrl(value, patterns) ?? readAnyUrlWithSegment(value);
  const match = new RegExp(`^${UUID_PATTERN.source}$`, 'i').exec(value);
  return match ? { segmentId: match[0].toLowerCase() } : undefined;
}

/** A link of a form we do not know, that still holds exactly one UUID in its path: typed on purpose. */
function readAnyUrlWithSegment(text: string): CallReference | undefined {
  if (!URL.canParse(text)) return undefined;
  const ids = decodeURIComponentSafe(new URL(text).pathname).match(new RegExp(UUID_PATTERN.source, 'gi')) ?? [];
  const [only] = ids;
  return ids.length === 1 && only ? { segmentId: only.toLowerCase(), url: text } : undefined;
}

/** Slack writes links as `<https://…|label>` when it escapes a command's text. */
export function unwrapSlackLink(text: string): string {
  const match = /^<([^|>]+)(?:\|[^>]*)?>$/.exec(text);
  return match?.[1] ?? text;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
