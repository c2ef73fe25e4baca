// An orchestration's runtime state as a pure fold over its history (no I/O, no clock): what
// is scheduled and still open, in which order the orchestrator issued it, and how it ended.
import {
  EventType,
  type EventSent,
  type ExecutionCompleted,
  type ExecutionStarted,
  type ExecutionTerminated,
  type HistoryEvent,
  type SubOrchestrationInstanceCreated,
  type TaskScheduled,
  type TimerCreated,
} from './history.js';

export type ScheduledTask = TaskScheduled | SubOrchestrationInstanceCreated;
export type Scheduled = ScheduledTask | TimerCreated | EventSent;

/** The activity name under which the extension records a durable HTTP call (callHttp). */
export const httpActivityName = 'BuiltIn::HttpActivity';

export interface RuntimeState {
  readonly started?: ExecutionStarted;
  readonly ended?: ExecutionCompleted | ExecutionTerminated;
  readonly suspended: boolean;
  /** The orchestrator's next sequence number: every scheduling event consumed one. */
  readonly nextEventId: number;
  /**
   * What the orchestrator code itself scheduled, in the order it did: a replay must issue the
   * same actions in the same order. Retry attempts, retry delays and later segments of long
   * timers are scheduled by the host, not the code, and are left out.
   */
  readonly issued: readonly Scheduled[];
  readonly openTasks: ReadonlyMap<number, ScheduledTask>;
  readonly openTimers: ReadonlyMap<number, TimerCreated>;
  /** The entities the orchestration holds locked (a critical section), scheduler ids. */
  readonly locked: readonly string[];
}

export const emptyState: RuntimeState = {
  suspended: false,
  nextEventId: 0,
  issued: [],
  openTasks: new Map(),
  openTimers: new Map(),
  locked: [],
};

/** Pure: the input state is copied once, then the copy absorbs the events. */
export function foldHistory(
  history: readonly HistoryEvent[],
  state: RuntimeState = emptyState,
): RuntimeState {
  const next = {
    ...state,
    issued: [...state.issued],
    openTasks: new Map(state.openTasks),
    openTimers: new Map(state.openTimers),
  };
  for (const event of history) apply(next, event);
  return next;
}

type Accumulator = { -readonly [K in keyof RuntimeState]: RuntimeState[K] } & {
  issued: Scheduled[];
  openTasks: Map<number, ScheduledTask>;
  openTimers: Map<number, TimerCreated>;
};

function isIssuedByCode(event: Scheduled): boolean {
  if (event.EventType === EventType.TimerCreated) {
    return !event.Retry && !event.HttpPoll && (!event.LongTimer || event.LongTimer.FirstId === event.EventId);
  }
  if (event.EventType === EventType.EventSent) return !event.Entity.Index;
  if (event.EventType === EventType.TaskScheduled && event.HttpPoll) return false;
  return !event.Retry || event.Retry.Attempt === 1;
}

/** The last sequence number an event takes: a poll's delay also reserves the poll after it. */
export function lastIdOf(event: HistoryEvent): number {
  return event.EventType === EventType.TimerCreated && event.HttpPoll ? event.HttpPoll.NextId : event.EventId;
}

function apply(state: Accumulator, event: HistoryEvent): void {
  switch (event.EventType) {
    case EventType.ExecutionStarted:
      state.started = event;
      return;
    case EventType.ExecutionCompleted:
    case EventType.ExecutionTerminated:
      state.ended = event;
      return;
    case EventType.ExecutionSuspended:
      state.suspended = true;
      return;
    case EventType.ExecutionResumed:
      state.suspended = false;
      return;
    case EventType.TaskScheduled:
    case EventType.SubOrchestrationInstanceCreated:
      state.openTasks.set(event.EventId, event);
      break;
    case EventType.TimerCreated:
      state.openTimers.set(event.EventId, event);
      break;
    case EventType.EventSent:
      if (event.Entity.Kind === 'lock') state.locked = lockSetOf(event);
      if (event.Entity.Kind === 'release') state.locked = [];
      break;
    case EventType.TaskCompleted:
    case EventType.TaskFailed:
    case EventType.SubOrchestrationInstanceCompleted:
    case EventType.SubOrchestrationInstanceFailed:
      state.openTasks.delete(event.TaskScheduledId);
      return;
    case EventType.TimerFired:
      state.openTimers.delete(event.TimerId);
      return;
    default:
      return;
  }
  if (isIssuedByCode(event)) state.issued.push(event);
  state.nextEventId = Math.max(state.nextEventId, lastIdOf(event) + 1);
}

function lockSetOf(event: EventSent): string[] {
  const request = JSON.parse(event.Input) as { lockset?: { name: string; key: string }[] };
  return (request.lockset ?? []).map((e) => `@${e.name}@${e.key}`);
}
