import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { applyMigrations } from '../../src/db/migrate.js';
import { openDatabase } from '../../src/db/prisma-client.js';

const dir = mkdtempSync(join(tmpdir(), 'flex-qm-mode-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

describe('SQLite database files', () => {
  it('are created readable by the app’s user alone (0600), the folder 0700, whatever the umask', async () => {
    const folder = join(dir, 'data');
    const file = join(folder, 'flex-qm.db');
    const previous = process.umask(0o022);
    try {
      await applyMigrations({ databaseUrl: `file:${file}` });
      const prisma = await openDatabase(`file:${file}`);
      try {
        await prisma.category.create({ data: { id: 'c1', name: 'Greeting' } });
        assert.equal(modeOf(folder), '700');
        for (const path of [file, `${file}-wal`, `${file}-shm`]) {
          assert.ok(existsSync(path), `${path} exists`);
          assert.equal(modeOf(path), '600', path);
        }
      } finally {
        await prisma.$disconnect();
      }
    } finally {
      process.umask(previous);
    }
  });
});
