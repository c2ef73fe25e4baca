import { describe, expect, it } from 'vitest';
import type { InvocationRequest, RegisteredFunction } from '../../../local/host/extension.js';
import { createLogger } from '../../../local/host/logger.js';
import { functionRetries } from '../../../local/host/retry-invoke.js';
import { ManualClock } from '../../../shared/clock.js';

const fn = (name: string, type: string): RegisteredFunction => ({
  name,
  id: name,
  trigger: { name: 'trigger', type, direction: 'in' },
  inputs: [],
  outputs: [],
});
const nightly = fn('nightly', 'timerTrigger');
const backoff = {
  retryStrategy: 'exponentialBackoff',
  maxRetryCount: 3,
  minimumInterval: { seconds: 10 },
  maximumInterval: { seconds: 30 },
} as const;

/** Lets the retry loop reach its next wait (or its end) between clock moves. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

function setup(failures: number) {
  const clock = new ManualClock(0);
  const requests: InvocationRequest[] = [];
  const warnings: string[] = [];
  const retries = functionRetries(
    async (_fn, request) => {
      requests.push(request);
      if (requests.length <= failures) throw new Error(`failure ${requests.length}`);
      return {};
    },
    [
      { fn: nightly, retry: backoff },
      { fn: fn('queueWork', 'queueTrigger'), retry: backoff },
    ],
    clock,
    createLogger({ level: 'warn', write: (line) => void warnings.push(line) }),
  );
  return { clock, requests, warnings, retries };
}

describe('function retries', () => {
  it('waits 10, 20 and 30 s between attempts and counts them in retryContext', async () => {
    const { clock, requests, retries } = setup(3);
    const done = retries.invoke(nightly, { trigger: { json: '{}' } });
    for (const wait of [10_000, 20_000, 30_000]) {
      await settle();
      clock.advance(wait - 1);
      await settle();
      const before = requests.length;
      clock.advance(1);
      await settle();
      expect(requests.length).toBe(before + 1);
    }
    await done;
    expect(requests.map((r) => [r.retryContext?.retryCount, r.retryContext?.exception?.message])).toEqual([
      [0, undefined],
      [1, 'failure 1'],
      [2, 'failure 2'],
      [3, 'failure 3'],
    ]);
    expect(requests.every((r) => r.retryContext?.maxRetryCount === 3)).toBe(true);
  });

  it('fails with the last error once the retries run out', async () => {
    const { clock, requests, retries } = setup(10);
    const done = retries.invoke(nightly, { trigger: { json: '{}' } }).catch((error: Error) => error.message);
    for (let i = 0; i < 3; i += 1) {
      await settle();
      clock.advanceToNext();
    }
    expect(await done).toBe('failure 4');
    expect(requests).toHaveLength(4);
    expect(clock.waiting).toBe(0);
  });

  it('ends a wait when stopped, failing with the last error', async () => {
    const { clock, requests, retries } = setup(10);
    const done = retries.invoke(nightly, { trigger: { json: '{}' } }).catch((error: Error) => error.message);
    await settle();
    retries.stop();
    expect(await done).toBe('failure 1');
    expect(requests).toHaveLength(1);
    expect(clock.waiting).toBe(0);
  });

  it('leaves triggers that retry through their service alone, with a warning at start', async () => {
    const { requests, warnings, retries } = setup(1);
    const queued = { trigger: { string: 'x' }, retryContext: { retryCount: 2, maxRetryCount: 4 } };
    await expect(retries.invoke(fn('queueWork', 'queueTrigger'), queued)).rejects.toThrow('failure 1');
    expect(requests).toEqual([queued]);
    expect(warnings.join('\n')).toMatch(/'queueWork' has a retry policy.*ignored for queueTrigger/);
  });
});
