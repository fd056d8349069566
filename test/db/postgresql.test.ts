import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { applyMigrations, diffMigrationsToSchema, isEmptyDiff } from '../../src/db/migrate.js';
import { isDatabaseReachable, openDatabase } from '../../src/db/prisma-client.js';
import { postgresSchemaFrom } from '../../src/db/schema-variants.js';
import { createScratchPostgres, type ScratchPostgres } from '../helpers/postgres.js';

const folders = (path: string) =>
  readdirSync(path, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();

describe('PostgreSQL: one schema source, two migration histories in step', () => {
  it('prisma/postgresql/schema.prisma is exactly what npm run db:schemas makes of prisma/schema.prisma', () => {
    assert.equal(
      readFileSync('prisma/postgresql/schema.prisma', 'utf8'),
      postgresSchemaFrom(readFileSync('prisma/schema.prisma', 'utf8')),
      'run npm run db:schemas',
    );
  });

  it('has a PostgreSQL migration for every SQLite migration, under the same name', () => {
    assert.deepEqual(folders('prisma/postgresql/migrations'), folders('prisma/migrations'));
    assert.match(readFileSync('prisma/postgresql/migrations/migration_lock.toml', 'utf8'), /provider = "postgresql"/);
  });

  it('migrations produce exactly the schema: the diff, replayed in a scratch database, is empty', async () => {
    const scratch = await createScratchPostgres();
    try {
      const script = await diffMigrationsToSchema({ databaseUrl: scratch.url });
      assert.ok(isEmptyDiff(script), `schema.prisma has changes no PostgreSQL migration holds:\n${script}`);
    } finally {
      await scratch.drop();
    }
    // The scratch database the engine made is gone too.
    const client = new pg.Client({ connectionString: scratch.url.replace(/\/[^/]+$/, '/postgres') });
    await client.connect();
    try {
      const left = await client.query("SELECT datname FROM pg_database WHERE datname LIKE 'flex_qm_shadow_%'");
      assert.equal(left.rowCount, 0);
    } finally {
      await client.end();
    }
  });
});

describe('PostgreSQL: migrating', () => {
  let scratch: ScratchPostgres;
  before(async () => {
    scratch = await createScratchPostgres();
  });
  after(async () => scratch.drop());

  it('three instances starting at once on an empty database: one migrates, the others find nothing left', async () => {
    const results = await Promise.all([1, 2, 3].map(() => applyMigrations({ databaseUrl: scratch.url })));
    const applied = results.flatMap((result) => result.applied).sort();
    assert.deepEqual(applied, folders('prisma/postgresql/migrations'));
    assert.deepEqual((await applyMigrations({ databaseUrl: scratch.url })).applied, []);

    const prisma = await openDatabase(scratch.url);
    try {
      const rows = await prisma.$queryRawUnsafe<Array<{ migration_name: string; finished_at: Date; checksum: string }>>(
        'SELECT migration_name, finished_at, checksum FROM _prisma_migrations ORDER BY migration_name',
      );
      assert.deepEqual(
        rows.map((row) => row.migration_name),
        folders('prisma/postgresql/migrations'),
      );
      for (const row of rows) {
        assert.ok(row.finished_at instanceof Date, 'row.finished_at instanceof Date');
        assert.match(row.checksum, /^[0-9a-f]{64}$/);
      }
      await prisma.category.create({ data: { id: 'c1', name: 'Good for Training' } });
      assert.equal(await prisma.category.count(), 1);
      assert.equal(await isDatabaseReachable(prisma), true);
    } finally {
      await prisma.$disconnect();
    }
  });

  it('names the problem when the server is not there', async () => {
    await assert.rejects(applyMigrations({ databaseUrl: 'postgresql://postgres@127.0.0.1:1/nothing' }), /ECONNREFUSED/);
  });
});
