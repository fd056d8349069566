/** Runs `pass` now and then every `intervalMs` after it finishes, until stopped; never two at once. */
export class PollingLoop {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private current: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly pass: () => Promise<unknown>,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stops, waiting for a pass under way up to the deadline. */
  async stop(deadlineMs: number): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await Promise.race([this.current, new Promise<void>((resolve) => setTimeout(resolve, deadlineMs).unref())]);
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.current = this.pass()
        .catch(this.onError)
        .finally(() => this.schedule(this.intervalMs));
    }, delayMs);
    this.timer.unref();
  }
}
