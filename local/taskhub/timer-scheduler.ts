// Wakes the task hub when durable timers are due. Timers live in history (TimerCreated), so
// this holds no state worth persisting: after a restart the hub re-arms what is still open.
import type { Clock } from '../../shared/clock.js';

/** setTimeout's ceiling; longer waits re-arm on expiry. */
const maxDelayMs = 2 ** 31 - 1;

export interface TimerScheduler {
  /** Calls `fire` once at or after `fireAt` (ms); arming the same key twice is a no-op. */
  arm(key: string, fireAt: number, fire: () => void): void;
  cancelAll(): void;
}

export function createTimerScheduler(clock: Clock): TimerScheduler {
  const armed = new Map<string, NodeJS.Timeout>();
  const wait = (key: string, fireAt: number, fire: () => void): void => {
    const delay = Math.max(0, fireAt - clock.now());
    const handle = setTimeout(
      () => {
        if (clock.now() < fireAt) return wait(key, fireAt, fire);
        armed.delete(key);
        fire();
      },
      Math.min(delay, maxDelayMs),
    );
    armed.set(key, handle);
  };
  return {
    arm(key, fireAt, fire) {
      if (!armed.has(key)) wait(key, fireAt, fire);
    },
    cancelAll() {
      for (const handle of armed.values()) clearTimeout(handle);
      armed.clear();
    },
  };
}
