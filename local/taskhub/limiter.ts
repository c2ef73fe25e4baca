// Runs async work with at most `limit` jobs at a time, first come first served.
export interface Limiter {
  run<T>(job: () => Promise<T>): Promise<T>;
  readonly active: number;
  readonly waiting: number;
}

export function createLimiter(limit: number): Limiter {
  let active = 0;
  const queue: (() => void)[] = [];
  const release = () => {
    active -= 1;
    queue.shift()?.();
  };
  return {
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
    async run(job) {
      if (active >= limit) await new Promise<void>((resolve) => queue.push(resolve));
      active += 1;
      try {
        return await job();
      } finally {
        release();
      }
    },
  };
}
