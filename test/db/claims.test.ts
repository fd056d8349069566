import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openDatabase } from '../../src/db/prisma-client.js';
import { AssessmentRepository } from '../../src/db/repositories/assessment-repository.js';
import type { PrismaClient } from '../../src/generated/prisma/client.js';
import { createTestDatabase } from '../helpers/test-app.js';

async function seed(prisma: PrismaClient, count: number): Promise<string[]> {
  const reviewer = await prisma.identity.create({ data: { email: 'r@example.com', flexUserName: 'R' } });
  const store = new AssessmentRepository(prisma);
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const { assessment } = await store.createPending(
      {
        submissionKey: `V${i}`,
        reviewerId: reviewer.id,
        categoryId: 'c',
        categoryName: 'C',
        comment: `comment ${i}`,
        segmentId: `seg-${i}`,
        agentId: 'a',
        offsetSeconds: 0,
        source: 'command',
        origin: { teamId: 'T', userId: 'U' },
      },
      new Date(),
    );
    ids.push(assessment.id);
  }
  return ids;
}

for (const kind of ['sqlite', 'postgresql'] as const) {
  describe(`claiming pending assessments on ${kind}`, () => {
    it('of three instances racing for the same assessments, exactly one gets each', async () => {
      const database = await createTestDatabase(kind);
      // Three clients, three connection pools: three instances of the app.
      const instances = await Promise.all([1, 2, 3].map(() => openDatabase(database.databaseUrl)));
      try {
        const [first] = instances;
        assert.ok(first, 'first');
        const ids = await seed(first, 60);
        const now = new Date();
        const claims = await Promise.all(
          instances.flatMap((prisma, instance) =>
            ids.map(async (id) => ({
              id,
              instance,
              claimed: (await new AssessmentRepository(prisma).claim(id, now, 60_000)) !== null,
            })),
          ),
        );
        for (const id of ids) {
          const winners = claims.filter((claim) => claim.id === id && claim.claimed);
          assert.equal(winners.length, 1, `assessment ${id} claimed ${winners.length} times`);
        }
        const attempts = await first.assessment.findMany({ select: { attempts: true } });
        assert.ok(
          attempts.every((row) => row.attempts === 1),
          'attempts.every((row) => row.attempts === 1)',
        );
        // Claimed ones are not due for anyone else until their lease runs out.
        assert.deepEqual(await new AssessmentRepository(first).dueIds(now, 100), []);
      } finally {
        await Promise.all(instances.map((prisma) => prisma.$disconnect()));
        await database.dispose();
      }
    });

    it('claims due work in batches: three instances polling at once take each assessment once, oldest first', async () => {
      const database = await createTestDatabase(kind);
      const instances = await Promise.all([1, 2, 3].map(() => openDatabase(database.databaseUrl)));
      try {
        const [first] = instances;
        assert.ok(first, 'first');
        const ids = await seed(first, 60);
        const now = new Date(Date.now() + 1_000);
        const taken = new Map<string, number>();
        await Promise.all(
          instances.map(async (prisma, instance) => {
            const store = new AssessmentRepository(prisma);
            for (;;) {
              const batch = await store.claimDue(now, 7, 60_000);
              if (batch.length === 0) return;
              const times = batch.map((assessment) => assessment.createdAt.getTime());
              assert.deepEqual(
                times,
                [...times].sort((a, b) => a - b),
                'a batch comes oldest first',
              );
              for (const assessment of batch) {
                assert.equal(taken.get(assessment.id), undefined, `${assessment.id} claimed twice`);
                taken.set(assessment.id, instance);
                assert.equal(assessment.attempts, 1);
                assert.equal(assessment.outcomeUnknown, false);
              }
            }
          }),
        );
        assert.deepEqual([...taken.keys()].sort(), [...ids].sort(), 'every assessment was claimed');
        // In one batch, free assessments are claimed as usual and lapsed claims are taken over with the
        // outcome unknown: here every claim above has lapsed except one that was let go.
        await first.assessment.update({ where: { id: ids[0] }, data: { claimedUntil: null } });
        const later = new Date(now.getTime() + 60_001);
        const retaken = await new AssessmentRepository(first).claimDue(later, 100, 1_000);
        assert.equal(retaken.length, 60);
        for (const assessment of retaken) {
          assert.equal(assessment.attempts, 2);
          assert.equal(assessment.outcomeUnknown, assessment.id !== ids[0], assessment.id);
        }
      } finally {
        await Promise.all(instances.map((prisma) => prisma.$disconnect()));
        await database.dispose();
      }
    });

    it('takes over a claim whose holder died, marking the outcome unknown so Flex is asked before sending', async () => {
      const database = await createTestDatabase(kind);
      const prisma = await openDatabase(database.databaseUrl);
      try {
        const [id] = await seed(prisma, 1);
        assert.ok(id, 'id');
        const store = new AssessmentRepository(prisma);
        const start = new Date();
        const held = await store.claim(id, start, 1_000);
        assert.equal(held?.outcomeUnknown, false);
        // Within the lease nobody else may take it.
        assert.equal(await store.claim(id, new Date(start.getTime() + 500), 1_000), null);
        // The holder was killed mid-attempt; once its lease lapses, another instance takes it over.
        const later = new Date(start.getTime() + 1_001);
        assert.deepEqual(await store.dueIds(later, 10), [id]);
        const taken = await store.claim(id, later, 1_000);
        assert.equal(taken?.outcomeUnknown, true);
        assert.equal(taken?.attempts, 2);
      } finally {
        await prisma.$disconnect();
        await database.dispose();
      }
    });
  });
}
