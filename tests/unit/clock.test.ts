import { describe, expect, it } from 'vitest';
import { ManualClock, sleep } from '../../shared/clock.js';

describe('ManualClock', () => {
  it('stands still and fires what falls due, in time order, as it is advanced', () => {
    const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
    const fired: string[] = [];
    clock.schedule(300, () => fired.push(`c@${clock.now()}`));
    clock.schedule(100, () => fired.push('a'));
    const cancel = clock.schedule(200, () => fired.push('cancelled'));
    clock.schedule(100, () => fired.push('b'));
    cancel();
    clock.advance(99);
    expect(fired).toEqual([]);
    clock.advance(1);
    expect(fired).toEqual(['a', 'b']);
    clock.advance(1_000);
    expect(fired).toEqual(['a', 'b', `c@${Date.parse('2026-01-01T00:00:01.100Z')}`]);
    expect(clock.waiting).toBe(0);
  });

  it('jumps to the next waiting call', () => {
    const clock = new ManualClock(0);
    const fired: number[] = [];
    clock.schedule(5_000, () => fired.push(clock.now()));
    expect(clock.advanceToNext()).toBe(true);
    expect(fired).toEqual([5_000]);
    expect(clock.advanceToNext()).toBe(false);
  });

  it('runs a zero wait later, never inside the caller', async () => {
    const clock = new ManualClock(0);
    let fired = false;
    clock.schedule(0, () => (fired = true));
    expect(fired).toBe(false);
    await Promise.resolve();
    expect(fired).toBe(true);
  });

  it('following a base clock, flows with it and jumps ahead of it', () => {
    const base = new ManualClock(1_000);
    const clock = ManualClock.following(base);
    const fired: string[] = [];
    clock.schedule(500, () => fired.push('by the base'));
    clock.schedule(60_000, () => fired.push('by a jump'));
    base.advance(500);
    expect(fired).toEqual(['by the base']);
    clock.advance(30_000);
    expect(clock.now()).toBe(31_500);
    expect(fired).toEqual(['by the base']);
    // The rest of the wait is now shorter on the base too.
    base.advance(30_000);
    expect(fired).toEqual(['by the base', 'by a jump']);
    expect(base.waiting).toBe(0);
  });

  it('sleeps on the clock and stops sleeping when aborted', async () => {
    const clock = new ManualClock(0);
    const slept = sleep(clock, 1_000);
    clock.advance(1_000);
    await slept;
    const abort = new AbortController();
    const aborted = sleep(clock, 1_000, abort.signal);
    abort.abort(new Error('stopping'));
    await expect(aborted).rejects.toThrow('stopping');
    expect(clock.waiting).toBe(0);
  });
});
