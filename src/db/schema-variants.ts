/**
 * One schema source, two databases. `prisma/schema.prisma` (SQLite, the embedded default) is the file
 * people edit; `prisma/postgresql/schema.prisma` is derived from it by changing only the datasource's
 * provider and the generated client's folder, so both databases hold the same models, always.
 */
export const POSTGRES_SCHEMA_HEADER = [
  '// GENERATED from ../schema.prisma by `npm run db:schemas`: do not edit. Change ../schema.prisma, then',
  '// run `npm run db:schemas` and `npm run db:migration:create -- NAME` (it writes both migration folders).',
  '',
].join('\n');

const SQLITE_PROVIDER = /(datasource\s+db\s*\{[^}]*?provider\s*=\s*)"sqlite"/;
const CLIENT_OUTPUT = /(generator\s+client\s*\{[^}]*?output\s*=\s*)"\.\.\/src\/generated\/prisma"/;

/** The PostgreSQL schema for a given SQLite schema text; throws if the text is not shaped as expected. */
export function postgresSchemaFrom(sqliteSchema: string): string {
  if (!SQLITE_PROVIDER.test(sqliteSchema)) {
    throw new Error('prisma/schema.prisma must keep `datasource db { provider = "sqlite" }`.');
  }
  if (!CLIENT_OUTPUT.test(sqliteSchema)) {
    throw new Error('prisma/schema.prisma must keep `generator client { output = "../src/generated/prisma" }`.');
  }
  return (
    POSTGRES_SCHEMA_HEADER +
    sqliteSchema
      .replace(SQLITE_PROVIDER, '$1"postgresql"')
      // One folder deeper, and a client of its own: the SQL a Prisma client writes is per provider.
      .replace(CLIENT_OUTPUT, '$1"../../src/generated/prisma-postgresql"')
  );
}
