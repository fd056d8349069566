import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '../generated/prisma/client.js';
import { withTimeout } from '../support/with-timeout.js';
import { ensureDatabaseFolder } from './database-url.js';
import { PrismaBetterSqlite3Cached } from './statement-cache.js';

/** How long a writer waits for another connection's lock before SQLite reports "busy". */
const BUSY_TIMEOUT_MS = 5_000;

export function sqliteAdapter(databaseUrl: string): PrismaBetterSqlite3 {
  const path = ensureDatabaseFolder(databaseUrl);
  return new PrismaBetterSqlite3({ url: path, timeout: BUSY_TIMEOUT_MS });
}

/** Opens the database; WAL lets readers (health checks, the CLI) run beside the app's writes. */
export async function openDatabase(databaseUrl: string): Promise<PrismaClient> {
  // The app's own connection keeps its compiled statements (migrations use the plain adapter).
  const prisma = new PrismaClient({
    adapter: new PrismaBetterSqlite3Cached({ url: ensureDatabaseFolder(databaseUrl), timeout: BUSY_TIMEOUT_MS }),
  });
  await prisma.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  await prisma.$executeRawUnsafe('PRAGMA foreign_keys = ON');
  // In WAL mode NORMAL is durable across crashes of the app; only a power loss can take the last commits.
  await prisma.$executeRawUnsafe('PRAGMA synchronous = NORMAL');
  return prisma;
}

/** True when the database answers a trivial query in time; never throws (it backs /healthz). */
export async function isDatabaseReachable(prisma: PrismaClient, timeoutMs = 1_000): Promise<boolean> {
  try {
    await withTimeout(prisma.$queryRawUnsafe('SELECT 1'), timeoutMs, 'database health check');
    return true;
  } catch {
    return false;
  }
}
