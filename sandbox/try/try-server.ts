/**
 * The try page's web server, on loopback only: the page's files, and a small JSON API through which the
 * page reads what Slack shows a person (and what reached Flex, the app's log) and acts as that person.
 * Every act goes to PlayedSlack, which sends the app what Slack would.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { z } from 'zod';
import { COMMENTS_PATH, type FlexBehaviour, htmlErrorPage, twilioErrorAnswer } from '../../test/fakes/fake-flex-api.js';
import { dmIdOf } from '../../test/fakes/slack/workspace.js';
import type { Fakes } from '../../test/helpers/start-fakes.js';
import type { World } from '../../test/helpers/world.js';
import type { Journal } from '../journal.js';
import { callLink } from '../world.js';
import type { AppLog } from './app-log.js';
import type { ManifestFeatures } from './manifest-features.js';
import type { ActOutcome, PlayedSlack } from './played-slack.js';

const PAGE_DIR = join(import.meta.dirname, 'page');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};
const SHOWN_LOG_LINES = 300;
const SHOWN_REQUESTS = 300;

const userId = z.string().regex(/^U[A-Z0-9]+$/);
const entered = z.union([
  z.string(),
  z.number(),
  z.array(z.string()),
  z.null(),
  z.object({ text: z.string(), value: z.string() }),
]);
const actSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('type'),
    as: userId,
    channel: z.string(),
    text: z.string().max(40_000),
    threadTs: z.string().optional(),
  }),
  z.object({ kind: z.literal('shortcut'), as: userId, channel: z.string(), ts: z.string(), callbackId: z.string() }),
  z.object({ kind: z.literal('home'), as: userId }),
  z.object({
    kind: z.literal('action'),
    as: userId,
    where: z.discriminatedUnion('in', [
      z.object({ in: z.literal('message'), channel: z.string(), ts: z.string() }),
      z.object({ in: z.literal('unfurl'), channel: z.string(), ts: z.string(), url: z.string() }),
      z.object({ in: z.literal('view'), viewId: z.string(), values: z.record(z.string(), entered) }),
    ]),
    actionId: z.string(),
    blockId: z.string(),
    value: entered.optional(),
  }),
  z.object({ kind: z.literal('submit'), as: userId, viewId: z.string(), values: z.record(z.string(), entered) }),
  z.object({ kind: z.literal('close'), as: userId, viewId: z.string(), all: z.boolean() }),
  /** Trouble at the fake Flex for the next comment the app posts, to see what a reviewer then sees. */
  z.object({ kind: z.literal('flex-trouble'), as: userId, trouble: z.enum(['refuse', 'unavailable']) }),
]);
type Act = z.infer<typeof actSchema>;

export interface TryServerOptions {
  port: number;
  world: World;
  features: ManifestFeatures;
  fakes: Fakes;
  played: PlayedSlack;
  journal: Journal;
  log: AppLog;
}

/** Who each person of the world is, in the words the page's person picker uses. */
function roleOf(person: World['people'][number]): string {
  if (person.role === 'admin') return 'QM admin';
  if (person.role === 'reviewer') return 'reviewer';
  if (person.agentId) return 'agent';
  return person.role ? 'no QM role' : 'unknown to the app';
}

