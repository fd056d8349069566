import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openDatabase } from '../../src/db/prisma-client.js';
import { AssessmentRepository } from '../../src/db/repositories/assessment-repository.js';
import { IdentityRepository } from '../../src/db/repositories/identity-repository.js';
import type { AssessmentDraft } from '../../src/domain/assessments/assessment.js';
import { createTestDatabase } from '../helpers/test-app.js';

const draft = (reviewerId: string, key: string): AssessmentDraft => ({
  submissionKey: key,
  reviewerId,
  categoryId: 'cat-1',
  categoryName: 'Empathy & tone',
  comment: 'Kind, “clear” and — in the end — right',
  segmentId: 'seg-1',
  agentId: 'agent-1',
  offsetSeconds: 83.25,
  callUrl: 'https://insights.example/calls/seg-1',
  source: 'shortcut',
  origin: {
    teamId: 'T1',
    workspaceId: 'E1',
    userId: 'U1',
    channelId: 'C1',
    messageTs: '1700000000.000100',
    threadTs: '1700000000.000100',
    responseUrl: 'https://hooks.slack.test/commands/1',
  },
});

// The submission's writes skip Prisma's read-back and build what was stored in memory: what they
// return must be exactly what the database then holds.
for (const kind of ['sqlite', 'postgresql'] as const) {
  describe(`the submission's writes on ${kind}`, () => {
    it('store exactly the assessment they return, claimed or not, and a repeat returns the first', async () => {
      const database = await createTestDatabase(kind);
      const prisma = await openDatabase(database.databaseUrl);
      try {
        const reviewer = await prisma.identity.create({ data: { email: 'r@example.com', flexUserName: 'R' } });
        const store = new AssessmentRepository(prisma);
        const now = new Date('2026-11-26T12:00:00.123Z');

        const plain = await store.createPending(draft(reviewer.id, 'V1'), now);
        assert.equal(plain.created, true);
        assert.deepEqual(await store.find(plain.assessment.id), plain.assessment);
        assert.equal(plain.assessment.attempts, 0);
        assert.deepEqual(await store.dueIds(now, 10), [plain.assessment.id]);

        const claimed = await store.createPending(draft(reviewer.id, 'V2'), now, { claimLeaseMs: 30_000 });
        assert.deepEqual(await store.find(claimed.assessment.id), claimed.assessment);
        assert.equal(claimed.assessment.attempts, 1);
        // Held for its attempt: not due for anyone else until the lease lapses, then taken over.
        assert.deepEqual(await store.dueIds(now, 10), [plain.assessment.id]);
        const lapsed = new Date(now.getTime() + 30_001);
        assert.deepEqual((await store.dueIds(lapsed, 10)).sort(), [plain.assessment.id, claimed.assessment.id].sort());

        const repeat = await store.createPending(draft(reviewer.id, 'V2'), new Date());
        assert.deepEqual(repeat, { assessment: claimed.assessment, created: false });
        assert.equal(await prisma.assessment.count(), 2);

        const postedAt = new Date(now.getTime() + 500);
        const posted = await store.markPosted(
          claimed.assessment,
          { assessmentSid: 'FQ1', responseBody: '{"assessment_sid":"FQ1"}' },
          postedAt,
        );
        assert.equal(posted.reviewerClaimed, true);
        assert.deepEqual(await store.find(claimed.assessment.id), posted.assessment);
        assert.equal(posted.assessment.status, 'posted');
        const row = await prisma.assessment.findUniqueOrThrow({ where: { id: claimed.assessment.id } });
        assert.equal(row.claimedUntil, null);
        assert.equal(row.flexResponse, '{"assessment_sid":"FQ1"}');

        // Posted again (a retried attempt that reached Flex too): recorded, but the reviewer is told once.
        const again = await store.markPosted(claimed.assessment, { assessmentSid: 'FQ1', responseBody: null }, now);
        assert.equal(again.reviewerClaimed, false);
        assert.deepEqual(again.assessment.reviewerNotifiedAt, postedAt);
        assert.deepEqual(await store.find(claimed.assessment.id), again.assessment);
      } finally {
        await prisma.$disconnect();
        await database.dispose();
      }
    });

    it('finds a Slack user’s identity through its own index, among thousands in the workspace', async () => {
      const database = await createTestDatabase(kind);
      const prisma = await openDatabase(database.databaseUrl);
      try {
        await prisma.identity.createMany({
          data: Array.from({ length: 3_000 }, (_, i) => ({
            slackWorkspaceId: 'E1',
            email: `agent${i}@example.com`,
            flexUserName: `Agent ${i}`,
            slackTeamId: 'T1',
            slackUserId: `UA${i}`,
          })),
        });
        await prisma.identity.create({
          data: {
            slackWorkspaceId: 'E1',
            email: 'r@example.com',
            flexUserName: 'R',
            slackTeamId: 'T2',
            slackUserId: 'U1',
          },
        });
        const identities = new IdentityRepository(prisma);
        const found = await identities.findBySlackUser({ workspaceId: 'E1', teamId: 'T1', userId: 'U1' });
        assert.equal(found?.email, 'r@example.com');
        // Read through the driver, the identity is the one Prisma's client reads, field for field.
        assert.deepEqual(found, await identities.findById(found?.id ?? ''));
        assert.equal(await identities.findBySlackUser({ workspaceId: undefined, teamId: 'T1', userId: 'U1' }), null);
        if (kind === 'sqlite') {
          const plan = await prisma.$queryRawUnsafe<Array<{ detail: string }>>(
            'EXPLAIN QUERY PLAN SELECT * FROM "Identity" WHERE "slackWorkspaceId" = ? AND "slackUserId" = ? AND "active" = 1',
            'E1',
            'U1',
          );
          assert.match(
            plan.map((step) => step.detail).join('; '),
            /USING INDEX Identity_slackWorkspaceId_slackUserId_idx/,
          );
        }
      } finally {
        await prisma.$disconnect();
        await database.dispose();
      }
    });
  });
}
