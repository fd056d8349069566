import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { signSlackRequest } from '../test/helpers/slack-requests.js';

export interface LoadResult {
  sent: number;
  /** Requests answered with 2xx. */
  ok: number;
  /** Requests that failed (connection refused or reset, timed out). */
  errors: number;
  non2xx: number;
  p50: number;
  p99: number;
  /** Requests answered per second over the run. */
  rps: number;
}

/** How long a request may take before it counts as an error: Slack gives up on an app after 3 s. */
const TIMEOUT_MS = 3_000;
/** Milliseconds since the epoch, finer than Date.now(): the fakes stamp what they receive with the same clock. */
const clock = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends signed Slack requests at a fixed rate, evenly spaced (open loop, as Slack sends them: a request
 * does not wait for the one before it to be answered). `nextBody` makes each request's body, signed as
 * Slack signs it. Each latency runs from the moment the request was due, not from when it was written,
 * so a generator or server that falls behind is measured, not hidden (no coordinated omission).
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
  /** Called as each request goes out, with when it was due (the fakes' clock). */
  onSend?: (body: string, dueAt: number) => void;
}): Promise<LoadResult> {
  const url = new URL(options.url);
  // Enough connections that a request never waits for one, as Slack opens as many as it needs.
  const pool = new Pool(url.origin, { connections: Math.max(16, Math.ceil(options.rate / 4)), pipelining: 1 });
  const total = Math.round(options.rate * options.durationSeconds);
  const interval = 1_000 / options.rate;
  const latencies: number[] = [];
  let ok = 0;
  let errors = 0;
  let non2xx = 0;
  const inFlight = new Set<Promise<void>>();

  const send = async (dueAt: number): Promise<void> => {
    const body = options.nextBody();
    options.onSend?.(body, dueAt);
    try {
      const response = await pool.request({
        path: url.pathname,
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          ...signSlackRequest(options.signingSecret, body),
        },
        headersTimeout: TIMEOUT_MS,
        bodyTimeout: TIMEOUT_MS,
      });
      await response.body.dump();
      if (response.statusCode >= 200 && response.statusCode < 300) {
        ok += 1;
        latencies.push(clock() - dueAt);
      } else {
        non2xx += 1;
      }
    } catch {
      errors += 1;
    }
  };

  const started = clock();
  for (let next = 0; next < total; ) {
    const now = clock();
    // Every request that is due by now goes out now; the timer then sleeps until the next one is due.
    while (next < total && started + next * interval <= now) {
      const request = send(started + next * interval);
      inFlight.add(request);
      void request.finally(() => inFlight.delete(request));
      next += 1;
    }
    if (next < total) await sleep(Math.max(0, started + next * interval - clock()));
  }
  await Promise.all(inFlight);
  const seconds = (clock() - started) / 1_000;
  await pool.close();
  return {
    sent: total,
    ok,
    errors,
    non2xx,
    p50: tenths(percentile(latencies, 50)),
    p99: tenths(percentile(latencies, 99)),
    rps: ok / seconds,
  };
}

const tenths = (ms: number) => Math.round(ms * 10) / 10;

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
