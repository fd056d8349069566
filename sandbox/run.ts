// `npm run sandbox`: the fake Slack, Flex and TaskRouter APIs on fixed loopback ports, seeded with one
// coherent world, for running the real app (`npm start`) against them by hand; see docs/development.md "The sandbox in detail".
import { writeFileSync } from 'node:fs';
import { applyMigrations } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/prisma-client.js';
import { seedDatabase } from '../test/helpers/seed-database.js';
import type { Fakes } from '../test/helpers/start-fakes.js';
import { envFileText, sandboxAppEnv } from './app-env.js';
import { Journal } from './journal.js';
import { parseRunSettings, RUN_USAGE } from './run-settings.js';
import { startSandboxFakes } from './sandbox-fakes.js';
import { SANDBOX_WORLD } from './world.js';
import { worldGuide } from './world-guide.js';

const settings = parseRunSettings(process.argv.slice(2), process.env);
if (settings === 'help') {
  console.log(RUN_USAGE);
  process.exit(0);
}

const journal = new Journal(settings.quiet ? undefined : (line) => console.log(line));
let started: Fakes;
try {
  started = await startSandboxFakes(journal, {
    slack: settings.slackPort,
    flex: settings.flexPort,
    taskRouter: settings.taskRouterPort,
  });
} catch (error) {
  const taken = (error as { code?: string }).code === 'EADDRINUSE';
  console.error(
    taken
      ? `A port the sandbox wants is taken (${String(error)}); choose others with --slack-port, --flex-port, --taskrouter-port.`
      : `The sandbox could not start: ${String(error)}`,
  );
  process.exit(1);
}

if (settings.seedDatabase) {
  await applyMigrations({ databaseUrl: settings.databaseUrl });
  const prisma = await openDatabase(settings.databaseUrl);
  await seedDatabase(prisma, SANDBOX_WORLD);
  await prisma.$disconnect();
}

const env = sandboxAppEnv(started, settings);
const envText = envFileText(env);
if (settings.envFile) writeFileSync(settings.envFile, envText, { mode: 0o600 });

console.log(worldGuide(settings.seedDatabase ? settings.databaseUrl : undefined, settings.envFile));
console.log(
  settings.envFile ? `Settings for the app (also written to ${settings.envFile}):\n` : 'Settings for the app:\n',
);
console.log(envText);
console.log(
  `Sandbox ready: Slack ${started.slack.baseUrl}, Flex ${started.flex.baseUrl}, TaskRouter ${started.taskRouter?.baseUrl}. ` +
    `What reached them: GET <fake>/_sandbox/calls. Ctrl-C stops it.\n`,
);

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping the sandbox.`);
  started.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('Stopping the sandbox failed:', error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
