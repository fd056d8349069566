import { mkdirSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';

/** The file an SQLite `file:` URL names, resolved against the working folder as Prisma does. */
export function sqliteFilePath(databaseUrl: string): string {
  if (!databaseUrl.startsWith('file:')) {
    throw new Error(
      `DATABASE_URL must be an SQLite file: URL such as file:./data/flex-qm.db (got ${databaseUrl.split(':')[0]}:…)`,
    );
  }
  const path = databaseUrl.slice('file:'.length).replace(/\?.*$/, '');
  return isAbsolute(path) ? path : resolve(process.cwd(), path);
}

/** Creates the database file's folder, so a fresh deploy needs nothing made by hand. */
export function ensureDatabaseFolder(databaseUrl: string): string {
  const path = sqliteFilePath(databaseUrl);
  mkdirSync(dirname(path), { recursive: true });
  return path;
}
