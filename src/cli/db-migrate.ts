// `npm run db:migrate`: applies the committed migrations to DATABASE_URL, as the app does at start.
import { loadDatabaseSettings } from '../config/config.js';
import { readEnvFile } from '../config/env-file.js';
import { applyMigrations } from '../db/migrate.js';
import { cliLogger } from './cli-support.js';

try {
  const env = readEnvFile();
  const { databaseUrl } = loadDatabaseSettings(env);
  const { applied } = await applyMigrations({ databaseUrl });
  console.log(applied.length > 0 ? `Applied migrations: ${applied.join(', ')}` : 'Database is up to date.');
  cliLogger(env, process.stderr).info(
    { event: 'migrations', applied },
    applied.length > 0 ? 'Applied database migrations' : 'Database is up to date',
  );
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
