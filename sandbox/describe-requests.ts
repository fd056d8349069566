/**
 * Turns a request a fake has answered into a journal entry, from what the fake recorded of it (the
 * fakes keep each request's headers object, which identifies it).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeFlexApi } from '../test/fakes/fake-flex-api.js';
import type { FakeSlackApi } from '../test/fakes/fake-slack-api.js';
import { isObject, type Json } from '../test/fakes/slack/wire.js';
import { type JournalEntry, short } from './journal.js';

type Described = Omit<JournalEntry, 'seq' | 'at' | 'service'>;

const SHOWN_ARGS = ['channel', 'user', 'user_id', 'users', 'email', 'view_id', 'thread_ts', 'ts'] as const;

/** The arguments of a Web API call that say what it was about. */
export function slackArgs(args: Json): string {
  const parts = SHOWN_ARGS.flatMap((key) => (typeof args[key] === 'string' ? [`${key}=${args[key]}`] : []));
  if (isObject(args.view)) {
    const view = args.view;
    const title = isObject(view.title) && typeof view.title.text === 'string' ? ` ${short(view.title.text, 40)}` : '';
    parts.push(`view=${String(view.callback_id ?? view.type ?? '?')}${title}`);
  }
  if (isObject(args.unfurls)) parts.push(`unfurls=${Object.keys(args.unfurls).length}`);
  if (typeof args.text === 'string') parts.push(`text=${short(args.text)}`);
  return parts.join(' ');
}

function slackOutcome(result: Json): string {
  if (result.ok !== true) return `error ${String(result.error ?? '?')}`;
  if (isObject(result.view) && typeof result.view.id === 'string') return `ok ${result.view.id}`;
  if (typeof result.ts === 'string') return `ok ts=${result.ts}`;
  return 'ok';
}

export function describeSlackRequest(slack: FakeSlackApi, req: IncomingMessage, res: ServerResponse): Described {
  const path = new URL(req.url ?? '/', slack.baseUrl).pathname;
  if (path.startsWith('/response/')) {
    const post = slack.allResponsePosts().findLast((p) => p.url === `${slack.baseUrl}${path}`);
    const body = post?.body ?? {};
    const kind = body.replace_original === true ? 'replace' : String(body.response_type ?? 'ephemeral');
    const text = typeof body.text === 'string' ? ` text=${short(body.text)}` : '';
    return { request: 'response_url', detail: `${kind}${text}`, outcome: String(res.statusCode) };
  }
  const call = path.startsWith('/api/') ? slack.calls().findLast((c) => c.headers === req.headers) : undefined;
  if (!call) return { request: `${req.method} ${path}`, detail: '', outcome: String(res.statusCode) };
  return { request: call.method, detail: slackArgs(call.args), outcome: slackOutcome(call.result) };
}

const FLEX_FIELDS = ['SegmentId', 'AgentId', 'CategoryName', 'Offset'] as const;

export function describeFlexRequest(flex: FakeFlexApi, req: IncomingMessage, res: ServerResponse): Described {
  const recorded = flex.requests.findLast((r) => r.headers === req.headers);
  if (!recorded) return { request: `${req.method} ${req.url}`, detail: '', outcome: String(res.statusCode) };
  const form = new URLSearchParams(recorded.method === 'POST' ? recorded.rawBody : recorded.rawQuery);
  const parts = FLEX_FIELDS.flatMap((key) => (form.has(key) ? [`${key}=${form.get(key)}`] : []));
  const comment = form.get('Comment');
  if (comment !== null) parts.push(`Comment=${short(comment)}`);
  return { request: `${recorded.method} ${recorded.path}`, detail: parts.join(' '), outcome: String(res.statusCode) };
}

export function describeTwilioRequest(req: IncomingMessage, res: ServerResponse): Described {
  const url = new URL(req.url ?? '/', 'http://taskrouter');
  return { request: `${req.method} ${url.pathname}`, detail: url.search.slice(1), outcome: String(res.statusCode) };
}
