import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppLogger } from '../logging/logger.js';
import type { AppMetrics } from './metrics.js';

export const METRICS_PATH = '/metrics';

/**
 * GET /metrics in Prometheus' text format. With a token, only `Authorization: Bearer <token>` is
 * answered (compared in constant time: both sides are hashed to the same length first), anything else
 * gets 401. The queue gauges are read from the database just before the answer is written.
 */
export function metricsHandler(options: {
  metrics: AppMetrics;
  token: string | undefined;
  refreshQueue: () => Promise<void>;
  log: AppLogger;
}) {
  const expected = options.token === undefined ? undefined : digest(options.token);
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (expected && !authorized(req.headers.authorization, expected)) {
      options.log.warn(
        { event: 'metrics_refused' },
        'Refused a scrape of /metrics: no valid METRICS_TOKEN bearer token.',
      );
      res.writeHead(401, { 'www-authenticate': 'Bearer realm="metrics"', 'cache-control': 'no-store' });
      res.end();
      return;
    }
    void options
      .refreshQueue()
      .then(() => options.metrics.registry.metrics())
      .then(
        (text) => {
          res.writeHead(200, { 'content-type': options.metrics.registry.contentType, 'cache-control': 'no-store' });
          res.end(text);
        },
        (error: unknown) => {
          options.log.error({ err: error }, 'Could not produce /metrics');
          res.writeHead(500);
          res.end();
        },
      );
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function authorized(header: string | undefined, expected: Buffer): boolean {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
  // Hashed even when absent, so a missing header takes as long as a wrong one.
  return timingSafeEqual(digest(match?.[1] ?? ''), expected) && match !== null;
}
