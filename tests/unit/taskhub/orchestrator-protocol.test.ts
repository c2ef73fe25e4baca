// The orchestrationTrigger input and the two ways an orchestrator run comes back, checked
// against the durable-functions library itself.
import { createRequire } from 'node:module';
import type * as df from 'durable-functions';
import { describe, expect, it } from 'vitest';
import { applyCommit, mergeCommits } from '../../../local/taskhub/commit-algebra.js';
import { EventType, type HistoryEvent } from '../../../local/taskhub/history.js';
import {
  orchestrationTrigger,
  outcomeOfError,
  outcomeOfResponse,
} from '../../../local/taskhub/orchestrator-protocol.js';
import type { EpisodeCommit, WorkItem } from '../../../local/taskhub/backend.js';

const { createOrchestrator } = createRequire(import.meta.url)(
  'durable-functions/lib/src/util/testingUtils.js',
) as {
  createOrchestrator(fn: df.OrchestrationHandler): (trigger: unknown, context: object) => Promise<unknown>;
};

const at = new Date(Date.UTC(2026, 0, 1)).toISOString();
const history: HistoryEvent[] = [
  { EventType: EventType.OrchestratorStarted, EventId: -1, Timestamp: at, IsPlayed: false },
  {
    EventType: EventType.ExecutionStarted,
    EventId: -1,
    Timestamp: at,
    IsPlayed: false,
    Name: 'o',
    Input: '7',
    ExecutionId: 'e',
  },
];
const trigger = orchestrationTrigger({
  instanceId: 'i',
  input: '7',
  history,
  limits: { maximumShortTimerMs: 6 * 86_400_000, longRunningTimerIntervalMs: 3 * 86_400_000 },
});
const run = (fn: df.OrchestrationHandler) => createOrchestrator(fn)(JSON.parse(trigger.json!), {});

describe('orchestrator protocol', () => {
  it('gives the orchestrator its input, id and clock, and reads back its actions', async () => {
    const state = await run(function* (context) {
      expect(context.df.instanceId).toBe('i');
      expect(context.df.currentUtcDateTime.toISOString()).toBe(at);
      yield context.df.Task.all([
        context.df.callActivity('a', context.df.getInput()),
        context.df.createTimer(new Date(Date.parse(at) + 1000)),
      ]);
    });
    const outcome = outcomeOfResponse({ returnValue: { json: JSON.stringify(state) } });
    expect(outcome.kind).toBe('decided');
    if (outcome.kind === 'decided') {
      expect(outcome.state.isDone).toBe(false);
      expect(outcome.state.actions[0]?.[0]).toMatchObject({
        actionType: 12,
        compoundActions: [{ actionType: 0, functionName: 'a', input: 7 }, { actionType: 5 }],
      });
    }
  });

  it('recovers the user error and custom status from the library failure', async () => {
    // The activity completed, so the replay runs on to the throw.
    const completed: HistoryEvent = {
      EventType: EventType.TaskCompleted,
      EventId: -1,
      Timestamp: at,
      IsPlayed: false,
      TaskScheduledId: 0,
      Result: '1',
    };
    const limits = { maximumShortTimerMs: 1e9, longRunningTimerIntervalMs: 1e8 };
    const failing = orchestrationTrigger({
      instanceId: 'i',
      input: null,
      history: [...history, completed],
      limits,
    });
    const thrown = await createOrchestrator(function* (context) {
      context.df.setCustomStatus({ step: 1 });
      yield context.df.callActivity('a');
      throw new TypeError('bad state');
    })(JSON.parse(failing.json!), {}).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(outcomeOfError(thrown)).toEqual({
      kind: 'failed',
      failure: expect.objectContaining({ ErrorType: 'Error', ErrorMessage: 'bad state' }),
      customStatus: { step: 1 },
    });
    expect(outcomeOfResponse({ returnValue: null })).toMatchObject({ kind: 'failed' });
  });
});

describe('commit algebra', () => {
  const item: WorkItem = {
    instance: {
      instanceId: 'i',
      name: 'o',
      executionId: 'e',
      status: 'Running',
      input: null,
      output: null,
      customStatus: null,
      createdAt: at,
      lastUpdatedAt: at,
    },
    history,
    messages: [{ id: 'm', event: history[1]! }],
    etag: '1',
  };
  const commit = (executionId: string, events: HistoryEvent[], consumed: string[] = []): EpisodeCommit => ({
    instance: { ...item.instance, executionId },
    newEvents: events,
    consumedMessageIds: consumed,
    outbox: [],
  });

  it('applies and merges commits as one episode after the other', () => {
    const a = commit('e', [history[0]!], ['m']);
    const b = commit('e', [history[1]!]);
    expect(applyCommit(applyCommit(item, a), b)).toEqual(applyCommit(item, mergeCommits(a, b)));
    expect(applyCommit(item, a, '2')).toMatchObject({ messages: [], etag: '2' });
    const restarted = mergeCommits(a, commit('f', []));
    expect(applyCommit(item, restarted).history).toEqual([]);
  });
});
