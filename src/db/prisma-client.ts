import type { PrismaClient } from '../generated/prisma/client.js';
import { withTimeout } from '../support/with-timeout.js';
import { databaseDriver } from './providers/index.js';

export { sqliteAdapter } from './providers/sqlite-driver.js';

/** Opens the database DATABASE_URL names: SQLite (`file:`) or PostgreSQL (`postgresql://`). */
export async function openDatabase(databaseUrl: string): Promise<PrismaClient> {
  return (await databaseDriver(databaseUrl)).open();
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
