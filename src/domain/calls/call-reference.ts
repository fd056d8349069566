import { parseOffset } from './offset.js';
import { UUID_PATTERN } from './segment-id.js';

/** A call someone pointed at: a bare segment id or a link that carries one. */
export interface CallReference {
  segmentId: string;
  offsetSeconds?: number;
  url?: string;
}

const OFFSET_PARAMS = ['t', 'offset', 'time', 'start'];

/**
 * Reads a segment id (and an offset when the link has one) from a bare UUID or a URL such as
 * a Flex Insights recording link (`…/segment/<uuid>?t=83`, `…?segmentId=<uuid>#t=1m23s`).
 */
export function parseCallReference(text: string): CallReference | undefined {
  const value = unwrapSlackLink(text.trim());
  if (value === '') return undefined;
  if (/^https?:\/\//i.test(value)) return parseCallUrl(value);
  const match = new RegExp(`^${UUID_PATTERN.source}$`, 'i').exec(value);
  return match ? { segmentId: match[0].toLowerCase() } : undefined;
}

function parseCallUrl(text: string): CallReference | undefined {
  if (!URL.canParse(text)) return undefined;
  const url = new URL(text);
  const fromQuery = [...url.searchParams.entries()].find(
    ([key, value]) => /segment/i.test(key) && new RegExp(`^${UUID_PATTERN.source}$`, 'i').test(value),
  );
  const fromPath = new RegExp(UUID_PATTERN.source, 'i').exec(decodeURIComponentSafe(url.pathname));
  const segmentId = (fromQuery?.[1] ?? fromPath?.[0])?.toLowerCase();
  if (!segmentId) return undefined;
  const offsetSeconds = offsetFrom(url);
  return { segmentId, url: text, ...(offsetSeconds === undefined ? {} : { offsetSeconds }) };
}

function offsetFrom(url: URL): number | undefined {
  const hash = new URLSearchParams(url.hash.replace(/^#/, ''));
  for (const params of [url.searchParams, hash]) {
    for (const name of OFFSET_PARAMS) {
      const raw = params.get(name);
      if (raw === null) continue;
      const parsed = parseOffset(raw);
      if (parsed.ok) return parsed.seconds;
    }
  }
  return undefined;
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
