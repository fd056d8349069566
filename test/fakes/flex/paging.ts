import { type FakeAnswer, twilioError } from './twilio-wire.js';

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 1000;

/**
 * One page of a Twilio "meta" list. `next_page_url` is absolute and carries an opaque PageToken, as
 * Twilio's does, so only a client that follows the link (rather than counting pages) reads everything.
 */
export function pageOf(
  items: readonly unknown[],
  request: { path: string; query: URLSearchParams },
  key: string,
  options: { baseUrl: string; maxPageSize: number },
): FakeAnswer {
  const askedSize = request.query.get('PageSize');
  const pageSize = askedSize === null ? DEFAULT_PAGE_SIZE : Number(askedSize);
  if (!/^\d+$/.test(askedSize ?? '1') || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    return twilioError(400, 20001, `Invalid PageSize: must be between 1 and ${MAX_PAGE_SIZE}`);
  }
  const askedPage = request.query.get('Page') ?? '0';
  if (!/^\d+$/.test(askedPage)) return twilioError(400, 20001, 'Invalid Page: must be a whole number');
  const page = Number(askedPage);
  const token = request.query.get('PageToken');
  const start = token === null ? page * pageSize : offsetOf(token);
  if (start === undefined) return twilioError(400, 20001, 'Invalid PageToken');

  // The fake may serve fewer than asked, to exercise paging without thousands of items.
  const served = Math.min(pageSize, options.maxPageSize);
  const slice = items.slice(start, start + served);
  const hasNext = start + served < items.length;
  const link = (pageNumber: number, offset: number | null) => {
    const pairs: Array<[string, string]> = [];
    for (const [name, value] of request.query) {
      if (name !== 'PageSize' && name !== 'Page' && name !== 'PageToken') pairs.push([name, value]);
    }
    pairs.push(['PageSize', String(pageSize)], ['Page', String(pageNumber)]);
    if (offset !== null && offset > 0) pairs.push(['PageToken', tokenFor(offset)]);
    const query = pairs.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&');
    return `${options.baseUrl}${request.path}?${query}`;
  };
  return {
    status: 200,
    body: {
      [key]: slice,
      meta: {
        key,
        page,
        page_size: pageSize,
        first_page_url: link(0, null),
        previous_page_url: page > 0 ? link(page - 1, Math.max(0, start - served)) : null,
        next_page_url: hasNext ? link(page + 1, start + served) : null,
        url: link(page, token === null ? null : start),
      },
    },
  };
}

function tokenFor(offset: number): string {
  return `PT${Buffer.from(`after:${offset}`).toString('base64url')}`;
}

function offsetOf(token: string): number | undefined {
  const match = /^after:(\d+)$/.exec(Buffer.from(token.replace(/^PT/, ''), 'base64url').toString('utf8'));
  return match?.[1] === undefined ? undefined : Number(match[1]);
}
