// History events in the shape the durable-functions library replays (Durable Task Framework
// JSON: PascalCase fields, numeric EventType). Fields this host adds for its own bookkeeping
// (`Retry`, `LongTimer`) are ignored by the library.

export const EventType = {
  ExecutionStarted: 0,
  ExecutionCompleted: 1,
  ExecutionTerminated: 3,
  TaskScheduled: 4,
  TaskCompleted: 5,
  TaskFailed: 6,
  SubOrchestrationInstanceCreated: 7,
  SubOrchestrationInstanceCompleted: 8,
  SubOrchestrationInstanceFailed: 9,
  TimerCreated: 10,
  TimerFired: 11,
  OrchestratorStarted: 12,
  OrchestratorCompleted: 13,
  EventSent: 14,
  EventRaised: 15,
  ExecutionSuspended: 19,
  ExecutionResumed: 20,
} as const;

/** What a failed activity, sub-orchestration or orchestrator reports (the library's wire DTO). */
export interface FailureDetails {
  ErrorType: string;
  ErrorMessage: string;
  StackTrace?: string;
}

/** How a retried task was asked to retry (durable-functions RetryOptions, as serialized). */
export interface RetryPolicy {
  firstRetryIntervalInMilliseconds: number;
  maxNumberOfAttempts: number;
  backoffCoefficient?: number;
  maxRetryIntervalInMilliseconds?: number;
}

/** Links every attempt (and retry timer) of a task with retry to its first attempt. */
export interface RetryMark {
  FirstId: number;
  Attempt: number;
  Policy: RetryPolicy;
}

/**
 * Links a poll of durable HTTP's 202 pattern to the call that started it. The library numbers
 * the delay and the next request together when it replays the 202, so the delay carries the
 * request it was reserved for.
 */
export interface HttpPollMark {
  FirstId: number;
}
export interface HttpPollTimerMark extends HttpPollMark {
  NextId: number;
  /** The DurableHttpRequest (GET of the Location) as JSON text. */
  Request: string;
}

export interface ParentLink {
  instanceId: string;
  executionId: string;
  taskScheduledId: number;
}

interface Base {
  /** The orchestrator's sequence number for scheduling events; -1 for the others. */
  EventId: number;
  Timestamp: string;
  IsPlayed: boolean;
}

