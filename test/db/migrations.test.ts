import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { applyMigrations, diffMigrationsToSchema, isEmptyDiff } from '../../src/db/migrate.js';
import { isDatabaseReachable, openDatabase } from '../../src/db/prisma-client.js';

const dir = mkdtempSync(join(tmpdir(), 'flex-qm-migrations-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('database migrations', () => {
  it('produce exactly prisma/schema.prisma: the diff from the committed migrations is empty', async () => {
    const script = await diffMigrationsToSchema({ databaseUrl: `file:${join(dir, 'scratch.db')}` });
    assert.ok(isEmptyDiff(script), `schema.prisma has changes no migration holds:\n${script}`);
  });

  it('apply once, record themselves as prisma migrate deploy does, and are a no-op the second time', async () => {
    const databaseUrl = `file:${join(dir, 'nested', 'folder', 'app.db')}`;
    const folders = readdirSync('prisma/migrations', { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    assert.deepEqual((await applyMigrations({ databaseUrl })).applied, folders);
    assert.deepEqual((await applyMigrations({ databaseUrl })).applied, []);

    const prisma = await openDatabase(databaseUrl);
    try {
      const rows = await prisma.$queryRawUnsafe<
        Array<{ migration_name: string; finished_at: unknown; checksum: string }>
      >('SELECT migration_name, finished_at, checksum FROM _prisma_migrations ORDER BY migration_name');
      assert.deepEqual(
        rows.map((row) => row.migration_name),
        folders,
      );
      for (const row of rows) {
        assert.ok(row.finished_at, 'finished');
        assert.match(row.checksum, /^[0-9a-f]{64}$/);
      }
      const [journal] = await prisma.$queryRawUnsafe<Array<{ journal_mode: string }>>('PRAGMA journal_mode');
      assert.equal(journal?.journal_mode, 'wal');
      // The app's tables answer queries after migrating in the same process (no lock left behind).
      await prisma.category.create({ data: { id: 'c1', name: 'Good for Training' } });
      assert.equal(await prisma.category.count(), 1);
      assert.equal(await isDatabaseReachable(prisma), true);
    } finally {
      await prisma.$disconnect();
    }
  });

  it('leave a database the app has open alone when it is up to date, and say why when it is not', async () => {
    const databaseUrl = `file:${join(dir, 'busy.db')}`;
    await applyMigrations({ databaseUrl });
    const app = await openDatabase(databaseUrl);
    try {
      await app.category.count();
      // The admin CLIs migrate first; with the app running this used to fail after a 5 s lock wait.
      assert.deepEqual((await applyMigrations({ databaseUrl })).applied, []);

      const migrationsDir = join(dir, 'newer-migrations');
      cpSync('prisma/migrations', migrationsDir, { recursive: true });
      mkdirSync(join(migrationsDir, '29991231000000_later'));
      writeFileSync(
        join(migrationsDir, '29991231000000_later', 'migration.sql'),
        'CREATE TABLE "Later" ("id" TEXT);\n',
      );
      await assert.rejects(
        applyMigrations({ databaseUrl, migrationsDir }),
        /29991231000000_later: another process \(the running app\?\) has the database open.*Stop the app/s,
      );
    } finally {
      await app.$disconnect();
    }
  });
});
