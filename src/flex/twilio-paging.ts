import type { z } from 'zod';
import { FlexBadResponseError, type FlexOperation } from './errors.js';
import type { FlexHttpResponse } from './http-transport.js';
import { readJson } from './responses.js';

/** A list as far as it was read: `complete` is false when Flex had more pages than the app reads. */
export interface ListedItems<Item> {
  items: Item[];
  complete: boolean;
}

/**
 * How far a list is read: at most `maxPages` pages; past them, `fail` makes it a bad response (the API's
 * paging has gone wrong), `stop` returns what was read, marked incomplete (the reader has waited enough).
 */
export interface PageBound {
  maxPages: number;
  past: 'fail' | 'stop';
}

/** A list page's wire format, read down to its items and the link to the next page. */
export type PageSchema<Item> = z.ZodType<{ items: Item[]; nextPageUrl: string | null }>;

/** One Twilio list (Flex, TaskRouter): every list there pages by `meta.next_page_url`. */
export interface TwilioList<Item> {
  operation: FlexOperation;
  /** The API's base URL: every next page is asked of it, so credentials never go to another host. */
  baseUrl: string;
  firstUrl: string;
  /** One GET of a page with the call's credentials; it resolves only on 200 and throws the call's error otherwise. */
  get(url: string): Promise<FlexHttpResponse>;
  schema: PageSchema<Item>;
  bound: PageBound;
  /** Given each page's items before the next page is asked for (TaskRouter fetches what a list leaves out). */
  eachPage?(items: Item[]): Promise<void>;
}

/**
 * Follows `meta.next_page_url` until there is none, never sending credentials elsewhere and never reading
 * a page twice, for at most `bound.maxPages` pages: past them a bad response, or (`past: 'stop'`) what
 * was read, marked incomplete.
 */
export async function readPages<Item>(list: TwilioList<Item>): Promise<ListedItems<Item>> {
  const { operation, baseUrl, bound } = list;
  const items: Item[] = [];
  const visited = new Set<string>();
  const badPaging = (response: FlexHttpResponse, detail: string) =>
    new FlexBadResponseError({ operation, status: response.status, responseBody: response.body, detail });
  let next: string | null = list.firstUrl;
  while (next !== null) {
    visited.add(next);
    const response = await list.get(next);
    const page = readJson(response, list.schema, operation);
    items.push(...page.items);
    await list.eachPage?.(page.items);
    if (page.nextPageUrl === null) break;
    next = sameApiUrl(page.nextPageUrl, baseUrl);
    if (next === null) throw badPaging(response, 'meta.next_page_url is not a URL');
    if (visited.has(next)) throw badPaging(response, 'meta.next_page_url points back to a page already read');
    if (visited.size >= bound.maxPages) {
      if (bound.past === 'stop') return { items, complete: false };
      throw badPaging(response, `more than ${bound.maxPages} pages`);
    }
  }
  return { items, complete: true };
}

/**
 * The next page's URL on our own base URL: as given when it is there already, otherwise its path and
 * query on our base (a proxy or an edge in between), so credentials never go to a host we were not given.
 */
function sameApiUrl(link: string, baseUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(link, baseUrl);
  } catch {
    return null;
  }
  return url.origin === new URL(baseUrl).origin ? url.href : `${baseUrl}${url.pathname}${url.search}`;
}
