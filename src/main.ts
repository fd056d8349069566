import { createQmApp } from './app.js';
import { ConfigError, loadConfig } from './config/config.js';
import { readEnvFile } from './config/env-file.js';
import { applyMigrations } from './db/migrate.js';
import { openDatabase } from './db/prisma-client.js';
import { createFlexClient } from './flex/flex-client.js';
import { createLogger } from './logging/logger.js';

const SHUTDOWN_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  const config = loadConfig(readEnvFile());
  const log = createLogger(config.logging);
  log.info({ event: 'starting', version: process.env.npm_package_version, node: process.version }, 'Starting');
  const { applied } = await applyMigrations({ databaseUrl: config.databaseUrl });
  log.info(
    { event: 'migrations', applied },
    applied.length > 0 ? `Applied database migrations: ${applied.join(', ')}` : 'Database schema is up to date',
  );
  const prisma = await openDatabase(config.databaseUrl);
  const flex = createFlexClient({
    baseUrl: config.flex.baseUrl,
    credentials: { username: config.flex.username, password: config.flex.password },
    timeoutMs: config.flex.timeoutMs,
  });
  const app = createQmApp({ config, prisma, flex, log });
  const { port } = await app.start();
  log.info(
    {
      event: 'started',
      port,
      mode: config.slack.appToken ? 'socket' : 'http',
      metricsProtected: Boolean(config.metrics.token),
    },
    config.slack.appToken
      ? `Flex QM for Slack is running in Socket Mode; health at http://localhost:${port}/healthz`
      : `Flex QM for Slack is listening on port ${port} (Slack requests at /slack/events, health at /healthz${config.slack.oauth ? ', installs at /slack/install' : ''})`,
  );

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ event: 'stopping', signal }, `${signal} received: finishing work under way, then stopping.`);
    app
      .stop(SHUTDOWN_DEADLINE_MS)
      .then(() => flex.close())
      .then(() => prisma.$disconnect())
      .then(
        () => {
          log.info({ event: 'stopped' }, 'Stopped');
          process.exit(0);
        },
        (error: unknown) => {
          log.error({ err: error, event: 'stop_failed' }, 'Stopping failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('Flex QM for Slack could not start:', error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
