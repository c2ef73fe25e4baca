import { describe, expect, it } from 'vitest';
import { defaultRestartPolicy, nextRestartDelay } from '../../../local/stack/restart-policy.js';

const policy = {
  ...defaultRestartPolicy,
  maxRestarts: 3,
  windowMs: 60_000,
  baseDelayMs: 500,
  maxDelayMs: 1500,
};

describe('emulator restart policy', () => {
  it('doubles the delay with each recent restart, up to the cap, then gives up', () => {
    expect(nextRestartDelay([], 100_000, policy)).toBe(500);
    expect(nextRestartDelay([90_000], 100_000, policy)).toBe(1000);
    expect(nextRestartDelay([80_000, 90_000], 100_000, policy)).toBe(1500);
    expect(nextRestartDelay([70_000, 80_000, 90_000], 100_000, policy)).toBeUndefined();
  });

  it('forgets restarts older than the window, and never restarts with a cap of 0', () => {
    expect(nextRestartDelay([1_000, 2_000, 3_000], 100_000, policy)).toBe(500);
    expect(nextRestartDelay([], 0, { ...policy, maxRestarts: 0 })).toBeUndefined();
  });
});
