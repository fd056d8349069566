import type { Config } from '../config/config.js';
import { readQueueStats } from '../db/queue-stats.js';
import type { FlexClient } from '../flex/flex-client.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { PinoBoltLogger } from '../logging/bolt-logger.js';
import { type AppLogger, createLogger } from '../logging/logger.js';
import { DeliveryReporter } from '../observability/delivery-reporter.js';
import { instrumentFlex } from '../observability/flex-metrics.js';
import { AppMetrics } from '../observability/metrics.js';
import { METRICS_PATH, metricsHandler } from '../observability/metrics-route.js';
import type { SlackReceiverRoute } from '../slack/receiver/slack-receiver.js';
import type { SlackErrorListener } from '../slack/web-api-fetch.js';

/** Logs and metrics of one app instance, and the hooks the rest of the app reports through. */
export interface Observability {
  /** The app's pino logger, at LOG_LEVEL. */
  log: AppLogger;
  /** The same, in the shape Bolt and Slack's clients take; also what listeners get as `logger`. */
  logger: PinoBoltLogger;
  metrics: AppMetrics;
  /** Logs and counts every delivery attempt and every submission. */
  reporter: DeliveryReporter;
  /** GET /metrics, for our receiver. */
  route: SlackReceiverRoute;
  /** GET /metrics, for Bolt's customRoutes in Socket Mode. */
  customRoute: { path: string; method: string[]; handler: SlackReceiverRoute['handler'] };
  onSlackError: SlackErrorListener;
  onAcknowledged: (type: string, seconds: number) => void;
  /** The Flex client with its calls timed. */
  instrumentFlex(flex: FlexClient): FlexClient;
}

export function createObservability(deps: { config: Config; prisma: PrismaClient; log?: AppLogger }): Observability {
  const { config } = deps;
  const log = deps.log ?? createLogger(config.logging);
  log.level = config.logging.level;
  const metrics = new AppMetrics();
  const refreshQueue = async () => {
    try {
      metrics.setQueue(await readQueueStats(deps.prisma), new Date());
    } catch (error) {
      metrics.setQueue(undefined, new Date());
      log.warn({ err: error }, 'The queue gauges of /metrics could not be read from the database');
    }
  };
  const handler = metricsHandler({ metrics, token: config.metrics.token, refreshQueue, log });
  return {
    log,
    logger: new PinoBoltLogger(log),
    metrics,
    reporter: new DeliveryReporter(log, metrics),
    route: { method: 'GET', path: METRICS_PATH, handler },
    customRoute: { path: METRICS_PATH, method: ['GET'], handler },
    onSlackError: (method, error) => metrics.slackApiErrors.inc({ method, error }),
    onAcknowledged: (type, seconds) => metrics.slackAck.observe({ type }, seconds),
    instrumentFlex: (flex) => instrumentFlex(flex, metrics),
  };
}