export async function startTryServer(options: TryServerOptions): Promise<{ url: string; close(): Promise<void> }> {
  const pageFiles = new Set(readdirSync(PAGE_DIR));
  let origin = '';
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: String(error) });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Loopback only, and only for pages of its own origin: another site the browser has open cannot use it.
    const host = req.headers.host ?? '';
    if (host !== new URL(origin).host && host !== `localhost:${new URL(origin).port}`) {
      res.writeHead(421, { 'content-type': 'text/plain' }).end('Wrong host');
      return;
    }
    const url = new URL(req.url ?? '/', origin);
    if (req.method === 'GET' && (url.pathname === '/' || url.pathname.startsWith('/page/'))) {
      const name = url.pathname === '/' ? 'index.html' : url.pathname.slice('/page/'.length);
      if (!pageFiles.has(name)) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
        return;
      }
      res
        .writeHead(200, {
          'content-type': TYPES[extname(name)] ?? 'application/octet-stream',
          'cache-control': 'no-store',
        })
        .end(readFileSync(join(PAGE_DIR, name)));
      return;
    }
    if (req.method === 'GET' && url.pathname === '/api/world') {
      sendJson(res, 200, world(options));
      return;
    }
    if (req.method === 'GET' && url.pathname === '/api/state') {
      const as = userId.safeParse(url.searchParams.get('as'));
      if (!as.success) {
        sendJson(res, 400, { ok: false, error: 'Say who you are: ?as=U…' });
        return;
      }
      sendJson(res, 200, state(options, as.data));
      return;
    }
    if (req.method === 'POST' && url.pathname === '/api/act') {
      const sameOrigin = req.headers.origin === undefined || req.headers.origin === origin;
      if (!sameOrigin || !req.headers['content-type']?.startsWith('application/json')) {
        sendJson(res, 403, { ok: false, error: 'Only the try page may act' });
        return;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const parsed = actSchema.safeParse(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'));
      if (!parsed.success) {
        sendJson(res, 400, { ok: false, error: z.prettifyError(parsed.error) });
        return;
      }
      const outcome = await act(options.played, options.fakes, parsed.data).catch(
        (error: unknown): ActOutcome => ({ ok: false, error: error instanceof Error ? error.message : String(error) }),
      );
      sendJson(res, 200, outcome);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : options.port}`;
  return {
    url: `${origin}/`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Flex's answers as Twilio gives them: a refusal (400, error 20001), or a proxy's 503 page. */
const TROUBLE: Record<'refuse' | 'unavailable', FlexBehaviour> = {
  refuse: twilioErrorAnswer(400, 20001, 'Invalid parameter: Comment', { method: 'POST', path: COMMENTS_PATH }),
  unavailable: htmlErrorPage(503, { method: 'POST', path: COMMENTS_PATH }),
};

function act(played: PlayedSlack, fakes: Fakes, input: Act): Promise<ActOutcome> {
  switch (input.kind) {
    case 'flex-trouble':
      fakes.flex.failNext(TROUBLE[input.trouble]);
      return Promise.resolve({ ok: true });
    case 'type':
      return played.type(input.as, input.channel, input.text, input.threadTs);
    case 'shortcut':
      return played.shortcut(input.as, input.channel, input.ts, input.callbackId);
    case 'home':
      return played.openHome(input.as);
    case 'action':
      return played.blockAction(input.as, input.where, {
        actionId: input.actionId,
        blockId: input.blockId,
        ...(input.value !== undefined ? { value: input.value } : {}),
      });
    case 'submit':
      return played.submit(input.as, input.viewId, input.values);
    case 'close':
      return played.close(input.as, input.viewId, input.all);
  }
}

function world({ world, features }: TryServerOptions) {
  return {
    team: world.team,
    app: { name: features.appName, botUserId: world.bot.userId, botId: world.bot.botId },
    commands: features.commands,
    messageShortcuts: features.messageShortcuts,
    people: world.people.map((p) => ({
      userId: p.userId,
      handle: p.handle,
      name: p.name,
      role: roleOf(p),
      dm: dmIdOf(p.userId),
    })),
    channels: world.channels.map((c) => ({ id: c.id, name: c.name, botIsMember: c.isMember !== false })),
    /** For the page's tips: calls Flex knows, and a link to each as a person would paste it. */
    calls: world.segments.map((s) => ({
      segmentId: s.segment_id,
      agent: s.agent_name,
      link: callLink(s.segment_id, 42),
    })),
  };
}

function state({ played, fakes, journal, log }: TryServerOptions, as: string) {
  const modal = played.modalFor(as);
  return {
    messages: played.messagesFor(as),
    modal: modal ?? null,
    home: played.homeFor(as) ?? null,
    flex: { comments: fakes.flex.comments, answers: fakes.flex.scorecards.answers },
    log: log.all().slice(-SHOWN_LOG_LINES),
    requests: journal.since(0).slice(-SHOWN_REQUESTS),
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
