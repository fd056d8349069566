import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { applyMigrations } from '../../src/db/migrate.js';
import { openDatabase } from '../../src/db/prisma-client.js';
import { IdentityRepository } from '../../src/db/repositories/identity-repository.js';
import type { PrismaClient } from '../../src/generated/prisma/client.js';
import { createScratchPostgres } from '../helpers/postgres.js';
import { createTestDatabase } from '../helpers/test-app.js';

const MIGRATION = '20261126085528_per_workspace_identities';
const scratchDirs: string[] = [];
after(() => {
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

async function withDatabase(kind: 'sqlite' | 'postgresql', work: (prisma: PrismaClient) => Promise<void>) {
  const database = await createTestDatabase(kind);
  const prisma = await openDatabase(database.databaseUrl);
  try {
    await work(prisma);
  } finally {
    await prisma.$disconnect();
    await database.dispose();
  }
}

/** A unique-key violation, as Prisma reports it on either database. */
const duplicate = (error: unknown) => error instanceof Error && 'code' in error && error.code === 'P2002';

for (const kind of ['sqlite', 'postgresql'] as const) {
  describe(`identities are unique per workspace on ${kind}`, () => {
    it('refuses a second identity with the same email or Flex worker in the single-token workspace too', async () => {
      await withDatabase(kind, async (prisma) => {
        // The single workspace of SLACK_BOT_TOKEN is stored as "", not NULL: NULLs would never collide.
        await prisma.identity.create({ data: { email: 'ana@example.com', flexUserName: 'Ana', flexWorkerSid: 'WK1' } });
        await assert.rejects(
          prisma.identity.create({ data: { email: 'ana@example.com', flexUserName: 'Ana again' } }),
          duplicate,
        );
        await assert.rejects(
          prisma.identity.create({ data: { email: 'other@example.com', flexUserName: 'O', flexWorkerSid: 'WK1' } }),
          duplicate,
        );
        await assert.rejects(
          prisma.identity.createMany({
            data: [
              { slackWorkspaceId: 'T0ACME0001', email: 'bo@example.com', flexUserName: 'Bo' },
              { slackWorkspaceId: 'T0ACME0001', email: 'bo@example.com', flexUserName: 'Bo' },
            ],
          }),
          duplicate,
        );
        // Identities without a worker SID are many; NULL SIDs do not collide, as intended.
        await prisma.identity.create({ data: { email: 'manual1@example.com', flexUserName: 'M1' } });
        await prisma.identity.create({ data: { email: 'manual2@example.com', flexUserName: 'M2' } });
      });
    });

    it('lets two workspaces each hold the same email and worker as two identities that never see each other', async () => {
      await withDatabase(kind, async (prisma) => {
        const identities = new IdentityRepository(prisma);
        const acme = await identities.upsertByEmail({
          workspaceId: 'T0ACME0001',
          email: 'Sam@Shared.example',
          flexUserName: 'Sam in Acme',
          role: 'admin',
        });
        const org = await identities.upsertByEmail({
          workspaceId: 'E0GRID0001',
          email: 'sam@shared.example',
          flexUserName: 'Sam in the org',
        });
        const single = await identities.upsertByEmail({ email: 'sam@shared.example', flexUserName: 'Sam alone' });
        assert.deepEqual(
          [acme.outcome, org.outcome, single.outcome],
          ['added', 'added', 'added'],
          'three identities, one per workspace',
        );
        assert.equal(new Set([acme.identity.id, org.identity.id, single.identity.id]).size, 3);
        assert.equal(
          (await identities.findActiveByEmail('T0ACME0001', 'sam@shared.example'))?.flexUserName,
          'Sam in Acme',
        );
        assert.equal(
          (await identities.findActiveByEmail('E0GRID0001', 'sam@shared.example'))?.flexUserName,
          'Sam in the org',
        );
        assert.equal((await identities.findActiveByEmail(undefined, 'sam@shared.example'))?.flexUserName, 'Sam alone');
        assert.equal(await identities.findActiveByEmail('T0GLBX0001', 'sam@shared.example'), null);
        assert.deepEqual(
          (await identities.admins('T0ACME0001')).map((a) => a.email),
          [],
          'an admin with no Slack user is reachable nowhere',
        );

        // Linking in one workspace does not link, or take, the others.
        const linked = await identities.linkSlackUser(acme.identity.id, {
          workspaceId: 'T0ACME0001',
          teamId: 'T0ACME0001',
          userId: 'U0SAM0001',
        });
        assert.equal(linked?.slackUserId, 'U0SAM0001');
        assert.equal(
          await identities.linkSlackUser(org.identity.id, {
            workspaceId: 'T0ACME0001',
            teamId: 'T0ACME0001',
            userId: 'U0SAM0001',
          }),
          null,
          'an identity of another workspace cannot be linked from this one',
        );
        assert.equal(
          (await identities.findBySlackUser({ workspaceId: 'T0ACME0001', teamId: 'T0ACME0001', userId: 'U0SAM0001' }))
            ?.id,
          acme.identity.id,
        );
        assert.equal(
          await identities.findBySlackUser({ workspaceId: undefined, teamId: 'T0ACME0001', userId: 'U0SAM0001' }),
          null,
        );
        assert.deepEqual(
          (await identities.list('T0ACME0001')).map((i) => [i.email, i.workspaceId]),
          [['sam@shared.example', 'T0ACME0001']],
        );
        assert.equal(await identities.remove('T0GLBX0001', 'sam@shared.example'), false);
        assert.equal(await identities.remove(undefined, 'sam@shared.example'), true);
        assert.equal((await identities.findActiveByEmail('T0ACME0001', 'sam@shared.example'))?.active, true);
      });
    });
  });
}

describe('the per_workspace_identities migration', () => {
  for (const kind of ['sqlite', 'postgresql'] as const) {
    it(`moves identities linked in an OAuth-installed workspace there and keeps the rest in the single one (${kind})`, async () => {
      const source = kind === 'sqlite' ? 'prisma/migrations' : 'prisma/postgresql/migrations';
      const before = mkdtempSync(join(tmpdir(), 'flex-qm-before-'));
      scratchDirs.push(before);
      for (const entry of readdirSync(source)) {
        // Only what came before it: later migrations build on its columns.
        if (!/^\d{14}_/.test(entry) || entry < MIGRATION)
          cpSync(join(source, entry), join(before, entry), { recursive: true });
      }
      const scratch =
        kind === 'postgresql'
          ? await createScratchPostgres()
          : { url: `file:${join(before, 'app.db')}`, drop: async () => undefined };
      try {
        await applyMigrations({ databaseUrl: scratch.url, migrationsDir: before });
        const prisma = await openDatabase(scratch.url);
        try {
          const now = "'2026-11-26 08:00:00'";
          await prisma.$executeRawUnsafe(
            `INSERT INTO "Installation" ("id", "teamId", "installerUserId", "updatedAt") VALUES ('T0ACME0001', 'T0ACME0001', 'U0ADM', ${now})`,
          );
          await prisma.$executeRawUnsafe(
            `INSERT INTO "Identity" ("id", "email", "flexUserName", "slackTeamId", "slackUserId", "flexWorkerSid", "updatedAt") VALUES
             ('i1', 'rita@acme.example', 'Rita', 'T0ACME0001', 'U0RITA', 'WK1', ${now}),
             ('i2', 'ana@example.com', 'Ana', 'T0SINGLE01', 'U0ANA', 'WK2', ${now}),
             ('i3', 'bob@example.com', 'Bob', NULL, NULL, NULL, ${now})`,
          );
        } finally {
          await prisma.$disconnect();
        }
        const { applied } = await applyMigrations({ databaseUrl: scratch.url });
        // It, then any that came after it.
        assert.deepEqual(applied.slice(0, 1), [MIGRATION]);
        const after = await openDatabase(scratch.url);
        try {
          const rows = await after.identity.findMany({ orderBy: { id: 'asc' } });
          assert.deepEqual(
            rows.map((r) => [r.id, r.slackWorkspaceId, r.email, r.flexWorkerSid]),
            [
              ['i1', 'T0ACME0001', 'rita@acme.example', 'WK1'],
              ['i2', '', 'ana@example.com', 'WK2'],
              ['i3', '', 'bob@example.com', null],
            ],
          );
        } finally {
          await after.$disconnect();
        }
      } finally {
        await scratch.drop();
      }
    });
  }
});
