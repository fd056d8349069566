import { existsSync } from 'node:fs';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '../../generated/prisma/client.js';
import { ensureDatabaseFolder, sqliteFilePath } from '../database-url.js';
import { DriverSql, registerDriverSql, rememberingConnection } from '../driver-sql.js';
import { PrismaBetterSqlite3Cached } from '../statement-cache.js';
import type { DatabaseDriver } from './database-driver.js';

/** How long a writer waits for another connection's lock before SQLite reports "busy". */
const BUSY_TIMEOUT_MS = 5_000;

export function sqliteAdapter(databaseUrl: string): PrismaBetterSqlite3 {
  const path = ensureDatabaseFolder(databaseUrl);
  return new PrismaBetterSqlite3({ url: path, timeout: BUSY_TIMEOUT_MS });
}

/** The embedded default: one file, one instance. */
export function sqliteDriver(databaseUrl: string): DatabaseDriver {
  return {
    provider: 'sqlite',
    schemaFile: 'prisma/schema.prisma',
    migrationsFolder: 'prisma/migrations',
    async open() {
      // The app's own connection keeps its compiled statements (migrations use the plain adapter).
      const { factory, connection } = rememberingConnection(
        new PrismaBetterSqlite3Cached({ url: ensureDatabaseFolder(databaseUrl), timeout: BUSY_TIMEOUT_MS }),
      );
      const prisma = new PrismaClient({ adapter: factory });
      registerDriverSql(prisma, new DriverSql(connection));
      // WAL lets readers (health checks, the CLI) run beside the app's writes.
      await prisma.$queryRawUnsafe('PRAGMA journal_mode = WAL');
      await prisma.$executeRawUnsafe('PRAGMA foreign_keys = ON');
      // In WAL mode NORMAL is durable across crashes of the app; only a power loss can take the last commits.
      await prisma.$executeRawUnsafe('PRAGMA synchronous = NORMAL');
      return prisma;
    },
    migrationAdapter: () => sqliteAdapter(databaseUrl),
    async appliedMigrations() {
      if (!existsSync(sqliteFilePath(databaseUrl))) return new Set();
      const adapter = await sqliteAdapter(databaseUrl).connect();
      try {
        const table = await adapter.queryRaw({
          sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'",
          args: [],
          argTypes: [],
        });
        if (table.rows.length === 0) return new Set();
        const done = await adapter.queryRaw({
          sql: 'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
          args: [],
          argTypes: [],
        });
        return new Set(done.rows.map((row) => String(row[0])));
      } finally {
        await adapter.dispose();
      }
    },
    // The engine itself locks the file exclusively while it migrates.
    withMigrationLock: (work) => work(),
    busyHint: (message) =>
      /SocketTimeout|SQLITE_BUSY|database is locked/i.test(message)
        ? 'another process (the running app?) has the database open, and migrations need it to themselves. Stop the app, run npm run db:migrate (or start the app, which migrates first), then start it again.'
        : undefined,
  };
}
