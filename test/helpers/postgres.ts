import { randomUUID } from 'node:crypto';
import pg from 'pg';

/**
 * The machine's own PostgreSQL server, where tests look first: 127.0.0.1:5432 as `postgres` with trust auth
 * (PGHOST, PGPORT and PGUSER move it).
 */
export const LOCAL_POSTGRES_URL = (() => {
  const host = process.env.PGHOST && !process.env.PGHOST.startsWith('/') ? process.env.PGHOST : '127.0.0.1';
  const url = new URL(`postgresql://${host}:${process.env.PGPORT || '5432'}/postgres`);
  url.username = process.env.PGUSER || 'postgres';
  return url.toString();
})();

/** The server named by TEST_POSTGRES_URL, else the local one (the benchmark's default). */
export const POSTGRES_SERVER_URL = process.env.TEST_POSTGRES_URL || LOCAL_POSTGRES_URL;

/**
 * Set by `scripts/test.ts` for the test files it runs: where to ask for the run's PostgreSQL server (the
 * local one when it answers, else a throwaway one it starts on the first ask and stops when the run ends).
 */
export const POSTGRES_BROKER_ENV = 'TEST_POSTGRES_BROKER';

let serverUrl: Promise<string> | undefined;

/**
 * The PostgreSQL server this test process uses: TEST_POSTGRES_URL; else the run's server when started by
 * `npm test` (scripts/test.ts); else the local one.
 */
export function testPostgresServer(): Promise<string> {
  serverUrl ??= (async () => {
    if (process.env.TEST_POSTGRES_URL) return process.env.TEST_POSTGRES_URL;
    const broker = process.env[POSTGRES_BROKER_ENV];
    if (!broker) return LOCAL_POSTGRES_URL;
    const response = await fetch(broker);
    const body = await response.text();
    if (!response.ok) throw new Error(body);
    return body;
  })();
  return serverUrl;
}

export interface ScratchPostgres {
  url: string;
  name: string;
  drop(): Promise<void>;
}

async function onServer<T>(server: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  // A server that is not there fails in seconds, not after the OS's connect timeout.
  const client = new pg.Client({ connectionString: server, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Says what to do when the server the test process was given does not answer. */
function unreachable(server: string, error: unknown): Error {
  const where = new URL(server).host;
  const cause = error instanceof Error ? error.message || error.name : String(error);
  const how = process.env.TEST_POSTGRES_URL
    ? 'TEST_POSTGRES_URL names it: start it, or unset TEST_POSTGRES_URL.'
    : 'Run the file through `npm run test:only -- <file>`, which starts a throwaway PostgreSQL when none ' +
      'answers, or set TEST_POSTGRES_URL to a server this test may create databases on.';
  return new Error(`No PostgreSQL server answered at ${where} (${cause}). ${how}`, { cause: error });
}

/**
 * A new, empty database on the server (by default the test process's, see testPostgresServer), and a way
 * to drop it (closing whoever still uses it).
 */
export async function createScratchPostgres(server?: string): Promise<ScratchPostgres> {
  const on = server ?? (await testPostgresServer());
  const name = `flex_qm_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  try {
    await onServer(on, (client) => client.query(`CREATE DATABASE "${name}"`));
  } catch (error) {
    if (error instanceof Error && 'code' in error && typeof error.code === 'string' && /^[0-9A-Z]{5}$/.test(error.code))
      throw error; // the server answered: an SQL error, not a missing server
    throw unreachable(on, error);
  }
  const url = new URL(on);
  url.pathname = `/${name}`;
  // Pools wait up to 10 s for a connection by default; a loaded machine running files in parallel can
  // take longer, which is not what any test is about.
  if (!url.searchParams.has('connect_timeout')) url.searchParams.set('connect_timeout', '60');
  return {
    url: url.toString(),
    name,
    drop: () =>
      onServer(on, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}
