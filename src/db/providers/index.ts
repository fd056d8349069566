import { databaseProvider } from '../database-url.js';
import type { DatabaseDriver } from './database-driver.js';
import { postgresqlDriver } from './postgresql-driver.js';
import { sqliteDriver } from './sqlite-driver.js';

export type { DatabaseDriver } from './database-driver.js';

/** The driver for a DATABASE_URL: SQLite for `file:`, PostgreSQL for `postgresql://`. */
export async function databaseDriver(databaseUrl: string): Promise<DatabaseDriver> {
  return databaseProvider(databaseUrl) === 'postgresql' ? postgresqlDriver(databaseUrl) : sqliteDriver(databaseUrl);
}
