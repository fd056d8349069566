import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';

export type DatabaseProvider = 'sqlite' | 'postgresql';

/** Which database a DATABASE_URL names: `file:` is SQLite, `postgres://` / `postgresql://` PostgreSQL. */
export function databaseProvider(databaseUrl: string): DatabaseProvider {
  if (databaseUrl.startsWith('file:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//i.test(databaseUrl)) return 'postgresql';
  throw new Error(
    `DATABASE_URL must be an SQLite file: URL such as file:./data/flex-qm.db or a PostgreSQL URL such as postgresql://user:password@host:5432/flex_qm (got ${databaseUrl.split(':')[0]}:…)`,
  );
}

/** The file an SQLite `file:` URL names, resolved against the working folder as Prisma does. */
export function sqliteFilePath(databaseUrl: string): string {
  if (databaseProvider(databaseUrl) !== 'sqlite') throw new Error('Not an SQLite URL.');
  const path = databaseUrl.slice('file:'.length).replace(/\?.*$/, '');
  return isAbsolute(path) ? path : resolve(process.cwd(), path);
}

/**
 * Creates the database file's folder, so a fresh deploy needs nothing made by hand, and the file itself,
 * readable by this user alone (0600; a new folder 0700): it holds people's emails and comments. SQLite
 * gives its -wal and -shm files the database file's mode (https://www.sqlite.org/tempfiles.html; os_unix.c
 * findCreateFileMode). A file that exists keeps the mode it has.
 */
export function ensureDatabaseFolder(databaseUrl: string): string {
  const path = sqliteFilePath(databaseUrl);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    closeSync(openSync(path, 'wx', 0o600));
    // The process's umask may have taken bits from 0600 but never adds any; set it exactly.
    chmodSync(path, 0o600);
  } catch (error) {
    if (!(error && typeof error === 'object' && 'code' in error && error.code === 'EEXIST')) throw error;
  }
  return path;
}

/** How to reach a PostgreSQL database, read from its URL the way Prisma reads one. */
export interface PostgresTarget {
  host: string;
  port: number;
  user: string | undefined;
  password: string | undefined;
  database: string;
  /** Prisma's `?schema=` (default public). */
  schema: string;
  /** Prisma's `?connection_limit=`: connections in this instance's pool. */
  poolSize: number;
  /** `?sslmode=require|verify-full|no-verify|disable` (libpq's names); absent means no TLS. */
  ssl: false | { rejectUnauthorized: boolean };
  /** `?connect_timeout=` in seconds. */
  connectTimeoutMs: number;
}

export const DEFAULT_POOL_SIZE = 16;

/**
 * Parses a PostgreSQL URL into separate fields. The fields, not the URL, go to `pg`: the migration
 * engine opens a scratch ("shadow") database by overriding `database`, which a connection string would
 * silently win over, and the scratch work would then land in the real database.
 */
export function postgresTarget(databaseUrl: string): PostgresTarget {
  if (databaseProvider(databaseUrl) !== 'postgresql') throw new Error('Not a PostgreSQL URL.');
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new Error('DATABASE_URL is not a valid URL: postgresql://user:password@host:5432/database');
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (database === '') throw new Error('DATABASE_URL names no database: postgresql://user:password@host:5432/DATABASE');
  const params = url.searchParams;
  const number = (name: string, fallback: number, min: number, max: number): number => {
    const raw = params.get(name);
    if (raw === null) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`DATABASE_URL ${name} must be a whole number from ${min} to ${max} (got ${raw})`);
    }
    return value;
  };
  const sslmode = params.get('sslmode') ?? 'disable';
  const ssl = sslModes[sslmode];
  if (ssl === undefined) {
    throw new Error(`DATABASE_URL sslmode must be one of ${Object.keys(sslModes).join(', ')} (got ${sslmode})`);
  }
  return {
    host: decodeURIComponent(url.hostname) || 'localhost',
    port: url.port === '' ? 5432 : Number(url.port),
    user: url.username === '' ? undefined : decodeURIComponent(url.username),
    password: url.password === '' ? undefined : decodeURIComponent(url.password),
    database,
    schema: params.get('schema') ?? 'public',
    poolSize: number('connection_limit', DEFAULT_POOL_SIZE, 1, 1000),
    ssl,
    connectTimeoutMs: number('connect_timeout', 10, 0, 600) * 1000,
  };
}

const sslModes: Record<string, PostgresTarget['ssl']> = {
  disable: false,
  prefer: { rejectUnauthorized: false },
  'no-verify': { rejectUnauthorized: false },
  require: { rejectUnauthorized: false },
  'verify-ca': { rejectUnauthorized: true },
  'verify-full': { rejectUnauthorized: true },
};

/** The URL with its password hidden, for messages and logs. */
export function redactDatabaseUrl(databaseUrl: string): string {
  return databaseUrl.replace(/^(postgres(?:ql)?:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}
