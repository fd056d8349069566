import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MigrationList } from '@prisma/schema-engine-wasm/schema_engine_bg';
import { type DatabaseDriver, databaseDriver } from './providers/index.js';
import { type SchemaFile, withSchemaEngine } from './schema-engine.js';

/** The repository root, from this module's place in src/db (tsx) or dist/src/db (built). */
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'prisma', 'schema.prisma'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Cannot find prisma/schema.prisma above the app’s code.');
    dir = parent;
  }
  return dir;
}

export interface MigrationPaths {
  migrationsDir?: string;
  schemaPath?: string;
}

/** The schema and migration history for this driver's database, unless the caller names others. */
function pathsFor(driver: DatabaseDriver, overrides: MigrationPaths): Required<MigrationPaths> {
  const root = projectRoot();
  return {
    migrationsDir: overrides.migrationsDir ?? join(root, driver.migrationsFolder),
    schemaPath: overrides.schemaPath ?? join(root, driver.schemaFile),
  };
}

function readSchema(schemaPath: string): SchemaFile {
  return { path: schemaPath, content: readFileSync(schemaPath, 'utf8') };
}

/** The committed migrations as the schema engine takes them, oldest first. */
export function readMigrations(migrationsDir: string): MigrationList {
  const baseDir = resolve(migrationsDir);
  const lockPath = join(baseDir, 'migration_lock.toml');
  const directories = existsSync(baseDir)
    ? readdirSync(baseDir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort()
    : [];
  return {
    baseDir,
    lockfile: { path: 'migration_lock.toml', content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: directories.map((name) => {
      const file = join(baseDir, name, 'migration.sql');
      return {
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: existsSync(file)
            ? { tag: 'ok', value: readFileSync(file, 'utf8') }
            : { tag: 'error', value: `${file} is missing` },
        },
      };
    }),
  };
}

const NO_FILTERS = { externalTables: [], externalEnums: [] };

/**
 * Applies the committed migrations that the database has not had yet, recording them in
 * `_prisma_migrations` as `prisma migrate deploy` does. Safe to run at every start, and from several
 * instances at once on PostgreSQL (one migrates, the others wait and find nothing left).
 */
export async function applyMigrations(
  options: { databaseUrl: string; log?: (line: string) => void } & MigrationPaths,
): Promise<{ applied: string[] }> {
  const driver = await databaseDriver(options.databaseUrl);
  const paths = pathsFor(driver, options);
  const migrations = readMigrations(paths.migrationsDir);
  const pendingNow = async () => {
    const applied = await driver.appliedMigrations();
    return migrations.migrationDirectories.map((directory) => directory.path).filter((name) => !applied.has(name));
  };
  // SQLite: the engine locks the whole file while it works (as `prisma migrate deploy` does), which
  // fails while the app has it open; an up-to-date database needs no engine, and no lock, at all.
  if ((await pendingNow()).length === 0) return { applied: [] };
  return driver.withMigrationLock(async () => {
    const pending = await pendingNow();
    if (pending.length === 0) return { applied: [] };
    try {
      const output = await withSchemaEngine(
        readSchema(paths.schemaPath),
        driver.migrationAdapter(),
        (engine) => engine.applyMigrations({ migrationsList: migrations, filters: NO_FILTERS }),
        options.log,
      );
      return { applied: output.appliedMigrationNames };
    } catch (error) {
      const busy = driver.busyHint(engineMessage(error));
      if (busy) throw new Error(`Could not apply the migrations ${pending.join(', ')}: ${busy}`);
      throw new Error(
        `Could not bring the database up to date: ${engineMessage(error)}\nCheck that DATABASE_URL points at this app's database and that ${driver.migrationsFolder} is as released; change the schema only through new migrations (npm run db:migration:create -- NAME).`,
      );
    }
  });
}

/** The SQL that would turn what the migrations build into what the schema says; empty when they agree. */
export async function diffMigrationsToSchema(options: MigrationPaths & { databaseUrl: string }): Promise<string> {
  const driver = await databaseDriver(options.databaseUrl);
  const paths = pathsFor(driver, options);
  const schema = readSchema(paths.schemaPath);
  // PostgreSQL replays the migrations into a scratch database the adapter creates and drops.
  return withSchemaEngine(schema, driver.migrationAdapter(), async (engine) => {
    const result = await engine.diff({
      from: { tag: 'migrations', ...readMigrations(paths.migrationsDir) },
      to: { tag: 'schemaDatamodel', files: [schema] },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    return result.stdout ?? '';
  });
}

/** True when a diff script holds no statement (the engine writes a comment for an empty diff). */
export function isEmptyDiff(script: string): boolean {
  return script
    .split('\n')
    .map((line) => line.trim())
    .every((line) => line === '' || line.startsWith('--'));
}

/**
 * Writes nothing: the SQL of a new migration for the database the URL names, or undefined when nothing
 * changed. (The engine's own createMigration wants a shadow database the WebAssembly build cannot open
 * for SQLite; the diff from the migrations to the schema is the same script.)
 */
export async function planMigration(options: MigrationPaths & { databaseUrl: string }): Promise<string | undefined> {
  const script = await diffMigrationsToSchema(options);
  return isEmptyDiff(script) ? undefined : script;
}

/** A migration folder name: a UTC timestamp, then the name, as Prisma names them. */
export function migrationDirectoryName(name: string, now: Date = new Date()): string {
  return `${now.toISOString().replace(/[-:T]/g, '').slice(0, 14)}_${name}`;
}

function engineMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  return JSON.stringify(error);
}
