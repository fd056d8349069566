import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MigrationList } from '@prisma/schema-engine-wasm/schema_engine_bg';
import { sqliteFilePath } from './database-url.js';
import { sqliteAdapter } from './prisma-client.js';
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

export function defaultMigrationPaths(): Required<MigrationPaths> {
  const root = projectRoot();
  return { migrationsDir: join(root, 'prisma', 'migrations'), schemaPath: join(root, 'prisma', 'schema.prisma') };
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
 * `_prisma_migrations` as `prisma migrate deploy` does. Safe to run at every start.
 */
export async function applyMigrations(
  options: { databaseUrl: string; log?: (line: string) => void } & MigrationPaths,
): Promise<{ applied: string[] }> {
  const paths = { ...defaultMigrationPaths(), ...options };
  const migrations = readMigrations(paths.migrationsDir);
  // The engine locks the whole database while it works (as `prisma migrate deploy` does), which
  // fails while the app has it open; an up-to-date database needs no engine at all.
  const pending = await pendingMigrationNames(options.databaseUrl, migrations);
  if (pending.length === 0) return { applied: [] };
  try {
    const output = await withSchemaEngine(
      readSchema(paths.schemaPath),
      sqliteAdapter(options.databaseUrl),
      (engine) => engine.applyMigrations({ migrationsList: migrations, filters: NO_FILTERS }),
      options.log,
    );
    return { applied: output.appliedMigrationNames };
  } catch (error) {
    if (/SocketTimeout|SQLITE_BUSY|database is locked/i.test(engineMessage(error))) {
      throw new Error(
        `Could not apply the migrations ${pending.join(', ')}: another process (the running app?) has the database open, and migrations need it to themselves. Stop the app, run npm run db:migrate (or start the app, which migrates first), then start it again.`,
      );
    }
    throw new Error(
      `Could not bring the database up to date: ${engineMessage(error)}\nCheck that DATABASE_URL points at this app's database and that prisma/migrations is as released; change the schema only through new migrations (npm run db:migration:create -- NAME).`,
    );
  }
}

/** Committed migrations the database has not finished, read without taking any lock. */
export async function pendingMigrationNames(databaseUrl: string, migrations: MigrationList): Promise<string[]> {
  const names = migrations.migrationDirectories.map((directory) => directory.path);
  if (!existsSync(sqliteFilePath(databaseUrl))) return names;
  const adapter = await sqliteAdapter(databaseUrl).connect();
  try {
    const table = await adapter.queryRaw({
      sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'",
      args: [],
      argTypes: [],
    });
    if (table.rows.length === 0) return names;
    const done = await adapter.queryRaw({
      sql: 'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
      args: [],
      argTypes: [],
    });
    const applied = new Set(done.rows.map((row) => String(row[0])));
    return names.filter((name) => !applied.has(name));
  } finally {
    await adapter.dispose();
  }
}

/** The SQL that would turn what the migrations build into what the schema says; empty when they agree. */
export async function diffMigrationsToSchema(options: MigrationPaths & { databaseUrl: string }): Promise<string> {
  const paths = { ...defaultMigrationPaths(), ...options };
  const schema = readSchema(paths.schemaPath);
  return withSchemaEngine(schema, sqliteAdapter(options.databaseUrl), async (engine) => {
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
 * Writes nothing: returns the folder name and SQL of a new migration, or undefined when nothing changed.
 * (The engine's own createMigration wants a shadow database the WebAssembly build cannot open for
 * SQLite; the diff from the migrations to the schema is the same script.)
 */
export async function planMigration(
  name: string,
  options: MigrationPaths & { databaseUrl: string },
  now: Date = new Date(),
): Promise<{ directory: string; script: string } | undefined> {
  const script = await diffMigrationsToSchema(options);
  if (isEmptyDiff(script)) return undefined;
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return { directory: `${stamp}_${name}`, script };
}

function engineMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  return JSON.stringify(error);
}
