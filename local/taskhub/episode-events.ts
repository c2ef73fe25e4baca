// Events and messages an episode produces on its own account: the head every new event
// carries, timer segments, starting a sub-orchestration and reporting to a parent.
import {
  EventType,
  type FailureDetails,
  type HistoryEvent,
  type ParentLink,
  type SubOrchestrationInstanceCreated,
} from './history.js';
import type { InstanceRecord, Message, OutboxEntry } from './instance.js';
import type { TimerLimits } from './orchestrator-protocol.js';

export const iso = (ms: number): string => new Date(ms).toISOString();

/** The fields every new event starts with; `eventId` only for scheduling events. */
export function eventHead(now: number, eventId = -1) {
  return { EventId: eventId, Timestamp: iso(now), IsPlayed: false };
}

/** The message that starts an execution: its ExecutionStarted event, with the parent if any. */
export function startMessage(start: {
  executionId: string;
  name: string;
  input: string | null;
  now: number;
  parent?: ParentLink;
}): Message {
  return {
    id: `${start.executionId}:start`,
    executionId: start.executionId,
    event: {
      EventType: EventType.ExecutionStarted,
      ...eventHead(start.now),
      Name: start.name,
      Input: start.input,
      ExecutionId: start.executionId,
      ...(start.parent ? { Parent: start.parent } : {}),
    },
  };
}

/** Where the library expects the next segment of a timer to end (LongTimerTask). */
export function segmentEnd(finalFireAt: number, now: number, limits: TimerLimits): number {
  return finalFireAt - now > limits.maximumShortTimerMs
    ? now + limits.longRunningTimerIntervalMs
    : finalFireAt;
}

/** The outbox entry that creates a sub-orchestration instance (also used for each retry attempt). */
export function startChild(
  event: SubOrchestrationInstanceCreated,
  parent: InstanceRecord,
  now: number,
  settings: { newExecutionId(): string },
): OutboxEntry {
  const executionId = settings.newExecutionId();
  const link: ParentLink = {
    instanceId: parent.instanceId,
    executionId: parent.executionId,
    taskScheduledId: event.EventId,
  };
  const child: InstanceRecord = {
    instanceId: event.InstanceId,
    name: event.Name,
    executionId,
    status: 'Pending',
    input: event.Input,
    output: null,
    customStatus: null,
    createdAt: iso(now),
    lastUpdatedAt: iso(now),
    parent: link,
  };
  const start = startMessage({ executionId, name: event.Name, input: event.Input, now, parent: link });
  return { kind: 'create', instance: child, start };
}

/** A sub-orchestration tells its parent how it ended, answering the parent's task by id. */
export function reportToParent(
  instance: InstanceRecord,
  now: number,
  outcome: { result: string } | { failure: FailureDetails },
): OutboxEntry[] {
  const parent = instance.parent;
  if (!parent) return [];
  const head = { ...eventHead(now), TaskScheduledId: parent.taskScheduledId };
  const event: HistoryEvent =
    'result' in outcome
      ? { EventType: EventType.SubOrchestrationInstanceCompleted, ...head, Result: outcome.result }
      : {
          EventType: EventType.SubOrchestrationInstanceFailed,
          ...head,
          Reason: `Sub-orchestration '${instance.name}' (instance '${instance.instanceId}') failed: ${outcome.failure.ErrorMessage}`,
          Details: outcome.failure.StackTrace ?? outcome.failure.ErrorMessage,
          FailureDetails: outcome.failure,
        };
  const message: Message = {
    id: `${parent.executionId}:sub:${parent.taskScheduledId}`,
    executionId: parent.executionId,
    event,
  };
  return [{ kind: 'send', instanceId: parent.instanceId, message }];
}
