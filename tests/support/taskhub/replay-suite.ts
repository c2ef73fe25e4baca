// The engine replays real durable-functions orchestrators (the library's own replay) and
// applies their decisions: every feature of issue 4 point 2, as one suite that runs against
// each backend (in memory here, Azure Storage in tests/integration/taskhub).
import * as df from 'durable-functions';
import { afterEach, describe, expect, it } from 'vitest';
import type { TaskHubBackend } from '../../../local/taskhub/backend.js';
import { createEngine as createEngineWith, type Engine } from './engine-harness.js';

const retry = (attempts: number) => {
  const options = new df.RetryOptions(5, attempts);
  options.backoffCoefficient = 2;
  return options;
};

export function replaySuite(backendName: string, makeBackend: () => TaskHubBackend): void {
  describe(`orchestration replay (${backendName} backend)`, () => {
    let engine: Engine | undefined;
    afterEach(async () => {
      await engine?.stop();
      engine = undefined;
    });
    const createEngine = (options: Parameters<typeof createEngineWith>[0]) =>
      createEngineWith({ ...options, backend: makeBackend() });

    it('chains activities and passes inputs and outputs through', async () => {
      engine = await createEngine({
        orchestrators: {
          chain: function* (context) {
            const a: string = yield context.df.callActivity('hello', 'Tokyo');
            const b: string = yield context.df.callActivity('hello', { city: 'Seattle' });
            const c: number = yield context.df.callActivity('twice', 21);
            return [a, b, c, context.df.getInput()];
          },
        },
        activities: {
          hello: (input) => `Hello ${typeof input === 'string' ? input : (input as { city: string }).city}`,
          twice: (n) => (n as number) * 2,
        },
      });
      const id = await engine.start('chain', { run: 1 });
      const status = await engine.waitFor(id);
      expect(status.runtimeStatus).toBe('Completed');
      expect(status.output).toEqual(['Hello Tokyo', 'Hello Seattle', 42, { run: 1 }]);
    });

    it('fans out with Task.all and picks the first with Task.any', async () => {
      engine = await createEngine({
        orchestrators: {
          fan: function* (context) {
            const tasks = Array.from({ length: 25 }, (_, i) => context.df.callActivity('square', i));
            const squares: number[] = yield context.df.Task.all(tasks);
            const timer = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 60_000));
            const winner: df.Task = yield context.df.Task.any([context.df.callActivity('square', 7), timer]);
            if (!timer.isCompleted) timer.cancel();
            return { sum: squares.reduce((a, b) => a + b, 0), first: winner.result };
          },
        },
        activities: { square: (n) => (n as number) ** 2 },
        maxConcurrentActivities: 4,
      });
      const status = await engine.waitFor(await engine.start('fan'));
      expect(status.output).toEqual({ sum: 4900, first: 49 });
    });

    it('waits for external events, with a timer as timeout', async () => {
      engine = await createEngine({
        orchestrators: {
          approval: function* (context) {
            context.df.setCustomStatus('waiting');
            const approved = context.df.waitForExternalEvent('approve');
            const timeout = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 200));
            const first: df.Task = yield context.df.Task.any([approved, timeout]);
            const decision = first === approved ? approved.result : 'timed out';
            const second: unknown = yield context.df.waitForExternalEvent('second');
            context.df.setCustomStatus('done');
            return { decision, second };
          },
        },
      });
      const id = await engine.start('approval');
      await engine.waitFor(id, (s) => s.customStatus === 'waiting');
      expect(await engine.client.raiseEvent(id, 'approve', JSON.stringify({ by: 'ana' }))).toBe('accepted');
      await engine.client.raiseEvent(id, 'second', '2');
      const status = await engine.waitFor(id);
      expect(status.output).toEqual({ decision: { by: 'ana' }, second: 2 });
      expect(status.customStatus).toBe('done');

      const late = await engine.start('approval');
      await engine.waitFor(late, (s) => s.customStatus === 'waiting');
      await engine.client.raiseEvent(late, 'second', '"x"');
      engine.clock.advance(200);
      expect((await engine.waitFor(late)).output).toEqual({ decision: 'timed out', second: 'x' });
    });

    it('surfaces activity failures to the orchestrator with their details, and fails the instance when uncaught', async () => {
      engine = await createEngine({
        orchestrators: {
          catching: function* (context) {
            try {
              yield context.df.callActivity('boom', 'x');
              return 'no error';
            } catch (error) {
              return (error as Error).message;
            }
          },
          throwing: function* (context) {
            yield context.df.callActivity('boom', 'y');
          },
        },
        activities: {
          boom: (input) => {
            throw new TypeError(`bad input ${String(input)}`);
          },
        },
      });
      const caught = await engine.waitFor(await engine.start('catching'));
      expect(caught.runtimeStatus).toBe('Completed');
      expect(caught.output).toBe('TypeError: bad input x');

      const failed = await engine.waitFor(await engine.start('throwing'));
      expect(failed.runtimeStatus).toBe('Failed');
      expect(failed.output).toContain("Orchestrator function 'throwing' failed: TypeError: bad input y");
    });

    it('retries activities with backoff, and gives up after the last attempt', async () => {
      const calls: Record<string, number> = {};
      engine = await createEngine({
        orchestrators: {
          flaky: function* (context) {
            const ok: string = yield context.df.callActivityWithRetry('flaky', retry(3), 'a');
            try {
              yield context.df.callActivityWithRetry('flaky', retry(2), 'never');
            } catch (error) {
              return [ok, (error as Error).message];
            }
            return [ok];
          },
        },
        activities: {
          flaky: (input) => {
            const key = String(input);
            calls[key] = (calls[key] ?? 0) + 1;
            if (key === 'never' || calls[key] < 3) throw new Error(`attempt ${calls[key]} of ${key}`);
            return `ok after ${calls[key]}`;
          },
        },
      });
      const status = await engine.runTimersUntil(await engine.start('flaky'));
      expect(status.output).toEqual(['ok after 3', 'Error: attempt 2 of never']);
      expect(calls).toEqual({ a: 3, never: 2 });
    });

    it('runs sub-orchestrations with generated and explicit ids, with retry', async () => {
      let childFailures = 0;
      engine = await createEngine({
        orchestrators: {
          parent: function* (context) {
            const a: number = yield context.df.callSubOrchestrator('child', 2);
            const b: number = yield context.df.callSubOrchestrator(
              'child',
              3,
              `${context.df.instanceId}-explicit`,
            );
            const c: number = yield context.df.callSubOrchestratorWithRetry(
              'flakyChild',
              retry(3),
              4,
              `${context.df.instanceId}-retried`,
            );
            return [a, b, c];
          },
          child: function* (context) {
            const n = context.df.getInput<number>();
            return (yield context.df.callActivity('square', n)) as number;
          },
          flakyChild: function* (context) {
            const n = context.df.getInput<number>();
            const result = (yield context.df.callActivity('square', n)) as number;
            if (result === 16 && childFailures === 0) {
              childFailures += 1;
              throw new Error('child failed once');
            }
            return result;
          },
        },
        activities: { square: (n) => (n as number) ** 2 },
      });
      const id = await engine.start('parent', undefined, 'family');
      const status = await engine.runTimersUntil(id);
      expect(status.output).toEqual([4, 9, 16]);
      const explicit = await engine.client.getStatus('family-explicit', {
        showInput: true,
        showHistory: false,
        showHistoryOutput: false,
      });
      expect(explicit).toMatchObject({ runtimeStatus: 'Completed', input: 3, output: 9 });
      expect(childFailures).toBe(1);
    });

    it('continues as new with a fresh history, keeping the instance id', async () => {
      engine = await createEngine({
        orchestrators: {
          counter: function* (context) {
            const n = context.df.getInput<number>();
            yield context.df.callActivity('square', n);
            if (n < 4) {
              context.df.continueAsNew(n + 1);
              return undefined;
            }
            return `stopped at ${n}`;
          },
        },
        activities: { square: (n) => (n as number) ** 2 },
      });
      const id = await engine.start('counter', 0);
      const status = await engine.waitFor(id);
      expect(status.output).toBe('stopped at 4');
      expect(status.input).toBe(4);
      const started = (status.historyEvents as { EventType: string }[]).filter(
        (e) => e.EventType === 'ExecutionStarted',
      );
      expect(started).toHaveLength(1);
    });

    it('splits long timers into segments the way the library expects', async () => {
      engine = await createEngine({
        orchestrators: {
          sleeper: function* (context) {
            const start = context.df.currentUtcDateTime.getTime();
            yield context.df.createTimer(new Date(start + 350));
            return context.df.currentUtcDateTime.getTime() - start >= 350;
          },
        },
        limits: { maximumShortTimerMs: 100, longRunningTimerIntervalMs: 80 },
      });
      const status = await engine.runTimersUntil(await engine.start('sleeper'));
      expect(status.output).toBe(true);
      const timers = (status.historyEvents as { EventType: string }[]).filter(
        (e) => e.EventType === 'TimerCreated',
      );
      // 350 ms in segments of at most 80 ms.
      expect(timers.length).toBeGreaterThanOrEqual(5);
    });

    it('fails an instance whose replay disagrees with its history, saying why', async () => {
      let version = 1;
      engine = await createEngine({
        orchestrators: {
          changing: function* (context) {
            yield context.df.callActivity(version === 1 ? 'square' : 'cube', 2);
            yield context.df.waitForExternalEvent('go');
            return 'done';
          },
        },
        activities: { square: (n) => (n as number) ** 2, cube: (n) => (n as number) ** 3 },
      });
      const id = await engine.start('changing');
      await engine.waitFor(id, (s) =>
        (s.historyEvents ?? []).some((e) => (e as { EventType: string }).EventType === 'TaskCompleted'),
      );
      version = 2;
      await engine.client.raiseEvent(id, 'go', null);
      const status = await engine.waitFor(id);
      expect(status.runtimeStatus).toBe('Failed');
      expect(status.output).toContain(
        "Non-deterministic workflow detected: replay scheduled activity 'cube' where the history has activity 'square'",
      );
    });

    it('terminates, suspends and resumes; a running id cannot be started twice', async () => {
      engine = await createEngine({
        orchestrators: {
          waiter: function* (context) {
            return (yield context.df.waitForExternalEvent('go')) as unknown;
          },
        },
      });
      const id = await engine.start('waiter', undefined, 'w1');
      await expect(engine.start('waiter', undefined, 'w1')).rejects.toMatchObject({ code: 'CONFLICT' });
      await engine.waitFor(id, (s) => s.runtimeStatus === 'Running');
      await engine.client.suspend(id, 'hold');
      await engine.waitFor(id, (s) => s.runtimeStatus === 'Suspended');
      await engine.client.raiseEvent(id, 'go', '"while suspended"');
      await engine.client.resume(id, 'carry on');
      expect((await engine.waitFor(id)).output).toBe('while suspended');

      const other = await engine.start('waiter', undefined, 'w2');
      await engine.client.terminate(other, 'enough');
      const terminated = await engine.waitFor(other);
      expect(terminated).toMatchObject({ runtimeStatus: 'Terminated', output: 'enough' });
      expect(await engine.client.terminate(other, 'again')).toBe('gone');
      expect(await engine.client.purge(other)).toBe(1);
      expect(
        await engine.client.getStatus(other, {
          showInput: false,
          showHistory: false,
          showHistoryOutput: false,
        }),
      ).toBeUndefined();
    });
  });
}
