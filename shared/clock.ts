// Time is injected so timers, leases, retries, schedules and drift windows can be tested
// without sleeping: code reads the time and waits through a Clock; tests pass a ManualClock
// and advance it.

/** Cancels a scheduled call; calling it after the call ran (or twice) does nothing. */
export type Cancel = () => void;

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Calls `fire` once, when `ms` have passed on this clock. */
  schedule(ms: number, fire: () => void): Cancel;
}

/** Node timers overflow past ~24.8 days; longer waits are taken in steps. */
const maxTimerMs = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => Date.now(),
  schedule(ms, fire) {
    const at = Date.now() + ms;
    let handle: NodeJS.Timeout;
    const arm = () => {
      handle = setTimeout(
        () => (Date.now() < at ? arm() : fire()),
        Math.min(Math.max(0, at - Date.now()), maxTimerMs),
      );
    };
    arm();
    return () => clearTimeout(handle);
  },
};

/** Resolves after `ms` on `clock`; rejects with the signal's reason if it aborts first. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      cancel();
      reject(signal?.reason as Error);
    };
    const cancel = clock.schedule(ms, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

interface Scheduled {
  at: number;
  seq: number;
  fire: () => void;
  /** With a base clock: the base's timer for the same call. */
  cancelBase?: Cancel;
}

/**
 * A clock tests move by hand. Alone it stands still until advanced; following a base clock
 * (`ManualClock.following(systemClock)`, for a host started for tests) time flows with the base
 * and `advance` jumps ahead of it. Either way, what falls due fires in time order.
 */
export class ManualClock implements Clock {
  private offset: number;
  private seq = 0;
  private readonly pending = new Set<Scheduled>();

  constructor(
    start: number | Date = 0,
    private readonly base?: Clock,
  ) {
    this.offset = (typeof start === 'number' ? start : start.getTime()) - (base?.now() ?? 0);
  }

  static following(base: Clock): ManualClock {
    return new ManualClock(base.now(), base);
  }

  now(): number {
    return this.offset + (this.base?.now() ?? 0);
  }

  schedule(ms: number, fire: () => void): Cancel {
    const entry: Scheduled = { at: this.now() + Math.max(0, ms), seq: this.seq++, fire };
    this.pending.add(entry);
    this.armBase(entry);
    // A zero wait still runs later, never inside the caller, as a real timer would.
    if (!this.base && ms <= 0) queueMicrotask(() => this.advance(0));
    return () => {
      entry.cancelBase?.();
      this.pending.delete(entry);
    };
  }

  /** Moves time forward by `ms` and fires everything now due, earliest first. */
  advance(ms: number): void {
    this.offset += Math.max(0, ms);
    const due = [...this.pending]
      .filter((entry) => entry.at <= this.now())
      .sort((a, b) => a.at - b.at || a.seq - b.seq);
    for (const entry of due) {
      entry.cancelBase?.();
      this.pending.delete(entry);
      entry.fire();
    }
    // The base's timers were set for the old offset: what is still waiting is due sooner now.
    for (const entry of this.pending) this.armBase(entry);
  }

  /** Moves time to the earliest waiting call and fires it (with anything due at the same time); false when none waits. */
  advanceToNext(): boolean {
    const next = Math.min(...[...this.pending].map((entry) => entry.at));
    if (!Number.isFinite(next)) return false;
    this.advance(next - this.now());
    return true;
  }

  /** How many calls wait to fire. */
  get waiting(): number {
    return this.pending.size;
  }

  private armBase(entry: Scheduled): void {
    if (!this.base) return;
    entry.cancelBase?.();
    entry.cancelBase = this.base.schedule(entry.at - this.now(), () => {
      if (this.pending.delete(entry)) entry.fire();
    });
  }
}
