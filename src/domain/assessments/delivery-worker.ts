import type { Assessment } from './assessment.js';
import type { DeliveryOutcome, DeliveryReservation, DeliveryService } from './delivery-service.js';

export interface DeliveryWorkerOptions {
  /** Claims due work and sends it; the store it claims from is the service's. */
  service: DeliveryService;
  /** Called once per attempt that settled or rescheduled an assessment. */
  onOutcome: (outcome: DeliveryOutcome) => Promise<void>;
  pollIntervalMs: number;
  /** Attempts, with their outcome's report, under way at once; Flex requests are bounded by the service. */
  concurrency: number;
  onError: (error: unknown) => void;
}

/**
 * Drives delivery from the database, not from memory: whatever is pending and due is sent, so work
 * left by a failure or a restart resumes by itself.
 *
 * A backlog is drained as a pipeline: each finished attempt makes room for the next one at once,
 * rather than a pass waiting for its slowest attempt (and that attempt's Slack report) before the
 * next pass starts.
 */
export class DeliveryWorker {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private readonly inFlight = new Set<Promise<void>>();
  /** The look-up of due work under way, if any; `again` asks for another when it ends. */
  private filling: Promise<void> | undefined;
  private again = false;
  /** The last look-up found work, so more is likely due: finished attempts look again at once. */
  private backlog = false;
  /** A look-up is due on the next turn of the event loop. */
  private woken = false;

  constructor(private readonly options: DeliveryWorkerOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /**
   * Stops taking work and waits, up to the deadline, for a look-up under way (it may still claim work)
   * and then for every attempt under way: once it returns, the worker touches the database no more.
   */
  async stop(deadlineMs: number): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const settled = (async () => {
      await this.filling;
      await Promise.allSettled([...this.inFlight]);
    })();
    await Promise.race([settled, new Promise<void>((resolve) => setTimeout(resolve, deadlineMs).unref())]);
  }

  /**
   * Looks for due work on the next turn of the event loop (e.g. an assessment was left pending because
   * Flex was busy and room came free): the attempts that end in one turn are refilled by one claim.
   */
  wake(): void {
    if (!this.running || this.woken) return;
    this.woken = true;
    setImmediate(() => {
      this.woken = false;
      if (this.running) void this.fill();
    });
  }

  /** One pass over what is due, waiting for the attempts it started; exposed so tests and the CLI can drive it without timers. */
  async runOnce(): Promise<number> {
    const started = await this.startDue();
    await Promise.allSettled(started);
    return started.length;
  }

  /** Starts as many due attempts as there is room for; returns them. */
  private async startDue(): Promise<Array<Promise<void>>> {
    const free = Math.min(this.options.concurrency - this.inFlight.size, this.options.service.room());
    if (free <= 0) return [];
    const claimed = await this.options.service.claimDue(free);
    this.backlog = claimed.length > 0;
    return claimed.map(({ assessment, reservation }) => this.track(this.deliver(assessment, reservation)));
  }

  /** One look-up at a time; a request for another while one runs is remembered, not lost. */
  private fill(): Promise<void> {
    if (this.filling) {
      this.again = true;
      return this.filling;
    }
    const filling = (async () => {
      try {
        do {
          this.again = false;
          await this.startDue();
        } while (this.again && this.running);
      } catch (error) {
        this.options.onError(error);
      } finally {
        this.filling = undefined;
      }
    })();
    this.filling = filling;
    return filling;
  }

  private async deliver(assessment: Assessment, reservation: DeliveryReservation): Promise<void> {
    const outcome = await this.options.service.deliverReserved(assessment, reservation);
    // Flex is done with this one: the next can start while the reviewer is told.
    if (this.backlog) this.wake();
    await this.options.onOutcome(outcome);
  }

  private track(work: Promise<void>): Promise<void> {
    const tracked = work.catch(this.options.onError).finally(() => {
      this.inFlight.delete(tracked);
      // A slot of the worker's own, not only Flex's, may be what the backlog was waiting for.
      if (this.backlog) this.wake();
    });
    this.inFlight.add(tracked);
    return tracked;
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.fill().finally(() => this.schedule(this.options.pollIntervalMs));
    }, delayMs);
    this.timer.unref();
  }
}
