import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { SenderResult, ToSender } from './load-sender.js';

export interface LoadResult {
  /** Requests counted: sent after the warm-up. */
  sent: number;
  /** Requests sent first and not counted (see `warmupSeconds`); the apps did their work all the same. */
  warmup: number;
  /** Requests answered with 2xx. */
  ok: number;
  /** Requests that failed (connection refused or reset, timed out). */
  errors: number;
  non2xx: number;
  p50: number;
  p99: number;
  /** Requests answered per second over the run. */
  rps: number;
  /** Every answered request's latency (ms), to merge runs. */
  latencies: number[];
}

/** Milliseconds since the epoch, finer than Date.now(); the same in every thread, and the fakes' clock. */
const clock = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Bodies are made this far ahead of their turn: Slack's trigger ids in them live 3 s. */
const LEAD_MS = 1_000;

/**
 * Sends signed Slack requests at a fixed rate, evenly spaced and open loop (as Slack sends them: a
 * request does not wait for the one before it to be answered). `nextBody` makes each request's body,
 * here, a second before it is due; a sender thread of its own (bench/load-sender.ts) signs it as Slack
 * does and sends it when it is due, so whatever the fakes do on this thread cannot delay it. Each
 * latency runs from when its request was due, so a server that falls behind is measured, not hidden.
 *
 * Why not autocannon's `overallRate`: it lets each connection send its quota for the second back to
 * back and then pause until the next second, so "200 per second" arrives as one burst each second.
 */
export async function drive(options: {
  url: string;
  signingSecret: string;
  rate: number;
  durationSeconds: number;
  nextBody: () => string;
  /** Called as each counted body is made, with when its request is due (the fakes' clock). */
  onSend?: (body: string, dueAt: number) => void;
  /**
   * Seconds of requests sent first, at the same rate, and not counted. A sender thread starts cold: its
   * first requests open connections and run code V8 has not compiled yet, and in a run of 800 the
   * slowest of them land in the p99 whichever app answers. Slack's senders are warm.
   */
  warmupSeconds?: number;
}): Promise<LoadResult> {
  const warmup = Math.round(options.rate * (options.warmupSeconds ?? 0));
  const total = warmup + Math.round(options.rate * options.durationSeconds);
  const intervalMs = 1_000 / options.rate;
  const sender = new Worker(new URL('./load-thread.mjs', import.meta.url));
  const ready = new Promise<void>((resolve, reject) => {
    sender.once('message', () => resolve());
    sender.once('error', reject);
  });
  await ready;
  const done = new Promise<SenderResult>((resolve, reject) => {
    sender.once('message', resolve);
    sender.once('error', reject);
  });
  const post = (message: ToSender) => sender.postMessage(message);
  // Time to make the first second's bodies and hand them over before the first is due.
  const startAt = clock() + 150;
  post({ type: 'run', url: options.url, signingSecret: options.signingSecret, total, warmup, startAt, intervalMs });
  for (let made = 0; made < total; ) {
    const bodies: string[] = [];
    while (made < total && startAt + made * intervalMs <= clock() + LEAD_MS) {
      const body = options.nextBody();
      if (made >= warmup) options.onSend?.(body, startAt + made * intervalMs);
      bodies.push(body);
      made += 1;
    }
    if (bodies.length > 0) post({ type: 'bodies', bodies });
    if (made < total) await sleep(50);
  }
  const result = await done;
  await sender.terminate();
  return {
    sent: total - warmup,
    warmup,
    ok: result.ok,
    errors: result.errors,
    non2xx: result.non2xx,
    p50: tenths(percentile(result.latencies, 50)),
    p99: tenths(percentile(result.latencies, 99)),
    rps: result.ok / Math.max(result.seconds, 0.001),
    latencies: result.latencies,
  };
}

/** Several runs as one: their requests summed and their latencies pooled (rps: answered per second of load). */
export function merge(runs: LoadResult[]): LoadResult {
  const latencies = runs.flatMap((run) => run.latencies);
  const sum = (field: 'sent' | 'warmup' | 'ok' | 'errors' | 'non2xx') =>
    runs.reduce((total, run) => total + run[field], 0);
  const seconds = runs.reduce((total, run) => total + run.ok / Math.max(run.rps, 0.001), 0);
  return {
    sent: sum('sent'),
    warmup: sum('warmup'),
    ok: sum('ok'),
    errors: sum('errors'),
    non2xx: sum('non2xx'),
    p50: tenths(percentile(latencies, 50)),
    p99: tenths(percentile(latencies, 99)),
    rps: sum('ok') / Math.max(seconds, 0.001),
    latencies,
  };
}

const tenths = (ms: number) => Math.round(ms * 10) / 10;

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
