// Wakes the task hub when durable timers are due, on the hub's clock (a manual one in tests).
// Timers live in history (TimerCreated), so this holds no state worth persisting: after a
// restart the hub re-arms what is still open.
import type { Cancel, Clock } from '../../shared/clock.js';

export interface TimerScheduler {
  /** Calls `fire` once at or after `fireAt` (ms); arming the same key twice is a no-op. */
  arm(key: string, fireAt: number, fire: () => void): void;
  cancelAll(): void;
}

export function createTimerScheduler(clock: Clock): TimerScheduler {
  const armed = new Map<string, Cancel>();
  return {
    arm(key, fireAt, fire) {
      if (armed.has(key)) return;
      armed.set(
        key,
        clock.schedule(fireAt - clock.now(), () => {
          armed.delete(key);
          fire();
        }),
      );
    },
    cancelAll() {
      for (const cancel of armed.values()) cancel();
      armed.clear();
    },
  };
}
