// Durable entities through the engine and the library's own orchestrator and entity wrappers:
// signals and calls from orchestrations and clients, state, errors, and critical sections.
import * as df from 'durable-functions';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../support/taskhub/engine-harness.js';

let engine: Engine;

const counter: df.EntityHandler<number> = (context) => {
  const value = context.df.getState(() => 0)!;
  switch (context.df.operationName) {
    case 'add':
      context.df.setState(value + (context.df.getInput() as number));
      break;
    case 'set':
      context.df.setState(context.df.getInput() as number);
      break;
    case 'get':
      context.df.return(value);
      break;
    case 'forward':
      context.df.signalEntity(new df.EntityId('counter', context.df.getInput() as string), 'add', value);
      break;
    case 'delete':
      context.df.destructOnExit();
      break;
    default:
      throw new Error(`no operation '${context.df.operationName}'`);
  }
};

beforeAll(async () => {
  const useCounter: df.OrchestrationHandler = function* (context) {
    const id = new df.EntityId('counter', context.df.getInput() as string);
    context.df.signalEntity(id, 'add', 5);
    const afterSignal = (yield context.df.callEntity(id, 'get')) as number;
    yield context.df.callEntity(id, 'add', 2);
    let error = '';
    try {
      yield context.df.callEntity(id, 'explode');
    } catch (e) {
      error = (e as Error).message;
    }
    return { afterSignal, final: (yield context.df.callEntity(id, 'get')) as number, error };
  };
  // Read-modify-write with a pause between: only a critical section keeps concurrent runs apart.
  const increment: df.OrchestrationHandler = function* (context) {
    const [a, b] = ['a', 'b'].map((k) => new df.EntityId('counter', `lock-${k}`));
    const lock = (yield context.df.lock([a!, b!])) as { release(): void };
    const value = (yield context.df.callEntity(a!, 'get')) as number;
    yield context.df.callActivity('pause', value);
    yield context.df.callEntity(a!, 'set', value + 1);
    yield context.df.callEntity(b!, 'add', 1);
    lock.release();
    return value;
  };
  // Ends inside its critical section: the hub releases the lock for it.
  const holdAndEnd: df.OrchestrationHandler = function* (context) {
    yield context.df.lock(new df.EntityId('counter', 'held'));
    return context.df.getInput();
  };
  engine = await createEngine({
    orchestrators: { useCounter, increment, holdAndEnd },
    activities: { pause: (x) => new Promise((resolve) => setTimeout(() => resolve(x), 20)) },
    entities: { counter: counter as df.EntityHandler<unknown> },
  });
});
afterAll(async () => engine?.stop());

it('signals and calls an entity from an orchestration, in order, and surfaces operation errors', async () => {
  const id = await engine.start('useCounter', 'k1');
  const status = await engine.waitFor(id);
  expect(status.runtimeStatus).toBe('Completed');
  expect(status.output).toMatchObject({ afterSignal: 5, final: 7 });
  expect((status.output as { error: string }).error).not.toBe('');
  const entity = await engine.client.getStatus('@counter@k1', {
    showInput: true,
    showHistory: false,
    showHistoryOutput: false,
  });
  expect(entity).toMatchObject({ runtimeStatus: 'Running', input: { exists: true, state: '7' } });
});

it('lets clients signal and read entities; entities signal each other and can delete themselves', async () => {
  const entity = { name: 'counter', key: 'k2' };
  expect(await engine.client.readEntity(entity)).toBeUndefined();
  await engine.client.signalEntity(entity, 'add', '3');
  await engine.client.signalEntity(entity, 'forward', '"k3"');
  await eventually(async () => (await engine.client.readEntity({ name: 'counter', key: 'k3' })) === '3');
  expect(await engine.client.readEntity(entity)).toBe('3');
  await engine.client.signalEntity(entity, 'delete', null);
  await eventually(async () => (await engine.client.readEntity(entity)) === undefined);
});

it('keeps concurrent critical sections apart with locks', async () => {
  const ids = await Promise.all([1, 2, 3, 4].map(() => engine.start('increment')));
  const outputs = await Promise.all(ids.map(async (id) => (await engine.waitFor(id)).output));
  expect([...outputs].sort()).toEqual([0, 1, 2, 3]);
  expect(await engine.client.readEntity({ name: 'counter', key: 'lock-a' })).toBe('4');
  expect(await engine.client.readEntity({ name: 'counter', key: 'lock-b' })).toBe('4');
});

it('releases the locks of an orchestration that ends holding them', async () => {
  for (const n of [1, 2]) expect((await engine.waitFor(await engine.start('holdAndEnd', n))).output).toBe(n);
});

async function eventually(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
