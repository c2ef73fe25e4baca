// The first pure step of an episode: which pending messages to deliver, in which order, and
// which events they become, including the steps the host drives itself.
//
// Sequence numbers: the library numbers tasks in the order it meets them, and numbers the
// host-driven steps of retries and long timers (the delay before the next attempt, the next
// attempt, the next timer segment) when it replays the event that causes them. Delivering
// those events first in an episode, before any event that can resume the code, makes their
// numbers come first; the code's new actions then take the numbers after them, in order.
import type { EpisodeCommit, WorkItem } from './backend.js';
import { eventHead, iso, reportToParent, segmentEnd, startChild } from './episode-events.js';
import { EventType, type FailureDetails, type HistoryEvent, type RetryMark } from './history.js';
import { isTerminal, type InstanceRecord, type Message, type OutboxEntry } from './instance.js';
import type { TimerLimits } from './orchestrator-protocol.js';
import { retryDelayMs } from './retry-policy.js';
import { pollOf } from './durable-http.js';
import { releaseLocks } from './entity-messages.js';
import { foldHistory, httpActivityName, lastIdOf, type RuntimeState } from './runtime-state.js';

export interface EpisodeSettings {
  limits: TimerLimits;
  /** Messages consumed per episode (a storage transaction holds 100 operations); the rest wait. */
  maxMessagesPerEpisode: number;
  /** Ids for new executions (continue-as-new, sub-orchestrations). */
  newExecutionId(): string;
}

export interface PreparedEpisode {
  state: RuntimeState;
  now: number;
  consumedMessageIds: string[];
  /** OrchestratorStarted, the delivered events and the host-driven follow-ups. */
  newEvents: HistoryEvent[];
  /** Children to start for retried sub-orchestrations. */
  outbox: OutboxEntry[];
  /** Whether the orchestrator must run; otherwise `commit` is the whole episode. */
  run: boolean;
  commit?: EpisodeCommit;
}

/** Returns undefined when there is nothing to do. */
export function prepareEpisode(
  item: WorkItem,
  now: number,
  settings: EpisodeSettings,
): PreparedEpisode | undefined {
  const { instance, messages } = item;
  const state = foldHistory(item.history);
  if (messages.length === 0) return undefined;
  const everything = messages.slice(0, settings.maxMessagesPerEpisode).map((m) => m.id);

  if (isTerminal(instance.status) || state.ended) {
    return quiet(item, state, now, everything, []);
  }
  const terminate = messages.find(
    (m) => m.event.EventType === EventType.ExecutionTerminated && isCurrent(m, instance),
  );
  if (terminate && terminate.event.EventType === EventType.ExecutionTerminated) {
    return { ...terminated(item, state, now, terminate.event.Input, everything), now };
  }

  const consumed: string[] = [];
  const control: HistoryEvent[] = [];
  let suspended = state.suspended;
  for (const message of messages) {
    const type = message.event.EventType;
    if (type === EventType.ExecutionSuspended || type === EventType.ExecutionResumed) {
      consumed.push(message.id);
      const suspend = type === EventType.ExecutionSuspended;
      if (suspend !== suspended) control.push({ ...message.event, ...eventHead(now) });
      suspended = suspend;
    }
  }
  if (suspended)
    return control.length || consumed.length
      ? quiet(item, state, now, consumed, control, 'Suspended')
      : undefined;

  const accepted: { message: Message; followUp: boolean }[] = [];
  const acceptedIds = new Set<number>();
  for (const message of messages) {
    if (consumed.includes(message.id)) continue;
    if (consumed.length >= settings.maxMessagesPerEpisode) break;
    const verdict = classify(message, item, state, now, acceptedIds);
    consumed.push(message.id);
    if (verdict === 'drop') continue;
    accepted.push({ message, followUp: verdict === 'followUp' });
  }
  if (accepted.length === 0)
    return consumed.length || control.length ? quiet(item, state, now, consumed, control) : undefined;

  // ExecutionStarted first, then the events that make the host schedule follow-ups.
  const rank = (a: { message: Message; followUp: boolean }) =>
    a.message.event.EventType === EventType.ExecutionStarted ? 0 : a.followUp ? 1 : 2;
  accepted.sort((a, b) => rank(a) - rank(b));

  let nextId = state.nextEventId;
  const followUps: HistoryEvent[] = [];
  for (const { message, followUp } of accepted) {
    if (!followUp) continue;
    const event = followUpOf(message.event, state, now, nextId, settings.limits);
    if (event) {
      followUps.push(event);
      nextId = Math.max(nextId, lastIdOf(event) + 1);
    }
  }
  const delivered = accepted.map(({ message }) => ({ ...message.event, IsPlayed: false }) as HistoryEvent);
  const outbox = followUps
    .filter((e) => e.EventType === EventType.SubOrchestrationInstanceCreated)
    .map((e) => startChild(e, instance, now, settings));
  return {
    state,
    now,
    consumedMessageIds: consumed,
    newEvents: [
      { EventType: EventType.OrchestratorStarted, ...eventHead(now) },
      ...control,
      ...delivered,
      ...followUps,
    ],
    outbox,
    run: true,
  };
}

