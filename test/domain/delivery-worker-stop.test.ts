import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Assessment } from '../../src/domain/assessments/assessment.js';
import { DeliveryService } from '../../src/domain/assessments/delivery-service.js';
import { DeliveryWorker } from '../../src/domain/assessments/delivery-worker.js';
import type { AssessmentStore, CommentGateway } from '../../src/domain/assessments/ports.js';

const unused = async (): Promise<never> => {
  throw new Error('not used by this test');
};

/** A store whose look-up of due work answers only when the test lets it, counting look-ups. */
function heldStore() {
  let release: (() => void) | undefined;
  let lookUps = 0;
  const store: AssessmentStore = {
    async claimDue(): Promise<Assessment[]> {
      lookUps += 1;
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return [];
    },
    createPending: unused,
    find: unused,
    markPosted: unused,
    markRetry: unused,
    markFailed: unused,
    markReviewerNotified: unused,
  };
  return { store, lookUps: () => lookUps, release: () => release?.() };
}

const gateway: CommentGateway = { createComment: unused, listComments: unused };

// On SIGTERM the app stops the worker and then closes the database: a look-up still under way, or
// one started after stop(), would claim work for an instance about to exit (it then waits out its
// lease) or query a closed database.
describe('stopping the delivery worker', () => {
  it('waits for a look-up under way, and starts none after', async () => {
    const held = heldStore();
    const service = new DeliveryService({
      store: held.store,
      gateway,
      credentials: { flexAuthorizationOf: async () => undefined },
      policy: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 10 },
      claimLeaseMs: 60_000,
      maxConcurrent: 2,
    });
    const worker = new DeliveryWorker({
      service,
      onOutcome: async () => undefined,
      pollIntervalMs: 60_000,
      concurrency: 4,
      onError: (error) => assert.fail(String(error)),
    });
    worker.start();
    while (held.lookUps() === 0) await new Promise((resolve) => setTimeout(resolve, 1));

    worker.wake();
    let stopped = false;
    const stopping = worker.stop(2_000).then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(stopped, false, 'stop() waits while the look-up is under way');
    held.release();
    await stopping;
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(held.lookUps(), 1, 'no look-up after stop(), not even the one asked for by wake()');
  });
});
