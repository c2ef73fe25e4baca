// The pure episode steps: which messages become which events, the numbering of host-driven
// follow-ups before the code's new actions, and the failures replay can end in.
import { describe, expect, it } from 'vitest';
import type { WorkItem } from '../../../local/taskhub/backend.js';
import { finishEpisode } from '../../../local/taskhub/finish-episode.js';
import { prepareEpisode, type EpisodeSettings } from '../../../local/taskhub/prepare-episode.js';
import { EventType, type HistoryEvent, type RetryPolicy } from '../../../local/taskhub/history.js';
import type { InstanceRecord, Message } from '../../../local/taskhub/instance.js';
import { ActionType } from '../../../local/taskhub/orchestrator-actions.js';
import type { OrchestratorOutcome } from '../../../local/taskhub/orchestrator-protocol.js';
import { retryDelayMs } from '../../../local/taskhub/retry-policy.js';

const now = Date.UTC(2026, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString();
let ids = 0;
const settings: EpisodeSettings = {
  limits: { maximumShortTimerMs: 1_000, longRunningTimerIntervalMs: 400 },
  maxMessagesPerEpisode: 90,
  newExecutionId: () => `x${++ids}`,
};
const head = (eventId = -1) => ({ EventId: eventId, Timestamp: iso(now - 1_000), IsPlayed: false });
const policy: RetryPolicy = {
  firstRetryIntervalInMilliseconds: 1_000,
  maxNumberOfAttempts: 3,
  backoffCoefficient: 2,
};

const instance: InstanceRecord = {
  instanceId: 'i',
  name: 'orch',
  executionId: 'e',
  status: 'Running',
  input: null,
  output: null,
  customStatus: null,
  createdAt: iso(now - 5_000),
  lastUpdatedAt: iso(now - 1_000),
};

const started: HistoryEvent[] = [
  { EventType: EventType.OrchestratorStarted, ...head() },
  { EventType: EventType.ExecutionStarted, ...head(), Name: 'orch', Input: null, ExecutionId: 'e' },
];

const message = (id: string, event: HistoryEvent): Message => ({ id, executionId: 'e', event });
const item = (
  history: HistoryEvent[],
  messages: Message[],
  overrides: Partial<InstanceRecord> = {},
): WorkItem => ({
  instance: { ...instance, ...overrides },
  history,
  messages,
  etag: '1',
});
const decided = (actions: unknown[], extra: Record<string, unknown> = {}): OrchestratorOutcome => ({
  kind: 'decided',
  state: { isDone: false, actions: [actions as never[]], ...extra } as never,
});

describe('prepareEpisode', () => {
  it('delivers follow-up causing events first and numbers their follow-ups before new actions', () => {
    const history: HistoryEvent[] = [
      ...started,
      {
        EventType: EventType.TaskScheduled,
        ...head(0),
        Name: 'a',
        Input: null,
        Retry: { FirstId: 0, Attempt: 1, Policy: policy },
      },
      { EventType: EventType.TaskScheduled, ...head(1), Name: 'b', Input: null },
    ];
    const failure = { ErrorType: 'Error', ErrorMessage: 'no' };
    const messages = [
      message('done-b', { EventType: EventType.TaskCompleted, ...head(), TaskScheduledId: 1, Result: '"b"' }),
      message('done-b-again', {
        EventType: EventType.TaskCompleted,
        ...head(),
        TaskScheduledId: 1,
        Result: '"b"',
      }),
      message('failed-a', {
        EventType: EventType.TaskFailed,
        ...head(),
        TaskScheduledId: 0,
        Reason: 'no',
        Details: 'no',
        FailureDetails: failure,
      }),
      {
        ...message('stale', {
          EventType: EventType.TaskCompleted,
          ...head(),
          TaskScheduledId: 0,
          Result: '1',
        }),
        executionId: 'old',
      },
    ];
    const work = item(history, messages);
    const prepared = prepareEpisode(work, now, settings)!;
    expect(prepared.consumedMessageIds.sort()).toEqual(['done-b', 'done-b-again', 'failed-a', 'stale']);
    expect(prepared.newEvents.map((e) => [e.EventType, e.EventId])).toEqual([
      [EventType.OrchestratorStarted, -1],
      [EventType.TaskFailed, -1],
      [EventType.TaskCompleted, -1],
      [EventType.TimerCreated, 2],
    ]);
    expect(prepared.newEvents[3]).toMatchObject({
      FireAt: iso(now + 1_000),
      Retry: { FirstId: 0, Attempt: 1 },
    });

    const commit = finishEpisode(
      work,
      prepared,
      decided([
        {
          actionType: ActionType.CallActivityWithRetry,
          functionName: 'a',
          input: null,
          retryOptions: policy,
        },
        { actionType: ActionType.CallActivity, functionName: 'b', input: null },
        { actionType: ActionType.CallActivity, functionName: 'c', input: 'text' },
      ]),
      settings,
    );
    expect(commit.newEvents.find((e) => e.EventType === EventType.TaskScheduled)).toMatchObject({
      EventId: 3,
      Name: 'c',
      Input: '"text"',
    });
  });

  it('reschedules a retried task after its delay, and lets the last delay fail it', () => {
    const history: HistoryEvent[] = [
      ...started,
      {
        EventType: EventType.TaskScheduled,
        ...head(0),
        Name: 'a',
        Input: '5',
        Retry: { FirstId: 0, Attempt: 1, Policy: policy },
      },
      {
        EventType: EventType.TimerCreated,
        ...head(1),
        FireAt: iso(now),
        Retry: { FirstId: 0, Attempt: 1, Policy: policy },
      },
    ];
    const fired = message('t1', { EventType: EventType.TimerFired, ...head(), TimerId: 1, FireAt: iso(now) });
    const prepared = prepareEpisode(item(history, [fired]), now, settings)!;
    expect(prepared.newEvents.at(-1)).toMatchObject({
      EventType: EventType.TaskScheduled,
      EventId: 2,
      Name: 'a',
      Input: '5',
      Retry: { Attempt: 2 },
    });

    const last: HistoryEvent[] = [
      ...started,
      {
        EventType: EventType.TimerCreated,
        ...head(5),
        FireAt: iso(now),
        Retry: { FirstId: 0, Attempt: 3, Policy: policy },
      },
    ];
    const final = prepareEpisode(
      item(last, [{ ...fired, event: { ...fired.event, TimerId: 5 } as HistoryEvent }]),
      now,
      settings,
    )!;
    expect(final.newEvents.map((e) => e.EventType)).toEqual([
      EventType.OrchestratorStarted,
      EventType.TimerFired,
    ]);
  });

  it('schedules the next segment of a long timer until the last one fires', () => {
    const finalAt = now + 700;
    const history: HistoryEvent[] = [
      ...started,
      {
        EventType: EventType.TimerCreated,
        ...head(0),
        FireAt: iso(now),
        LongTimer: { FirstId: 0, FinalFireAt: iso(finalAt) },
      },
    ];
    const fired = message('t0', { EventType: EventType.TimerFired, ...head(), TimerId: 0, FireAt: iso(now) });
    expect(prepareEpisode(item(history, [fired]), now, settings)!.newEvents.at(-1)).toMatchObject({
      EventType: EventType.TimerCreated,
      EventId: 1,
      FireAt: iso(finalAt),
    });
  });

  it('terminates without running the orchestrator and reports to the parent', () => {
    const parent = { instanceId: 'p', executionId: 'pe', taskScheduledId: 4 };
    const terminate = message('stop', {
      EventType: EventType.ExecutionTerminated,
      ...head(),
      Input: '"enough"',
    });
    const prepared = prepareEpisode(item(started, [terminate], { parent }), now, settings)!;
    expect(prepared.run).toBe(false);
    expect(prepared.commit?.instance).toMatchObject({ status: 'Terminated', output: '"enough"' });
    expect(prepared.commit?.outbox).toEqual([
      expect.objectContaining({
        kind: 'send',
        instanceId: 'p',
        message: expect.objectContaining({ id: 'pe:sub:4' }),
      }),
    ]);
  });

  it('keeps messages waiting while suspended, and consumes nothing more than the episode limit', () => {
    const suspend = message('s', { EventType: EventType.ExecutionSuspended, ...head(), Reason: null });
    const raised = message('r', { EventType: EventType.EventRaised, ...head(), Name: 'go', Input: null });
    const prepared = prepareEpisode(item(started, [suspend, raised]), now, settings)!;
    expect(prepared.consumedMessageIds).toEqual(['s']);
    expect(prepared.commit?.instance.status).toBe('Suspended');

    const many = Array.from({ length: 120 }, (_, i) =>
      message(`m${i}`, { EventType: EventType.EventRaised, ...head(), Name: 'go', Input: null }),
    );
    expect(prepareEpisode(item(started, many), now, settings)!.consumedMessageIds).toHaveLength(90);
  });
});

describe('finishEpisode', () => {
  const history: HistoryEvent[] = [
    ...started,
    { EventType: EventType.TaskScheduled, ...head(0), Name: 'a', Input: null },
  ];
  const completed = message('c', {
    EventType: EventType.TaskCompleted,
    ...head(),
    TaskScheduledId: 0,
    Result: '1',
  });

  it('fails the instance when the replay issues something else than the history holds', () => {
    const work = item(history, [completed]);
    const commit = finishEpisode(
      work,
      prepareEpisode(work, now, settings)!,
      decided([{ actionType: ActionType.CreateTimer, fireAt: iso(now) }]),
      settings,
    );
    expect(commit.instance.status).toBe('Failed');
    expect(commit.instance.failure).toMatchObject({
      ErrorType: 'NonDeterministicOrchestrationError',
      ErrorMessage:
        "Non-deterministic workflow detected: replay scheduled a timer where the history has activity 'a' (event 0); orchestrator code must be deterministic.",
    });
  });

  it('fails the instance when the replay no longer issues what the history holds', () => {
    const work = item(history, [completed]);
    const commit = finishEpisode(
      work,
      prepareEpisode(work, now, settings)!,
      decided([], { isDone: true, output: 1 }),
      settings,
    );
    expect(commit.instance.failure?.ErrorMessage).toContain(
      "the history has activity 'a' (event 0), which the orchestrator no longer schedules",
    );
  });

  it('refuses actions it cannot run, naming them', () => {
    const work = item(history, [completed]);
    const commit = finishEpisode(
      work,
      prepareEpisode(work, now, settings)!,
      decided([
        { actionType: ActionType.CallActivity, functionName: 'a', input: null },
        { actionType: 10, unsupported: true },
      ]),
      settings,
    );
    expect(commit.instance.failure).toMatchObject({
      ErrorType: 'NotSupportedError',
      ErrorMessage: expect.stringContaining('context.df.signalEntity with a scheduled time is not supported'),
    });
  });

  it('starts sub-orchestrations through the outbox and completes with output for the parent', () => {
    const work = item(history, [completed], {
      parent: { instanceId: 'p', executionId: 'pe', taskScheduledId: 9 },
    });
    const prepared = prepareEpisode(work, now, settings)!;
    const commit = finishEpisode(
      work,
      prepared,
      decided(
        [
          { actionType: ActionType.CallActivity, functionName: 'a', input: null },
          { actionType: ActionType.CallSubOrchestrator, functionName: 'child', input: 'x', instanceId: null },
        ],
        { isDone: true, output: { ok: true }, customStatus: 'finished' },
      ),
      settings,
    );
    expect(commit.instance).toMatchObject({
      status: 'Completed',
      output: '{"ok":true}',
      customStatus: '"finished"',
    });
    expect(commit.outbox.map((e) => e.kind)).toEqual(['create', 'send']);
    expect(commit.outbox[0]).toMatchObject({
      kind: 'create',
      instance: {
        instanceId: 'i:0001',
        name: 'child',
        input: '"x"',
        parent: { instanceId: 'i', taskScheduledId: 1 },
      },
    });
    expect(commit.outbox[1]).toMatchObject({
      message: {
        id: 'pe:sub:9',
        event: { EventType: EventType.SubOrchestrationInstanceCompleted, Result: '{"ok":true}' },
      },
    });
  });
});

describe('retryDelayMs', () => {
  it('backs off per failed attempt up to the cap', () => {
    const capped: RetryPolicy = { ...policy, maxRetryIntervalInMilliseconds: 3_000 };
    expect([1, 2, 3].map((attempt) => retryDelayMs(capped, attempt))).toEqual([1_000, 2_000, 3_000]);
    expect(retryDelayMs({ firstRetryIntervalInMilliseconds: 250, maxNumberOfAttempts: 5 }, 4)).toBe(250);
  });
});
