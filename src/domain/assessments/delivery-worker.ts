import type { DeliveryOutcome, DeliveryService } from './delivery-service.js';
import type { AssessmentStore } from './ports.js';

export interface DeliveryWorkerOptions {
  store: AssessmentStore;
  service: DeliveryService;
  /** Called once per attempt that settled or rescheduled an assessment. */
  onOutcome: (outcome: DeliveryOutcome) => Promise<void>;
  pollIntervalMs: number;
  concurrency: number;
  onError: (error: unknown) => void;
  now?: () => Date;
}

/**
 * Drives delivery from the database, not from memory: whatever is pending and due is sent, so work
 * left by a failure or a restart resumes by itself.
 */
export class DeliveryWorker {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly now: () => Date;

  constructor(private readonly options: DeliveryWorkerOptions) {
    this.now = options.now ?? (() => new Date());
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stops taking work and waits, up to the deadline, for attempts under way. */
  async stop(deadlineMs: number): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const settled = Promise.allSettled([...this.inFlight]).then(() => undefined);
    await Promise.race([settled, new Promise<void>((resolve) => setTimeout(resolve, deadlineMs).unref())]);
  }

  /** One pass over what is due; exposed so tests and the CLI can drive it without timers. */
  async runOnce(): Promise<number> {
    const free = Math.min(this.options.concurrency - this.inFlight.size, this.options.service.room());
    if (free <= 0) return 0;
    const ids = await this.options.store.dueIds(this.now(), free);
    for (const id of ids) this.track(this.deliver(id));
    await Promise.allSettled([...this.inFlight]);
    return ids.length;
  }

  private async deliver(id: string): Promise<void> {
    const outcome = await this.options.service.deliver(id);
    if (outcome.kind !== 'not_due') await this.options.onOutcome(outcome);
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch(this.options.onError).finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.runOnce().then(
        // A pass that found work looks again at once: a backlog drains at full speed, not per poll.
        (found) => this.schedule(found > 0 ? 0 : this.options.pollIntervalMs),
        (error: unknown) => {
          this.options.onError(error);
          this.schedule(this.options.pollIntervalMs);
        },
      );
    }, delayMs);
    this.timer.unref();
  }
}
