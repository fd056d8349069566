import { randomUUID } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL server tests use (the machine's own; `.ci/run` starts it). A database is made per test. */
export const POSTGRES_SERVER_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

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

/** A new, empty database on the server, and a way to drop it (closing whoever still uses it). */
export async function createScratchPostgres(server = POSTGRES_SERVER_URL): Promise<ScratchPostgres> {
  const name = `flex_qm_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  await onServer(server, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () =>
      onServer(server, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}
