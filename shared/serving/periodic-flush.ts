// Work that gathers in memory and is written out by a timer, one write at a time: request capture
// and the rollback statistics both use it, so neither ever writes on the request path.
export class PeriodicFlush {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly write: () => Promise<void>,
    private readonly everyMs: number,
  ) {}

  /** Starts the timer on first use; it does not keep the process alive. */
  arm(): void {
    this.timer ??= setInterval(() => void this.now(), this.everyMs).unref();
  }

  /** Writes now, or joins the write already under way. */
  now(): Promise<void> {
    this.running ??= this.write().finally(() => (this.running = undefined));
    return this.running;
  }
}
