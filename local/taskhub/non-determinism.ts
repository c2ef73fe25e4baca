// Says how a replay disagrees with the history, in terms of the user's code.
import { EventType, type FailureDetails } from './history.js';
import { ActionType, type AtomicAction } from './orchestrator-actions.js';
import type { Scheduled } from './runtime-state.js';

export function describeScheduled(event: Scheduled): string {
  switch (event.EventType) {
    case EventType.TaskScheduled:
      return `activity '${event.Name}'`;
    case EventType.SubOrchestrationInstanceCreated:
      return `sub-orchestration '${event.Name}' (instance '${event.InstanceId}')`;
    case EventType.TimerCreated:
      return 'a timer';
  }
}

function describeAction(action: AtomicAction): string {
  switch (action.actionType) {
    case ActionType.CallActivity:
    case ActionType.CallActivityWithRetry:
      return `activity '${action.functionName}'`;
    case ActionType.CallSubOrchestrator:
    case ActionType.CallSubOrchestratorWithRetry:
      return `sub-orchestration '${action.functionName}'`;
    case ActionType.CreateTimer:
      return 'a timer';
    default:
      return `action ${action.actionType}`;
  }
}

export function describeMismatch(recorded: Scheduled, action: AtomicAction): string | undefined {
  const expected = describeScheduled(recorded);
  const got = describeAction(action);
  const differs = (): string =>
    `replay scheduled ${got} where the history has ${expected} (event ${recorded.EventId}); orchestrator code must be deterministic`;
  switch (action.actionType) {
    case ActionType.CallActivity:
    case ActionType.CallActivityWithRetry:
      return recorded.EventType === EventType.TaskScheduled && recorded.Name === action.functionName
        ? undefined
        : differs();
    case ActionType.CallSubOrchestrator:
    case ActionType.CallSubOrchestratorWithRetry:
      return recorded.EventType === EventType.SubOrchestrationInstanceCreated &&
        recorded.Name === action.functionName &&
        (!action.instanceId || action.instanceId === recorded.InstanceId)
        ? undefined
        : differs();
    case ActionType.CreateTimer:
      return recorded.EventType === EventType.TimerCreated ? undefined : differs();
    default:
      return undefined;
  }
}

export function nonDeterminism(message: string): FailureDetails {
  return {
    ErrorType: 'NonDeterministicOrchestrationError',
    ErrorMessage: `Non-deterministic workflow detected: ${message}.`,
  };
}

export function unsupported(actionType: number): FailureDetails {
  return {
    ErrorType: 'NotSupportedError',
    ErrorMessage: `Action type ${actionType} (entities, durable HTTP or locks) is not supported by the local task hub.`,
  };
}
