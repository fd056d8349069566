import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyMigrations } from '../../src/db/migrate.js';
import { openDatabase } from '../../src/db/prisma-client.js';
import { AssessmentRepository } from '../../src/db/repositories/assessment-repository.js';
import { IdentityRepository } from '../../src/db/repositories/identity-repository.js';
import { createScratchPostgres } from '../helpers/postgres.js';

// DATABASE_URL's ?schema= puts the app's tables in a schema of their own. Prisma's client names that
// schema in every query it makes; the statements the app sends straight to the driver must find the
// same tables, and never those of another schema.
describe('a PostgreSQL database whose tables live in a schema other than public', () => {
  it('keeps every read and write in that schema', async () => {
    const scratch = await createScratchPostgres();
    const url = `${scratch.url}${scratch.url.includes('?') ? '&' : '?'}schema=qm%20app`;
    try {
      await applyMigrations({ databaseUrl: url });
      // A decoy in public, as a database shared with another app might have: nothing may land in it.
      await applyMigrations({ databaseUrl: scratch.url });
      const prisma = await openDatabase(url);
      try {
        const identity = await prisma.identity.create({
          data: { email: 'r@example.com', flexUserName: 'R', slackTeamId: 'T1', slackUserId: 'U1' },
        });
        const identities = new IdentityRepository(prisma);
        const found = await identities.findBySlackUser({ workspaceId: undefined, teamId: 'T1', userId: 'U1' });
        assert.equal(found?.id, identity.id);
        const store = new AssessmentRepository(prisma);
        const { assessment } = await store.createPending(
          {
            submissionKey: 'V1',
            reviewerId: identity.id,
            categoryId: 'cat',
            categoryName: 'Tone',
            comment: 'Fine',
            segmentId: 'seg',
            agentId: 'agent',
            offsetSeconds: 0,
            source: 'command',
            origin: { teamId: 'T1', userId: 'U1' },
          },
          new Date(),
        );
        await store.markPosted(assessment, { assessmentSid: 'FQ1', responseBody: null }, new Date());
        assert.equal((await store.find(assessment.id))?.status, 'posted');
      } finally {
        await prisma.$disconnect();
      }
      const inPublic = await openDatabase(scratch.url);
      try {
        assert.equal(await inPublic.assessment.count(), 0, 'nothing written to public');
        assert.equal(await inPublic.identity.count(), 0);
      } finally {
        await inPublic.$disconnect();
      }
    } finally {
      await scratch.drop();
    }
  });
});
