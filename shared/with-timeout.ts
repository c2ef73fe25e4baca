import { systemClock, type Clock } from './clock.js';

/** Settles like `work`, or rejects with `onTimeout()` after `ms` on `clock`; the timer never outlives the race. */
export async function withTimeout<T>(
  work: Promise<T>,
  ms: number,
  onTimeout: () => Error,
  clock: Clock = systemClock,
): Promise<T> {
  let cancel: (() => void) | undefined;
  const timeout = new Promise<never>((_, reject) => {
    cancel = clock.schedule(ms, () => reject(onTimeout()));
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    cancel?.();
  }
}
