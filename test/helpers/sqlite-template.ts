import { applyMigrations } from '../../src/db/migrate.js';

/**
 * Set by `scripts/test.ts`: a SQLite file it migrated once for the run. A test's fresh SQLite database is
 * a copy of it (test-app.ts), a few milliseconds instead of half a second of CPU for the schema engine;
 * test/db/migrations.test.ts tests the migrations themselves.
 */
export const SQLITE_TEMPLATE_ENV = 'TEST_SQLITE_TEMPLATE';

/** Makes the run's template: a SQLite database at `file` with every committed migration applied. */
export async function makeSqliteTemplate(file: string): Promise<void> {
  await applyMigrations({ databaseUrl: `file:${file}` });
}
