// The out-of-process orchestration protocol of the durable-functions library: what the
// orchestrationTrigger receives, and how its decisions (or its failure) come back.
import type { RpcInvocationResponse, RpcTypedData } from '../host/core-types.js';
import { EventType, type FailureDetails, type HistoryEvent } from './history.js';
import { parseOrchestratorState, type OrchestratorStateWire } from './orchestrator-actions.js';

/** The newest replay schema the library knows (V4): flat action lists, long timers. */
export const replaySchemaVersion = 3;

export interface TimerLimits {
  /** Timers further out than this are split into segments (Azure Storage: 6 days). */
  maximumShortTimerMs: number;
  /** The length of each segment of a long timer (Azure Storage: 3 days). */
  longRunningTimerIntervalMs: number;
}

export interface OrchestrationTriggerInput {
  history: HistoryEvent[];
  input: unknown;
  instanceId: string;
  parentInstanceId?: string;
  isReplaying: boolean;
  upperSchemaVersion: number;
  upperSchemaVersionNew: number;
  maximumShortTimerDuration: string;
  longRunningTimerIntervalDuration: string;
  defaultHttpAsyncRequestSleepTimeMillseconds: number;
}

/** How long durable HTTP waits between polls when a 202 carries no Retry-After (the extension's default). */
export const defaultHttpPollMs = 30_000;

const isoDuration = (ms: number): string => `PT${ms / 1000}S`;

export function orchestrationTrigger(options: {
  instanceId: string;
  parentInstanceId?: string;
  input: string | null;
  history: HistoryEvent[];
  limits: TimerLimits;
}): RpcTypedData {
  const lastStart = options.history.findLastIndex((e) => e.EventType === EventType.OrchestratorStarted);
  const trigger: OrchestrationTriggerInput = {
    history: options.history,
    input: options.input === null ? undefined : JSON.parse(options.input),
    instanceId: options.instanceId,
    ...(options.parentInstanceId ? { parentInstanceId: options.parentInstanceId } : {}),
    isReplaying: lastStart > 0,
    upperSchemaVersion: replaySchemaVersion,
    upperSchemaVersionNew: replaySchemaVersion,
    maximumShortTimerDuration: isoDuration(options.limits.maximumShortTimerMs),
    longRunningTimerIntervalDuration: isoDuration(options.limits.longRunningTimerIntervalMs),
    defaultHttpAsyncRequestSleepTimeMillseconds: defaultHttpPollMs,
  };
  return { json: JSON.stringify(trigger) };
}

/** What one run of the orchestrator function amounted to. */
export type OrchestratorOutcome =
  | { kind: 'decided'; state: OrchestratorStateWire }
  | { kind: 'failed'; failure: FailureDetails; customStatus?: unknown };

const outOfProcLabel = '\n\n$OutOfProcData$:';

export function outcomeOfResponse(response: RpcInvocationResponse): OrchestratorOutcome {
  const json = response.returnValue?.json;
  if (!json) {
    return failed(
      'Error',
      'The orchestrator function returned nothing; is it registered with df.app.orchestration?',
    );
  }
  return { kind: 'decided', state: parseOrchestratorState(JSON.parse(json)) };
}

/**
 * The library throws an error whose message carries the orchestrator's state after a label;
 * the state's `error` is the user's message and `failureDetails` the task failure it let escape.
 */
export function outcomeOfError(error: unknown): OrchestratorOutcome {
  const message = error instanceof Error ? error.message : String(error);
  const at = message.indexOf(outOfProcLabel);
  if (at < 0)
    return failed(
      error instanceof Error ? error.name : 'Error',
      message,
      error instanceof Error ? error.stack : undefined,
    );
  const state = parseOrchestratorState(JSON.parse(message.slice(at + outOfProcLabel.length)));
  const details = state.failureDetails;
  return {
    ...failed(details?.ErrorType ?? 'Error', state.error ?? message.slice(0, at), details?.StackTrace),
    ...(state.customStatus === undefined ? {} : { customStatus: state.customStatus }),
  };
}

function failed(type: string, message: string, stack?: string): OrchestratorOutcome {
  return {
    kind: 'failed',
    failure: { ErrorType: type, ErrorMessage: message, ...(stack ? { StackTrace: stack } : {}) },
  };
}
