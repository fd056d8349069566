import { createQmApp } from './app.js';
import { ConfigError, loadConfig } from './config/config.js';
import { readEnvFile } from './config/env-file.js';
import { loadStartupSettings } from './config/startup-settings.js';
import { applyMigrations } from './db/migrate.js';
import { openDatabase } from './db/prisma-client.js';
import { createFlexClient } from './flex/flex-client.js';
import { ServiceStatus } from './health/service-status.js';
import { createLogger } from './logging/logger.js';
import { safeErrorMessage } from './logging/redaction.js';
import { runStartupChecks } from './startup/startup-checks.js';
import { StartupRefusal } from './startup/startup-refusal.js';

const SHUTDOWN_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  const env = readEnvFile();
  const settings = loadConfig(env);
  const startup = loadStartupSettings(env);
  const log = createLogger(settings.logging);
  log.info({ event: 'starting', version: process.env.npm_package_version, node: process.version }, 'Starting');
  const { applied } = await applyMigrations({ databaseUrl: settings.databaseUrl });
  log.info(
    { event: 'migrations', applied },
    applied.length > 0 ? `Applied database migrations: ${applied.join(', ')}` : 'Database schema is up to date',
  );
  const prisma = await openDatabase(settings.databaseUrl);
  const flex = createFlexClient({
    baseUrl: settings.flex.baseUrl,
    credentials: { username: settings.flex.username, password: settings.flex.password },
    timeoutMs: settings.flex.timeoutMs,
  });
  const serviceStatus = new ServiceStatus();
  // A refusal (wrong token or credentials, a SECRETS_KEY that opens nothing) stops here, before listening.
  const config = await runStartupChecks({
    config: settings,
    prisma,
    flex,
    status: serviceStatus,
    settings: startup,
    log,
  });
  const app = createQmApp({ config, prisma, flex, log, serviceStatus });
  const { port } = await app.start();
  log.info(
    {
      event: 'started',
      port,
      mode: config.slack.appToken ? 'socket' : 'http',
      metricsProtected: Boolean(config.metrics.token),
    },
    config.slack.appToken
      ? `Flex QM for Slack is running in Socket Mode; health at http://localhost:${port}/healthz and /readyz`
      : `Flex QM for Slack is listening on port ${port} (Slack requests at /slack/events, health at /healthz and /readyz${config.slack.oauth ? ', installs at /slack/install' : ''})`,
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
  if (error instanceof ConfigError || error instanceof StartupRefusal) {
    console.error(error.message);
  } else {
    console.error('Flex QM for Slack could not start:', safeErrorMessage(error));
  }
  process.exit(1);
});
