import { describe, expect, it } from 'vitest';
import { mayRetry, parseRetryPolicy } from '../../../local/host/retry-policy.js';
import { PlatformError } from '../../../shared/errors.js';

// What @azure/functions 4.x writes into the function metadata for `retry`.
const fixed = {
  strategy: 'fixedDelay',
  retryStrategy: 'fixedDelay',
  maxRetryCount: 2,
  delayInterval: { seconds: 5 },
} as const;
const exponential = {
  strategy: 'exponentialBackoff',
  retryStrategy: 'exponentialBackoff',
  maxRetryCount: -1,
  minimumInterval: { seconds: 2 },
  maximumInterval: { seconds: 15 },
} as const;

describe('retry policy', () => {
  it('waits the fixed delay before every retry and stops after maxRetryCount', () => {
    const policy = parseRetryPolicy(fixed, 'f');
    expect([1, 2].map((n) => policy.delayMs(n))).toEqual([5000, 5000]);
    expect([0, 1, 2].map((n) => mayRetry(policy, n))).toEqual([true, true, false]);
  });

  it('doubles from the minimum up to the maximum, and -1 retries without end', () => {
    const policy = parseRetryPolicy(exponential, 'f');
    expect([1, 2, 3, 4, 5, 2000].map((n) => policy.delayMs(n))).toEqual([
      2000, 4000, 8000, 15000, 15000, 15000,
    ]);
    expect(mayRetry(policy, 1_000_000)).toBe(true);
  });

  it('takes nanos into account', () => {
    const policy = parseRetryPolicy({ ...fixed, delayInterval: { seconds: 1, nanos: 500_000_000 } }, 'f');
    expect(policy.delayMs(1)).toBe(1500);
  });

  it('refuses incomplete or contradictory policies, naming the function and field', () => {
    const refusal = (options: object) => {
      try {
        parseRetryPolicy(options, 'nightly');
      } catch (error) {
        return error as PlatformError;
      }
      throw new Error('accepted');
    };
    expect(refusal({ ...fixed, delayInterval: undefined })).toMatchObject({
      code: 'INVALID_CONFIG',
      message: expect.stringMatching(/retry policy of function 'nightly': delayInterval/),
    });
    expect(refusal({ ...fixed, maxRetryCount: -2 }).message).toMatch(/maxRetryCount/);
    expect(refusal({ ...exponential, retryStrategy: 'linear' }).message).toMatch(/retryStrategy/);
    expect(refusal({ ...exponential, minimumInterval: { seconds: 20 } }).message).toMatch(
      /minimumInterval \(20000 ms\) is longer than maximumInterval \(15000 ms\)/,
    );
  });
});
