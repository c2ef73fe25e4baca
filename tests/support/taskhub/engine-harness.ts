// The task hub engine with the in-memory backend and the durable-functions library's own
// orchestrator wrapper (what df.app.orchestration registers), without a host: `invoke`
// hands the orchestrator the out-of-process trigger input exactly as the host does.
import { createRequire } from 'node:module';
import type * as df from 'durable-functions';
import { ManualClock } from '../../../shared/clock.js';
import type { Invoke, RegisteredFunction } from '../../../local/host/extension.js';
import type { TaskHubBackend } from '../../../local/taskhub/backend.js';
import { createClientOperations, type ClientOperations } from '../../../local/taskhub/client-operations.js';
import { createDispatcher, type Dispatcher } from '../../../local/taskhub/dispatcher.js';
import { createMemoryBackend } from '../../../local/taskhub/memory-backend.js';
import type { StatusView } from '../../../local/taskhub/status-view.js';

type OrchestrationHandler = (trigger: unknown, context: Record<string, unknown>) => Promise<unknown>;
const { createOrchestrator, createEntityFunction } = createRequire(import.meta.url)(
  'durable-functions/lib/src/util/testingUtils.js',
) as {
  createOrchestrator(fn: df.OrchestrationHandler): OrchestrationHandler;
  createEntityFunction(fn: df.EntityHandler<unknown>): OrchestrationHandler;
};

export type Activity = (input: unknown) => unknown;

export interface Engine {
  backend: TaskHubBackend;
  client: ClientOperations;
  dispatcher: Dispatcher;
  /** The hub's time: it stands still, so durable timers fire only when a test advances it. */
  clock: ManualClock;
  /** Starts an orchestration with a JSON-able input and returns its id. */
  start(name: string, input?: unknown, instanceId?: string): Promise<string>;
  waitFor(instanceId: string, until?: (s: StatusView) => boolean, timeoutMs?: number): Promise<StatusView>;
  /** Like waitFor, moving the clock to the next durable timer between polls (retry back-offs, timeouts). */
  runTimersUntil(instanceId: string, until?: (s: StatusView) => boolean): Promise<StatusView>;
  stop(): Promise<void>;
}

const fn = (name: string, type: string): RegisteredFunction => ({
  name,
  id: name,
  trigger: { name: 'trigger', type, direction: 'in' },
  inputs: [],
  outputs: [],
});

export async function createEngine(options: {
  orchestrators: Record<string, df.OrchestrationHandler>;
  activities?: Record<string, Activity>;
  entities?: Record<string, df.EntityHandler<unknown>>;
  backend?: TaskHubBackend;
  maxConcurrentActivities?: number;
  limits?: { maximumShortTimerMs: number; longRunningTimerIntervalMs: number };
}): Promise<Engine> {
  const backend = options.backend ?? createMemoryBackend();
  await backend.initialize();
  const orchestrators = new Map(
    Object.entries(options.orchestrators).map(([name, handler]) => [name, createOrchestrator(handler)]),
  );
  const activities = new Map(Object.entries(options.activities ?? {}));
  const entities = new Map(
    Object.entries(options.entities ?? {}).map(([name, handler]) => [name, createEntityFunction(handler)]),
  );

  const invoke: Invoke = async (target, request) => {
    const trigger = JSON.parse(request.trigger.json ?? 'null') as unknown;
    if (target.trigger.type === 'orchestrationTrigger') {
      const result = await orchestrators.get(target.name)!(trigger, { invocationId: 'test' });
      return { returnValue: { json: JSON.stringify(result) } };
    }
    if (target.trigger.type === 'entityTrigger') {
      const result = await entities.get(target.name)!(trigger, {});
      return { returnValue: { json: JSON.stringify(result) } };
    }
    const result = await activities.get(target.name)!(trigger);
    return { returnValue: result === undefined ? null : { json: JSON.stringify(result) } };
  };

  const clock = new ManualClock(Date.now());
  const dispatcher = createDispatcher({
    backend,
    clock,
    invoke,
    log: { info: () => {}, error: (m) => console.error(m) },
    functions: {
      orchestrator: (name) => (orchestrators.has(name) ? fn(name, 'orchestrationTrigger') : undefined),
      activity: (name) => (activities.has(name) ? fn(name, 'activityTrigger') : undefined),
      entity: (name) => (entities.has(name) ? fn(name, 'entityTrigger') : undefined),
    },
    maxConcurrentActivities: options.maxConcurrentActivities ?? 10,
    maxConcurrentOrchestrations: 10,
    maxMessagesPerEpisode: 90,
    limits: options.limits ?? {
      maximumShortTimerMs: 6 * 86_400_000,
      longRunningTimerIntervalMs: 3 * 86_400_000,
    },
    newExecutionId: () => crypto.randomUUID(),
  });
  const client = createClientOperations({
    backend,
    clock,
    hasOrchestrator: (n) => orchestrators.has(n),
    notify: dispatcher.notify,
  });
  await dispatcher.start();

  const statusOptions = { showInput: true, showHistory: true, showHistoryOutput: true };
  const poll = async (
    instanceId: string,
    until: (s: StatusView) => boolean = (s) =>
      ['Completed', 'Failed', 'Terminated'].includes(s.runtimeStatus),
    timeoutMs = 10_000,
    between: () => void,
  ): Promise<StatusView> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = await client.getStatus(instanceId, statusOptions);
      if (status && until(status)) return status;
      if (Date.now() > deadline)
        throw new Error(`Instance ${instanceId} did not reach the expected state: ${JSON.stringify(status)}`);
      between();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  return {
    backend,
    client,
    dispatcher,
    clock,
    async start(name, input, instanceId) {
      const created = await client.startNew(name, {
        input: input === undefined ? null : JSON.stringify(input),
        ...(instanceId ? { instanceId } : {}),
      });
      return created.instanceId;
    },
    waitFor: (instanceId, until, timeoutMs) => poll(instanceId, until, timeoutMs, () => {}),
    runTimersUntil: (instanceId, until) => poll(instanceId, until, undefined, () => clock.advanceToNext()),
    stop: () => dispatcher.stop(),
  };
}
