import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openDatabase } from '../../src/db/prisma-client.js';
import { FeedbackRepository } from '../../src/db/repositories/feedback-repository.js';
import { FeedbackService } from '../../src/domain/feedback/feedback-service.js';
import type { PrismaClient } from '../../src/generated/prisma/client.js';
import { createTestDatabase } from '../helpers/test-app.js';

const AGENT = 'U0AGENT';
const REVIEWER = 'U0REVIEW';
const FIELDS = {
  workspaceId: undefined,
  teamId: 'T1',
  agentId: 'agent-1',
  agentSlackUserId: AGENT,
  reviewerSlackUserId: REVIEWER,
};

/**
 * A reviewer's Revise of a disputed scorecard and the new revision's arrival (once its answers are in Flex)
 * happen at about the same moment, from different requests and instances. Whichever comes first, and even
 * when one lands between the other's read and write, the feedback ends revised, at the new revision, and
 * new for the agent to acknowledge. (A CI run lost the revision: recorded in two conditional updates, a
 * Revise landing between them matched neither.)
 */
for (const kind of ['sqlite', 'postgresql'] as const) {
  describe(`revising a disputed scorecard's feedback on ${kind}`, () => {
    // One database for the four stories; each has a scorecard of its own.
    let database: { databaseUrl: string; dispose(): Promise<void> };
    let prisma: PrismaClient;
    before(async () => {
      database = await createTestDatabase(kind);
      prisma = await openDatabase(database.databaseUrl);
    });
    after(async () => {
      await prisma.$disconnect();
      await database.dispose();
    });

    async function disputed(scorecardId: string) {
      const store = new FeedbackRepository(prisma);
      const service = new FeedbackService({ store, isAdmin: async () => false });
      await store.recordScorecard(scorecardId, 1, FIELDS, new Date());
      const row = await prisma.feedback.findUniqueOrThrow({ where: { scorecardId } });
      assert.equal((await service.dispute(row.id, AGENT, 'The greeting was there.')).kind, 'done');
      return { id: row.id, store, service };
    }

    async function assertRevised(id: string) {
      const after = await prisma.feedback.findUniqueOrThrow({ where: { id } });
      assert.deepEqual(
        { revision: after.scorecardRevision, state: after.state, resolution: after.resolution, due: after.notifiedAt },
        { revision: 2, state: 'new', resolution: 'revised', due: null },
      );
      const events = await prisma.feedbackEvent.findMany({ where: { feedbackId: id }, orderBy: { createdAt: 'asc' } });
      assert.deepEqual(
        events.map((e) => e.kind),
        ['disputed', 'revised'],
      );
    }

    it('the Revise first, then the new revision', async () => {
      const { id, store, service } = await disputed('scorecard-1');
      assert.equal((await service.revised(id, REVIEWER, { scorecardRevision: 2 })).kind, 'done');
      assert.equal((await prisma.feedback.findUniqueOrThrow({ where: { id } })).state, 'resolved');
      await store.recordScorecard('scorecard-1', 2, FIELDS, new Date());
      await assertRevised(id);
    });

    it('the new revision first, then the Revise', async () => {
      const { id, store, service } = await disputed('scorecard-2');
      await store.recordScorecard('scorecard-2', 2, FIELDS, new Date());
      assert.equal((await prisma.feedback.findUniqueOrThrow({ where: { id } })).state, 'disputed');
      assert.equal((await service.revised(id, REVIEWER, { scorecardRevision: 2 })).kind, 'done');
      await assertRevised(id);
    });

    it('the Revise landing while the new revision is being recorded', async () => {
      const { id, service } = await disputed('scorecard-3');
      // The revision is recorded through a client that lets the Revise in right after its first change.
      let revise: Promise<unknown> | undefined;
      const interleaved = prisma.$extends({
        query: {
          feedback: {
            async updateMany({ args, query }) {
              const result = await query(args);
              revise ??= service.revised(id, REVIEWER, { scorecardRevision: 2 });
              await revise;
              return result;
            },
          },
        },
      }) as unknown as PrismaClient;
      await new FeedbackRepository(interleaved).recordScorecard('scorecard-3', 2, FIELDS, new Date());
      assert.ok(revise, 'the Revise ran in between');
      await assertRevised(id);
    });

    it('a re-score while the dispute is open tells the agent again and leaves the dispute open', async () => {
      const { id, store } = await disputed('scorecard-4');
      await store.recordScorecard('scorecard-4', 2, FIELDS, new Date());
      const after = await prisma.feedback.findUniqueOrThrow({ where: { id } });
      assert.deepEqual(
        { revision: after.scorecardRevision, state: after.state, due: after.notifiedAt },
        { revision: 2, state: 'disputed', due: null },
      );
    });
  });
}
