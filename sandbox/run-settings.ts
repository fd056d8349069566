/** `npm run sandbox -- [flags]`: flags win over SANDBOX_* environment variables, which win over defaults. */
import { parseArgs } from 'node:util';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);

const settingsSchema = z.object({
  slackPort: port.default(4010),
  flexPort: port.default(4020),
  taskRouterPort: port.default(4030),
  /** The port the app will listen on: printed as PORT, and where sandbox:send posts. */
  appPort: port.default(3000),
  envFile: z.string().min(1).optional(),
  databaseUrl: z.string().min(1).default('file:./data/sandbox.db'),
  /** Leave the database alone (no migrations, no categories or people). */
  seedDatabase: z.boolean().default(true),
  /** No log line per request (the journal is still served at /_sandbox/calls). */
  quiet: z.boolean().default(false),
});

export type RunSettings = z.infer<typeof settingsSchema>;

export const RUN_USAGE = `npm run sandbox -- [--slack-port 4010] [--flex-port 4020] [--taskrouter-port 4030]
  [--app-port 3000] [--env-file .env.sandbox] [--database-url file:./data/sandbox.db] [--no-seed] [--quiet]
Environment: SANDBOX_SLACK_PORT, SANDBOX_FLEX_PORT, SANDBOX_TASKROUTER_PORT, SANDBOX_APP_PORT,
  SANDBOX_ENV_FILE, SANDBOX_DATABASE_URL.`;

/**
 * The npm scripts end in `--` so that Node 20 does not take our `--env-file` for its own (it reads that
 * flag even after the script's name); the separator itself is not an argument.
 */
export function scriptArgs(argv: string[]): string[] {
  return argv[0] === '--' ? argv.slice(1) : argv;
}

export function parseRunSettings(argv: string[], env: NodeJS.ProcessEnv): RunSettings | 'help' {
  const { values } = parseArgs({
    args: scriptArgs(argv),
    options: {
      'slack-port': { type: 'string' },
      'flex-port': { type: 'string' },
      'taskrouter-port': { type: 'string' },
      'app-port': { type: 'string' },
      'env-file': { type: 'string' },
      'database-url': { type: 'string' },
      'no-seed': { type: 'boolean' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  return settingsSchema.parse({
    slackPort: values['slack-port'] ?? env.SANDBOX_SLACK_PORT,
    flexPort: values['flex-port'] ?? env.SANDBOX_FLEX_PORT,
    taskRouterPort: values['taskrouter-port'] ?? env.SANDBOX_TASKROUTER_PORT,
    appPort: values['app-port'] ?? env.SANDBOX_APP_PORT,
    envFile: values['env-file'] ?? env.SANDBOX_ENV_FILE,
    databaseUrl: values['database-url'] ?? env.SANDBOX_DATABASE_URL,
    seedDatabase: !values['no-seed'],
    quiet: values.quiet,
  });
}