export interface ExecutionStarted extends Base {
  EventType: typeof EventType.ExecutionStarted;
  Name: string;
  /** JSON text, or null without input. */
  Input: string | null;
  ExecutionId: string;
  Parent?: ParentLink;
}
export interface ExecutionCompleted extends Base {
  EventType: typeof EventType.ExecutionCompleted;
  OrchestrationStatus: 'Completed' | 'Failed' | 'ContinuedAsNew';
  Result: string | null;
  FailureDetails?: FailureDetails;
}
export interface ExecutionTerminated extends Base {
  EventType: typeof EventType.ExecutionTerminated;
  Input: string | null;
}
export interface TaskScheduled extends Base {
  EventType: typeof EventType.TaskScheduled;
  Name: string;
  Input: string | null;
  Retry?: RetryMark;
  HttpPoll?: HttpPollMark;
}
export interface TaskCompleted extends Base {
  EventType: typeof EventType.TaskCompleted;
  TaskScheduledId: number;
  Result: string;
}
export interface TaskFailed extends Base {
  EventType: typeof EventType.TaskFailed;
  TaskScheduledId: number;
  Reason: string;
  Details: string;
  FailureDetails: FailureDetails;
}
export interface SubOrchestrationInstanceCreated extends Base {
  EventType: typeof EventType.SubOrchestrationInstanceCreated;
  Name: string;
  InstanceId: string;
  Input: string | null;
  Retry?: RetryMark;
}
export interface SubOrchestrationInstanceCompleted extends Base {
  EventType: typeof EventType.SubOrchestrationInstanceCompleted;
  TaskScheduledId: number;
  Result: string;
}
export interface SubOrchestrationInstanceFailed extends Base {
  EventType: typeof EventType.SubOrchestrationInstanceFailed;
  TaskScheduledId: number;
  Reason: string;
  Details: string;
  FailureDetails: FailureDetails;
}
export interface TimerCreated extends Base {
  EventType: typeof EventType.TimerCreated;
  FireAt: string;
  /** Set on the delay between two attempts of a task with retry. */
  Retry?: RetryMark;
  /** Set on each segment of a timer longer than maximumShortTimerDuration. */
  LongTimer?: { FirstId: number; FinalFireAt: string };
  /** Set on the delay before the next poll of a durable HTTP call that answered 202. */
  HttpPoll?: HttpPollTimerMark;
}
export interface TimerFired extends Base {
  EventType: typeof EventType.TimerFired;
  TimerId: number;
  FireAt: string;
}
export interface OrchestratorStarted extends Base {
  EventType: typeof EventType.OrchestratorStarted;
}
export interface OrchestratorCompleted extends Base {
  EventType: typeof EventType.OrchestratorCompleted;
}
/** A message to an entity: an operation call or signal, a lock request or a release. */
export interface EventSent extends Base {
  EventType: typeof EventType.EventSent;
  /** The entity's scheduler id, `@{name}@{key}`. */
  InstanceId: string;
  /** `op` or `release`, the event name the entity receives. */
  Name: string;
  /** The request message as JSON text (the library reads its `id`). */
  Input: string;
  /** What the orchestrator asked for; releases after the first are sent by the host. */
  Entity: { Kind: 'call' | 'signal' | 'lock' | 'release'; Index?: number };
}
export interface EventRaised extends Base {
  EventType: typeof EventType.EventRaised;
  Name: string;
  Input: string | null;
}
export interface ExecutionSuspended extends Base {
  EventType: typeof EventType.ExecutionSuspended;
  Reason: string | null;
}
export interface ExecutionResumed extends Base {
  EventType: typeof EventType.ExecutionResumed;
  Reason: string | null;
}

export type HistoryEvent =
  | ExecutionStarted
  | ExecutionCompleted
  | ExecutionTerminated
  | TaskScheduled
  | TaskCompleted
  | TaskFailed
  | SubOrchestrationInstanceCreated
  | SubOrchestrationInstanceCompleted
  | SubOrchestrationInstanceFailed
  | TimerCreated
  | TimerFired
  | OrchestratorStarted
  | OrchestratorCompleted
  | EventSent
  | EventRaised
  | ExecutionSuspended
  | ExecutionResumed;

/** Events that answer a scheduled task or timer, matched to it by id. */
export type CompletionEvent =
  | TaskCompleted
  | TaskFailed
  | SubOrchestrationInstanceCompleted
  | SubOrchestrationInstanceFailed
  | TimerFired;

export function completedId(event: HistoryEvent): number | undefined {
  switch (event.EventType) {
    case EventType.TaskCompleted:
    case EventType.TaskFailed:
    case EventType.SubOrchestrationInstanceCompleted:
    case EventType.SubOrchestrationInstanceFailed:
      return event.TaskScheduledId;
    case EventType.TimerFired:
      return event.TimerId;
    default:
      return undefined;
  }
}

export function failureOf(error: unknown): FailureDetails {
  if (error instanceof Error) {
    return {
      ErrorType: error.name || 'Error',
      ErrorMessage: error.message,
      ...(error.stack ? { StackTrace: error.stack } : {}),
    };
  }
  return {
    ErrorType: 'Error',
    ErrorMessage: typeof error === 'string' ? error : (JSON.stringify(error) ?? String(error)),
  };
}

/** JSON text for a value; `undefined` becomes null like in Azure. */
export function toJsonText(value: unknown): string {
  return JSON.stringify(value ?? null);
}
