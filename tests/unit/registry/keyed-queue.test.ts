import { describe, expect, it } from 'vitest';
import { KeyedQueue } from '../../../shared/registry/keyed-queue.js';

describe('KeyedQueue', () => {
  it('runs tasks of one key in order, one at a time, and keeps going after a failure', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    let running = 0;
    const task =
      (name: string, fail = false) =>
      async () => {
        running += 1;
        expect(running).toBe(1);
        await new Promise((resolve) => setImmediate(resolve));
        log.push(name);
        running -= 1;
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([
      queue.run('a', task('1')),
      queue.run('a', task('2', true)),
      queue.run('a', task('3')),
    ]);
    expect(log).toEqual(['1', '2', '3']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('lets different keys run side by side', async () => {
    const queue = new KeyedQueue();
    let release!: () => void;
    const blocked = queue.run('a', () => new Promise<void>((resolve) => (release = resolve)));
    expect(await queue.run('b', async () => 'b done')).toBe('b done');
    release();
    await blocked;
  });
});
