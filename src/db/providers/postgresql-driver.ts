import { randomUUID } from 'node:crypto';
import type { PrismaPg } from '@prisma/adapter-pg';
import type pg from 'pg';
import type { PrismaClient } from '../../generated/prisma/client.js';
import { type PostgresTarget, postgresTarget } from '../database-url.js';
import { DriverSql, registerDriverSql, rememberingConnection } from '../driver-sql.js';
import type { DatabaseDriver } from './database-driver.js';

/** Any fixed number works, as long as every instance of the app uses the same one. */
const MIGRATION_LOCK_KEY = 7_316_734_201;

function poolConfig(target: PostgresTarget, poolSize: number): pg.PoolConfig {
  return {
    host: target.host,
    port: target.port,
    ...(target.user === undefined ? {} : { user: target.user }),
    ...(target.password === undefined ? {} : { password: target.password }),
    database: target.database,
    ssl: target.ssl,
    max: poolSize,
    connectionTimeoutMillis: target.connectTimeoutMs,
    application_name: 'flex-qm-slack',
    // DATABASE_URL's ?schema=: Prisma's client names it in its queries, but migrations' SQL and the
    // statements sent straight to the driver name tables alone, so they must resolve in that schema too.
    // (PostgreSQL splits `options` at spaces that are not escaped with a backslash.)
    options: `-c search_path=${quoteIdentifier(target.schema).replaceAll('\\', '\\\\').replaceAll(' ', '\\ ')}`,
  };
}

// Loaded only when DATABASE_URL is PostgreSQL: an SQLite install never pays for them in memory.
const loadPg = async () => (await import('pg')).default;
const loadAdapter = async () => (await import('@prisma/adapter-pg')).PrismaPg;
const loadClient = async () => (await import('../../generated/prisma-postgresql/client.js')).PrismaClient;

/** For teams that run several instances: they share one PostgreSQL database. */
export async function postgresqlDriver(databaseUrl: string): Promise<DatabaseDriver> {
  const target = postgresTarget(databaseUrl);
  const [pgModule, PrismaPgAdapter, PostgresPrismaClient] = await Promise.all([loadPg(), loadAdapter(), loadClient()]);
  const adapter = (poolSize: number): PrismaPg =>
    new PrismaPgAdapter(poolConfig(target, poolSize), { schema: target.schema });
  // The schema engine reads PostgreSQL's catalogues, whose one-byte `"char"` columns (relkind, contype…)
  // the adapter has no column type for; they are text, and the engine reads them as text.
  class CatalogueReadingClient extends pgModule.Client {
    constructor(config?: pg.ClientConfig) {
      super(config);
      const query = this.query.bind(this) as (...args: unknown[]) => unknown;
      this.query = ((...args: unknown[]) => {
        // The pool passes a callback; the adapter's own transactions await a promise.
        const last = args.at(-1);
        if (typeof last === 'function') {
          args[args.length - 1] = (error: unknown, result: unknown) => last(error, charColumnsAsText(result));
        }
        const result = query(...args);
        return result instanceof Promise ? result.then(charColumnsAsText) : result;
      }) as pg.Client['query'];
    }
  }
  const migrationPool = (database: string): pg.PoolConfig => ({
    ...poolConfig({ ...target, database }, 2),
    Client: CatalogueReadingClient,
  });
  const withClient = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pgModule.Client(poolConfig(target, 1));
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  return {
    provider: 'postgresql',
    schemaFile: 'prisma/postgresql/schema.prisma',
    migrationsFolder: 'prisma/postgresql/migrations',
    async open() {
      const { factory, connection } = rememberingConnection(adapter(target.poolSize));
      const client = new PostgresPrismaClient({ adapter: factory });
      await client.$connect();
      registerDriverSql(client as unknown as PrismaClient, new DriverSql(connection));
      // The PostgreSQL client is generated from the same models as the SQLite one (src/db/schema-variants.ts)
      // and has the same API; TypeScript cannot prove two generated declarations equal, so the app types
      // both as the SQLite client. test/db/postgresql.test.ts runs the repositories on this one.
      return client as unknown as PrismaClient;
    },
    migrationAdapter() {
      const main = new PrismaPgAdapter(migrationPool(target.database), { schema: target.schema });
      return {
        provider: main.provider,
        adapterName: main.adapterName,
        connect: () => main.connect(),
        // The adapter's own scratch database is dropped while its pool still holds a connection, which
        // PostgreSQL refuses; this one closes the pool first.
        async connectToShadowDb() {
          const name = `flex_qm_shadow_${randomUUID().replaceAll('-', '')}`;
          await withClient((client) => client.query(`CREATE DATABASE ${quoteIdentifier(name)}`));
          const shadow = await new PrismaPgAdapter(migrationPool(name), { schema: target.schema }).connect();
          const close = shadow.dispose.bind(shadow);
          let dropped: Promise<void> | undefined;
          shadow.dispose = () => {
            dropped ??= close().then(async () => {
              await withClient((client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)}`));
            });
            return dropped;
          };
          return shadow;
        },
      };
    },
    async appliedMigrations() {
      return withClient(async (client) => {
        const table = await client.query<{ name: string | null }>('SELECT to_regclass($1) AS name', [
          `${quoteIdentifier(target.schema)}._prisma_migrations`,
        ]);
        if (!table.rows[0]?.name) return new Set<string>();
        const done = await client.query<{ migration_name: string }>(
          `SELECT migration_name FROM ${quoteIdentifier(target.schema)}._prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
        );
        return new Set(done.rows.map((row) => row.migration_name));
      });
    },
    withMigrationLock(work) {
      // Several instances starting at once: the first migrates, the others wait and then find nothing to do.
      return withClient(async (client) => {
        await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
        try {
          return await work();
        } finally {
          await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
        }
      });
    },
    busyHint: () => undefined,
  };
}

/** PostgreSQL's internal one-byte `"char"` type. */
const CHAR_OID = 18;
const TEXT_OID = 25;

function charColumnsAsText(result: unknown): unknown {
  const fields = (result as { fields?: Array<{ dataTypeID: number }> } | undefined)?.fields;
  for (const field of fields ?? []) if (field.dataTypeID === CHAR_OID) field.dataTypeID = TEXT_OID;
  return result;
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
