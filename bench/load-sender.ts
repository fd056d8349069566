// Runs in its own thread (bench/load-thread.mjs), so the fakes' work on the bench's main thread
// cannot delay a request or its timing: it sends each request when it is due and times the answer.
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import { Pool } from 'undici';
import { signSlackRequest } from '../test/helpers/slack-requests.js';

/** What the main thread sends: the run, then its bodies ahead of time, in order. */
export type ToSender =
  | {
      type: 'run';
      url: string;
      signingSecret: string;
      /** Requests in all, of which the first `warmup` are sent and answered but not counted. */
      total: number;
      warmup: number;
      startAt: number;
      intervalMs: number;
    }
  | { type: 'bodies'; bodies: string[] };

export interface SenderResult {
  type: 'done';
  ok: number;
  errors: number;
  non2xx: number;
  /** Milliseconds from when each answered request was due to its answer. */
  latencies: number[];
  /** From when the first counted request was due to the last answer. */
  seconds: number;
}

/** What the sender thread says: that it is ready, then the run's result. */
export type FromSender = { type: 'ready' } | SenderResult;

/** How long a request may take before it counts as an error: Slack gives up on an app after 3 s. */
const TIMEOUT_MS = 3_000;
const clock = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const port = parentPort;
if (!port) throw new Error('load-sender runs in a worker thread (bench/load-thread.mjs)');
const bodies: string[] = [];
port.on('message', (message: ToSender) => {
  if (message.type === 'bodies') bodies.push(...message.bodies);
  else void send(message).then((result) => port.postMessage(result));
});
// Loading this module through tsx takes a while on a busy machine; the run is timed from this message.
port.postMessage({ type: 'ready' } satisfies FromSender);

async function send(options: Extract<ToSender, { type: 'run' }>): Promise<SenderResult> {
  const url = new URL(options.url);
  // Enough connections that a request never waits for one, as Slack opens as many as it needs.
  const pool = new Pool(url.origin, { connections: 256, pipelining: 1 });
  const result: SenderResult = { type: 'done', ok: 0, errors: 0, non2xx: 0, latencies: [], seconds: 0 };
  const inFlight = new Set<Promise<void>>();
  const one = async (body: string, dueAt: number, counted: boolean): Promise<void> => {
    try {
      const response = await pool.request({
        path: url.pathname,
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...signSlackRequest(options.signingSecret, body),
        },
        // Slack's 3 s run from when it sent the request, so time spent waiting for a connection counts:
        // an app that falls behind gets errors, as it would from Slack, and the run still ends on time.
        signal: AbortSignal.timeout(Math.max(1, Math.ceil(dueAt + TIMEOUT_MS - clock()))),
      });
      await response.body.dump();
      if (!counted) return;
      if (response.statusCode >= 200 && response.statusCode < 300) {
        result.ok += 1;
        result.latencies.push(clock() - dueAt);
      } else {
        result.non2xx += 1;
      }
    } catch {
      if (counted) result.errors += 1;
    }
  };
  const dueAt = (index: number) => options.startAt + index * options.intervalMs;
  for (let next = 0; next < options.total; ) {
    const now = clock();
    // Every request that is due by now goes out now; the timer then sleeps until the next one is due.
    while (next < options.total && dueAt(next) <= now && next < bodies.length) {
      const request = one(bodies[next] ?? '', dueAt(next), next >= options.warmup);
      inFlight.add(request);
      void request.finally(() => inFlight.delete(request));
      next += 1;
    }
    if (next < options.total) await sleep(Math.max(0, Math.min(dueAt(next) - clock(), 50)));
  }
  await Promise.all(inFlight);
  result.seconds = (clock() - dueAt(options.warmup)) / 1_000;
  await pool.close();
  return result;
}
