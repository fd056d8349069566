import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { applyMigrations } from '../../src/db/migrate.js';
import { openDatabase } from '../../src/db/prisma-client.js';
import { AssessmentRepository } from '../../src/db/repositories/assessment-repository.js';
import type { Assessment, CommentContent } from '../../src/domain/assessments/assessment.js';
import { DeliveryService } from '../../src/domain/assessments/delivery-service.js';
import { DeliveryWorker } from '../../src/domain/assessments/delivery-worker.js';
import type { AssessmentStore, CommentGateway } from '../../src/domain/assessments/ports.js';

const dir = mkdtempSync(join(tmpdir(), 'flex-qm-backpressure-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A Flex that answers only when the test lets it, and counts what it was sent. */
function heldGateway() {
  const sent: CommentContent[] = [];
  const waiting: Array<() => void> = [];
  let most = 0;
  const gateway: CommentGateway = {
    async createComment(content) {
      sent.push(content);
      most = Math.max(most, waiting.length + 1);
      await new Promise<void>((resolve) => waiting.push(resolve));
      return { assessmentSid: `FM${String(sent.length).padStart(32, '0')}`, responseBody: '{}' };
    },
    async listComments() {
      return [];
    },
  };
  return {
    gateway,
    sent,
    mostAtOnce: () => most,
    releaseAll: () => {
      for (const release of waiting.splice(0)) release();
    },
  };
}

describe('delivery under load', () => {
  it('sends no more than it may at once; the rest wait in the database and the worker drains them without polling delays', async () => {
    const databaseUrl = `file:${join(dir, 'bp.db')}`;
    await applyMigrations({ databaseUrl });
    const prisma = await openDatabase(databaseUrl);
    try {
      const reviewer = await prisma.identity.create({ data: { email: 'r@example.com', flexUserName: 'R' } });
      const store = new AssessmentRepository(prisma);
      const flex = heldGateway();
      const service = new DeliveryService({
        store,
        gateway: flex.gateway,
        credentials: { flexAuthorizationOf: async () => undefined },
        policy: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 10 },
        claimLeaseMs: 60_000,
        maxConcurrent: 2,
      });
      // Five submissions as the listener stores them: claimed for a first attempt while Flex has room.
      const first: Array<Promise<unknown>> = [];
      let leftForTheWorker = 0;
      for (let i = 0; i < 5; i += 1) {
        const reservation = service.reserve();
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
          reservation ? { claimLeaseMs: reservation.leaseMs } : {},
        );
        if (reservation) first.push(service.deliverReserved(assessment, reservation));
        else leftForTheWorker += 1;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(flex.sent.length, 2, 'only two requests are in flight');
      assert.equal(leftForTheWorker, 3, 'the others stay pending for the worker');
      assert.equal(await prisma.assessment.count({ where: { status: 'pending', claimedUntil: null } }), 3);
      flex.releaseAll();
      await Promise.all(first);

      // A long poll interval: a backlog must not wait for it between passes.
      const worker = new DeliveryWorker({
        service,
        onOutcome: async () => undefined,
        pollIntervalMs: 60_000,
        concurrency: 8,
        onError: (error) => assert.fail(String(error)),
      });
      const releasing = setInterval(() => flex.releaseAll(), 5);
      worker.start();
      try {
        const deadline = Date.now() + 3_000;
        while ((await prisma.assessment.count({ where: { status: 'posted' } })) < 5) {
          assert.ok(Date.now() < deadline, 'the backlog drains in passes, not one poll interval apart');
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      } finally {
        clearInterval(releasing);
        await worker.stop(1_000);
      }
      assert.equal(flex.sent.length, 5, 'each comment sent once');
      assert.equal(flex.mostAtOnce(), 2, 'never more than two at once, from the listener or the worker');
    } finally {
      await prisma.$disconnect();
    }
  });

  // A regression: the worker held every free slot while it asked the database for due work (a network
  // round trip on PostgreSQL), so a submission arriving then found no room, was left to the worker,
  // and its modal never showed the outcome.
  it('holds no slot while the worker asks the database, so a submission arriving then is sent at once', async () => {
    let answer: (rows: Assessment[]) => void = () => undefined;
    const store = {
      claimDue: () => new Promise<Assessment[]>((resolve) => (answer = resolve)),
    } as unknown as AssessmentStore;
    const service = new DeliveryService({
      store,
      gateway: heldGateway().gateway,
      credentials: { flexAuthorizationOf: async () => undefined },
      policy: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 10 },
      claimLeaseMs: 60_000,
      maxConcurrent: 4,
    });
    const claiming = service.claimDue(4);
    const submission = service.reserve();
    assert.ok(submission, 'the submission gets a slot while the worker waits for the database');
    assert.equal(service.room(), 3);
    answer([]);
    assert.deepEqual(await claiming, []);
    submission.release();
    assert.equal(service.room(), 4, 'every slot is given back');
  });
});
