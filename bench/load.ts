import autocannon from 'autocannon';
import { signSlackRequest } from '../test/helpers/slack-requests.js';

export interface LoadResult {
  sent: number;
  /** Requests answered with 2xx before the run ended. */
  ok: number;
  errors: number;
  non2xx: number;
  p50: number;
  p99: number;
  rps: number;
}

/**
 * Sends signed Slack requests at a fixed overall rate; `nextBody` makes each request's body (each is
 * signed as Slack signs it). Latency is corrected for coordinated omission, as autocannon does by default.
 */
export async function drive(options: {
  url: string;
  signingSecret: string;
  rate: number;
  durationSeconds: number;
  connections?: number;
  nextBody: () => string;
  onSend?: (body: string) => void;
}): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    connections: options.connections ?? Math.min(100, Math.max(10, Math.ceil(options.rate / 10))),
    overallRate: options.rate,
    duration: options.durationSeconds,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const body = options.nextBody();
          options.onSend?.(body);
          return {
            ...request,
            method: 'POST',
            body,
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              ...signSlackRequest(options.signingSecret, body),
            },
          };
        },
      },
    ],
  });
  return {
    sent: result.requests.sent,
    ok: result['2xx'],
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    p50: result.latency.p50,
    p99: result.latency.p99,
    rps: result.requests.average,
  };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
