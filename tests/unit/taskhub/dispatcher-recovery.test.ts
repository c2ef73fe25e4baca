// Episodes are decided in memory and committed in groups; these pin what happens when a
// commit is refused or fails, and when a second dispatcher takes over from a dead one.
import type * as df from 'durable-functions';
import { afterEach, describe, expect, it } from 'vitest';
import { PlatformError } from '../../../shared/errors.js';
import type { TaskHubBackend } from '../../../local/taskhub/backend.js';
import { createMemoryBackend } from '../../../local/taskhub/memory-backend.js';
import { createEngine, type Engine } from '../../support/taskhub/engine-harness.js';

const chain: df.OrchestrationHandler = function* (context) {
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += (yield context.df.callActivity('square', i)) as number;
  return sum;
};
const square = (n: unknown) => (n as number) ** 2;

/** A backend whose commits fail as `failures` says, by call number. */
function flaky(
  backend: TaskHubBackend,
  failures: Record<number, PlatformError>,
): TaskHubBackend & { commits: number } {
  const wrapped = {
    ...backend,
    commits: 0,
    async commit(...args: Parameters<TaskHubBackend['commit']>) {
      wrapped.commits += 1;
      const failure = failures[wrapped.commits];
      if (failure) throw failure;
      return backend.commit(...args);
    },
  };
  return wrapped;
}

const engines: Engine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.stop()));
});

const completedTasks = (historyEvents: unknown[] | undefined) =>
  (historyEvents ?? []).filter((e) => (e as { EventType: string }).EventType === 'TaskCompleted').length;

describe('dispatcher recovery', () => {
  it('re-decides from storage when a commit is refused or fails, recording each step once', async () => {
    const backend = flaky(createMemoryBackend(), {
      3: new PlatformError('PRECONDITION_FAILED', 'changed'),
      5: new PlatformError('DEPENDENCY_UNAVAILABLE', 'storage down'),
    });
    const engine = await createEngine({ orchestrators: { chain }, activities: { square }, backend });
    engines.push(engine);
    const status = await engine.waitFor(await engine.start('chain'));
    expect(status.output).toBe(285);
    expect(completedTasks(status.historyEvents)).toBe(10);
    expect(backend.commits).toBeGreaterThan(5);
  });

  it('lets a new dispatcher finish what a dead one left in storage', async () => {
    const backend = createMemoryBackend();
    const started: number[] = [];
    const dead = await createEngine({
      orchestrators: { chain },
      activities: {
        square: (n) => {
          started.push(n as number);
          // The first dispatcher dies while its fourth activity runs: the call never returns.
          return (n as number) === 3 ? new Promise(() => {}) : square(n);
        },
      },
      backend,
    });
    const id = await dead.start('chain');
    await dead.waitFor(id, () => started.includes(3));

    const successor = await createEngine({ orchestrators: { chain }, activities: { square }, backend });
    engines.push(successor);
    const status = await successor.waitFor(id);
    expect(status.output).toBe(285);
    expect(completedTasks(status.historyEvents)).toBe(10);
  });
});
