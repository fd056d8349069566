// `npm run try`: the app against the sandbox's fakes on a throwaway database, and a page on loopback that
// plays Slack for the sandbox's people. Ctrl-C (or SIGTERM) stops it all and removes the database.
// See docs/try.md.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { scriptArgs } from '../run-settings.js';
import { startTry, type TryRun } from './start-try.js';

const USAGE = `npm run try [-- --port 4000]
  Starts the fakes of Slack, Flex and TaskRouter, the app on a throwaway SQLite database, and a page on
  http://127.0.0.1:PORT/ that plays Slack for the sandbox's people. Environment: TRY_PORT. Ctrl-C stops it.`;

const { values } = parseArgs({
  args: scriptArgs(process.argv.slice(2)),
  options: { port: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const port = z.coerce
  .number()
  .int()
  .min(0)
  .max(65535)
  .parse(values.port ?? process.env.TRY_PORT ?? 4000);

let run: TryRun | undefined;
let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  // Still starting: stopped once started (or once the start fails), below.
  if (!run) return;
  console.log(`${signal}: stopping the page, the app and the fakes, and removing the throwaway database.`);
  run.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('Stopping failed:', error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));

try {
  run = await startTry({ port, say: (line) => console.log(line) });
} catch (error) {
  if (stopping) process.exit(0);
  const taken = (error as { code?: string }).code === 'EADDRINUSE';
  console.error(
    taken
      ? `Port ${port} is taken; choose another with npm run try -- --port N (or TRY_PORT).`
      : `npm run try could not start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
}
if (stopping) {
  await run.close();
  process.exit(0);
}
run.app.exited.then((code) => {
  if (!stopping) {
    console.error(
      `The app stopped on its own (exit code ${code}); the page's App log tab shows why. Ctrl-C stops the rest.`,
    );
  }
});
console.log(
  [
    '',
    `Flex QM is running against local fakes of Slack, Flex and TaskRouter. Open the page that plays Slack:`,
    '',
    `  ${run.url}`,
    '',
    `Fake Flex ${run.fakes.flex.baseUrl} (GET /_sandbox/comments), fake Slack ${run.fakes.slack.baseUrl}, app ${run.app.baseUrl}.`,
    'Nothing leaves this machine. Ctrl-C stops it all.',
    '',
  ].join('\n'),
);