function isCurrent(message: Message, instance: InstanceRecord): boolean {
  return message.executionId === undefined || message.executionId === instance.executionId;
}

type Verdict = 'drop' | 'deliver' | 'followUp';

/** Duplicates, stale executions and answers to nothing open are dropped: delivery is idempotent by id. */
function classify(
  message: Message,
  item: WorkItem,
  state: RuntimeState,
  now: number,
  acceptedIds: Set<number>,
): Verdict {
  if (!isCurrent(message, item.instance)) return 'drop';
  const event = message.event;
  switch (event.EventType) {
    case EventType.ExecutionStarted:
      return state.started || item.history.length > 0 ? 'drop' : 'deliver';
    case EventType.EventRaised:
      return state.started || item.history.length === 0 ? 'deliver' : 'drop';
    case EventType.TaskCompleted:
    case EventType.TaskFailed:
    case EventType.SubOrchestrationInstanceCompleted:
    case EventType.SubOrchestrationInstanceFailed: {
      const task = state.openTasks.get(event.TaskScheduledId);
      if (!task || acceptedIds.has(event.TaskScheduledId)) return 'drop';
      const isActivity = task.EventType === EventType.TaskScheduled;
      const answersActivity =
        event.EventType === EventType.TaskCompleted || event.EventType === EventType.TaskFailed;
      if (isActivity !== answersActivity) return 'drop';
      acceptedIds.add(event.TaskScheduledId);
      if (event.EventType === EventType.TaskCompleted && pollOf(task, event.Result)) return 'followUp';
      const failed =
        event.EventType === EventType.TaskFailed ||
        event.EventType === EventType.SubOrchestrationInstanceFailed;
      return failed && task.Retry ? 'followUp' : 'deliver';
    }
    case EventType.TimerFired: {
      const timer = state.openTimers.get(event.TimerId);
      if (!timer || acceptedIds.has(event.TimerId)) return 'drop';
      acceptedIds.add(event.TimerId);
      if (timer.Retry)
        return timer.Retry.Attempt < timer.Retry.Policy.maxNumberOfAttempts ? 'followUp' : 'deliver';
      if (timer.HttpPoll) return 'followUp';
      if (timer.LongTimer) return Date.parse(timer.LongTimer.FinalFireAt) > now ? 'followUp' : 'deliver';
      return 'deliver';
    }
    default:
      return 'drop';
  }
}

