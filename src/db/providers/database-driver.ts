import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { DatabaseProvider } from '../database-url.js';

/** What differs between the two databases the app runs on; everything else is shared. */
export interface DatabaseDriver {
  provider: DatabaseProvider;
  /** The Prisma schema and migration history of this provider, relative to the project root. */
  schemaFile: string;
  migrationsFolder: string;
  /** A ready Prisma client. Both providers' clients have one API; the app types them as one. */
  open(): Promise<PrismaClient>;
  /** A driver adapter factory for the schema engine (migrations, diffs). */
  migrationAdapter(): SqlMigrationAwareDriverAdapterFactory;
  /** Names of the migrations finished in this database (empty when it has none), read without locking. */
  appliedMigrations(): Promise<Set<string>>;
  /** Runs `work` while no other process migrates the same database. */
  withMigrationLock<T>(work: () => Promise<T>): Promise<T>;
  /** Text for an engine error that means another process holds the database. */
  busyHint(message: string): string | undefined;
}
