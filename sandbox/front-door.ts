/**
 * What the sandbox puts in front of each fake: a journal entry (and log line) for every request the
 * fake answers, and the `/_sandbox/` routes through which people and `sandbox:send` look inside it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { RequestInterceptor } from '../test/fakes/serve.js';
import type { Journal, JournalEntry, Service } from './journal.js';

export const SANDBOX_PREFIX = '/_sandbox/';

/** Answers with JSON; throws a zod error for a bad query or body (answered 400). */
export type Route = (input: { query: URLSearchParams; body: unknown }) => unknown;

/** Keyed `METHOD /_sandbox/path`. */
export type Routes = Record<string, Route>;

export function frontDoor(options: {
  service: Service;
  journal: Journal;
  routes: Routes;
  describe: (req: IncomingMessage, res: ServerResponse) => Omit<JournalEntry, 'seq' | 'at' | 'service'>;
}): RequestInterceptor {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    if (url.pathname.startsWith(SANDBOX_PREFIX)) {
      serve(options.routes, req, res, url).catch((error: unknown) => send(res, 500, { error: String(error) }));
      return true;
    }
    res.once('finish', () => options.journal.add({ service: options.service, ...options.describe(req, res) }));
    return false;
  };
}

async function serve(routes: Routes, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const route = routes[`${req.method} ${url.pathname}`];
  if (!route) {
    send(res, 404, { error: `No route ${req.method} ${url.pathname}`, routes: Object.keys(routes) });
    return;
  }
  try {
    const raw = Buffer.concat(chunks).toString('utf8');
    send(res, 200, route({ query: url.searchParams, body: raw ? (JSON.parse(raw) as unknown) : {} }));
  } catch (error) {
    if (!(error instanceof z.ZodError || error instanceof SyntaxError || error instanceof RouteError)) throw error;
    send(res, 400, { error: error instanceof z.ZodError ? z.prettifyError(error) : error.message });
  }
}

/** A request the route cannot answer (answered 400 with the message). */
export class RouteError extends Error {}

function send(res: ServerResponse, status: number, body: unknown): void {
  res
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
    .end(`${JSON.stringify(body, null, 2)}\n`);
}

const since = z.coerce.number().int().min(0).default(0);
const serviceFilter = z.enum(['slack', 'flex', 'taskrouter', 'all']).optional();

/** `GET /_sandbox/calls?since=N&service=…`: the journal, of this fake unless `service` says otherwise. */
export function journalRoute(journal: Journal, own: Service): Route {
  return ({ query }) => {
    const after = since.parse(query.get('since') ?? undefined);
    const service = serviceFilter.parse(query.get('service') ?? undefined) ?? own;
    return journal.since(after, service === 'all' ? undefined : service);
  };
}