/** The host-driven step an event causes: a retry delay, the next attempt, or the next timer segment. */
function followUpOf(
  event: HistoryEvent,
  state: RuntimeState,
  now: number,
  id: number,
  limits: TimerLimits,
): HistoryEvent | undefined {
  if (
    event.EventType === EventType.TaskFailed ||
    event.EventType === EventType.SubOrchestrationInstanceFailed
  ) {
    const task = state.openTasks.get(event.TaskScheduledId);
    if (!task?.Retry) return undefined;
    const fireAt = iso(now + retryDelayMs(task.Retry.Policy, task.Retry.Attempt));
    return { EventType: EventType.TimerCreated, ...eventHead(now, id), FireAt: fireAt, Retry: task.Retry };
  }
  if (event.EventType === EventType.TaskCompleted) {
    const task = state.openTasks.get(event.TaskScheduledId);
    const poll = task && pollOf(task, event.Result);
    if (!task || !poll) return undefined;
    return {
      EventType: EventType.TimerCreated,
      ...eventHead(now, id),
      FireAt: iso(now + poll.delayMs),
      HttpPoll: {
        FirstId: (task.EventType === EventType.TaskScheduled && task.HttpPoll?.FirstId) || task.EventId,
        NextId: id + 1,
        Request: JSON.stringify(poll.request),
      },
    };
  }
  if (event.EventType !== EventType.TimerFired) return undefined;
  const timer = state.openTimers.get(event.TimerId);
  if (timer?.HttpPoll) {
    return {
      EventType: EventType.TaskScheduled,
      ...eventHead(now, timer.HttpPoll.NextId),
      Name: httpActivityName,
      Input: timer.HttpPoll.Request,
      HttpPoll: { FirstId: timer.HttpPoll.FirstId },
    };
  }
  if (timer?.Retry) {
    const first = state.issued.find((s) => s.EventId === timer.Retry!.FirstId);
    if (
      !first ||
      (first.EventType !== EventType.TaskScheduled &&
        first.EventType !== EventType.SubOrchestrationInstanceCreated)
    )
      return undefined;
    const retry: RetryMark = { ...timer.Retry, Attempt: timer.Retry.Attempt + 1 };
    return { ...first, ...eventHead(now, id), Retry: retry };
  }
  if (timer?.LongTimer) {
    const fireAt = segmentEnd(Date.parse(timer.LongTimer.FinalFireAt), now, limits);
    return {
      EventType: EventType.TimerCreated,
      ...eventHead(now, id),
      FireAt: iso(fireAt),
      LongTimer: timer.LongTimer,
    };
  }
  return undefined;
}

function quiet(
  item: WorkItem,
  state: RuntimeState,
  now: number,
  consumed: string[],
  control: HistoryEvent[],
  status = item.instance.status,
): PreparedEpisode {
  const changed = control.length > 0;
  const instance = changed ? { ...item.instance, status, lastUpdatedAt: iso(now) } : item.instance;
  const resumed = control.at(-1)?.EventType === EventType.ExecutionResumed;
  const newEvents = changed
    ? [{ EventType: EventType.OrchestratorStarted, ...eventHead(now) } as HistoryEvent, ...control]
    : [];
  return withoutRun(state, now, consumed, newEvents, {
    instance: resumed ? { ...instance, status: 'Running' } : instance,
    outbox: [],
  });
}

function terminated(
  item: WorkItem,
  state: RuntimeState,
  now: number,
  reason: string | null,
  consumed: string[],
): PreparedEpisode {
  const newEvents: HistoryEvent[] = [
    { EventType: EventType.OrchestratorStarted, ...eventHead(now) },
    { EventType: EventType.ExecutionTerminated, ...eventHead(now), Input: reason },
  ];
  const failure: FailureDetails = {
    ErrorType: 'TerminatedError',
    ErrorMessage: `Terminated: ${reason === null ? '' : JSON.parse(reason)}`,
  };
  const instance: InstanceRecord = {
    ...item.instance,
    status: 'Terminated',
    output: reason,
    lastUpdatedAt: iso(now),
  };
  return withoutRun(state, now, consumed, newEvents, {
    instance,
    outbox: [...releaseLocks(instance, state.locked, now), ...reportToParent(instance, now, { failure })],
  });
}

/** An episode that only commits control events and status; the orchestrator does not run. */
function withoutRun(
  state: RuntimeState,
  now: number,
  consumed: string[],
  newEvents: HistoryEvent[],
  commit: { instance: InstanceRecord; outbox: OutboxEntry[] },
): PreparedEpisode {
  return {
    state,
    now,
    consumedMessageIds: consumed,
    newEvents,
    outbox: [],
    run: false,
    commit: { ...commit, newEvents, consumedMessageIds: consumed },
  };
}
