/**
 * How late the event loop runs, measured by a timer that should fire every `intervalMs`: when requests
 * arrive faster than the process can serve them, every callback (an ack among them) waits this long.
 */
export class EventLoopLag {
  private timer: NodeJS.Timeout | undefined;
  private expectedAt = 0;
  private lagMs = 0;

  constructor(private readonly intervalMs = 20) {}

  start(): void {
    if (this.timer) return;
    this.expectedAt = performance.now() + this.intervalMs;
    this.timer = setInterval(() => {
      const now = performance.now();
      // The latest reading only: a spike passes as soon as the loop is on time again.
      this.lagMs = Math.max(0, now - this.expectedAt);
      this.expectedAt = now + this.intervalMs;
    }, this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.lagMs = 0;
  }

  /** How late the last tick ran, in ms (0 when stopped). */
  current(): number {
    return this.lagMs;
  }
}
