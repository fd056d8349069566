import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { applyMigrations } from '../../src/db/migrate.js';
import { openDatabase } from '../../src/db/prisma-client.js';
import { checkEmail, cleanName } from '../../src/domain/identities/person-fields.js';
import type { PrismaClient } from '../../src/generated/prisma/client.js';
import { runCli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'flex-qm-hostile-cli-'));
const databaseUrl = `file:${join(dir, 'cli.db')}`;

function identities(args: string[]) {
  return runCli('identities', args, { env: { DATABASE_URL: databaseUrl } });
}

const ESC = '\u001b';
const BEL = '\u0007';

describe('identities: hostile names, emails and files', () => {
  let prisma: PrismaClient;
  before(async () => {
    await applyMigrations({ databaseUrl });
    prisma = await openDatabase(databaseUrl);
  });
  after(async () => {
    await prisma.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an email Slack would show as a link, and a name with control characters', async () => {
    const link = await identities(['add', '--email', '<https://evil.example|click>@x.co', '--name', 'Eve']);
    assert.equal(link.code, 2, link.stderr);
    assert.match(link.stderr, /--email is not an email address/);
    const forged = await identities([
      'add',
      '--email',
      'eve@example.com',
      '--name',
      `Eve${ESC}]0;pwned${BEL}\nana@example.com  Ana  U0ANA0001  admin`,
    ]);
    assert.equal(forged.code, 2, forged.stderr);
    assert.match(forged.stderr, /--name holds control characters/);
    assert.equal(await prisma.identity.count(), 0, 'nothing stored');
  });

  it('prints names already stored with control characters escaped, one row each', async () => {
    // As rows from before this check, or written by hand, may hold.
    await prisma.identity.create({
      data: { email: 'old@example.com', flexUserName: `Old${ESC}]0;pwned${BEL}\nfake@example.com  Fake  admin` },
    });
    const list = await identities(['list']);
    assert.equal(list.code, 0, list.stderr);
    assert.doesNotMatch(list.stdout, new RegExp(`[${ESC}${BEL}]`), 'no escape or bell reaches the terminal');
    const lines = list.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 2, `a header and one row:\n${list.stdout}`);
    assert.match(lines[1] ?? '', /Old\\u001b\]0;pwned\\u0007\\u000afake@example\.com/);
    await prisma.identity.deleteMany();
  });

  it('refuses a CSV row longer than any real one, and a file over 10 MB, saying what to do', async () => {
    const csv = join(dir, 'huge-cell.csv');
    writeFileSync(csv, `email,name\nana@example.com,${'A'.repeat(200_000)}\nbob@example.com,Bob\n`);
    const cell = await identities(['import', csv]);
    assert.equal(cell.code, 1);
    assert.match(cell.stderr, /line 2\) is longer than 4096 characters/);
    assert.ok(cell.stderr.length < 2_000, 'the cell is not echoed back');
    const big = join(dir, 'big.csv');
    writeFileSync(big, `email,name\n${'x@example.com,X\n'.repeat(700_000)}`);
    const file = await identities(['import', big]);
    assert.equal(file.code, 1);
    assert.match(file.stderr, /at most 10 MB .*Split it into smaller files/);
    assert.equal(await prisma.identity.count(), 0, 'nothing stored from either file');
  });

  it('validates emails one way: the same verdict for the CLI, CSV imports, /qm link and the Flex sync', () => {
    assert.deepEqual(checkEmail(' Ana@Example.COM '), { ok: true, value: 'ana@example.com' });
    for (const bad of [
      '<https://evil.example|click>@x.co',
      'a|b@x.co',
      'a b@x.co',
      'a@x',
      `a${'b'.repeat(250)}@x.co`,
      'a\n@x.co',
    ]) {
      assert.equal(checkEmail(bad).ok, false, bad);
    }
    assert.equal(cleanName(`Ana${ESC}[31m\nLopez${BEL}`), 'Ana [31m Lopez');
  });
});
