// Says how a replay disagrees with the history, in terms of the user's code.
import { EventType, type FailureDetails } from './history.js';
import { ActionType, actionApi, type AtomicAction } from './orchestrator-actions.js';
import { httpActivityName, type Scheduled } from './runtime-state.js';

export function describeScheduled(event: Scheduled): string {
  switch (event.EventType) {
    case EventType.TaskScheduled:
      return event.Name === httpActivityName ? 'a durable HTTP call' : `activity '${event.Name}'`;
    case EventType.SubOrchestrationInstanceCreated:
      return `sub-orchestration '${event.Name}' (instance '${event.InstanceId}')`;
    case EventType.TimerCreated:
      return 'a timer';
    case EventType.EventSent:
      return `${entityVerb[event.Entity.Kind]} entity '${event.InstanceId}'`;
  }
}

const entityVerb = { call: 'a call to', signal: 'a signal to', lock: 'a lock on', release: 'a release of' };

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
    case ActionType.CallHttp:
      return 'a durable HTTP call';
    case ActionType.CallEntity:
      return `a call to entity '${action.instanceId}'`;
    case ActionType.SignalEntity:
      return `a signal to entity '${action.instanceId}'`;
    case ActionType.LockEntities:
      return 'a lock';
    default:
      return 'a lock release';
  }
}

function matches(recorded: Scheduled, action: AtomicAction): boolean {
  switch (action.actionType) {
    case ActionType.CallActivity:
    case ActionType.CallActivityWithRetry:
      return recorded.EventType === EventType.TaskScheduled && recorded.Name === action.functionName;
    case ActionType.CallSubOrchestrator:
    case ActionType.CallSubOrchestratorWithRetry:
      return (
        recorded.EventType === EventType.SubOrchestrationInstanceCreated &&
        recorded.Name === action.functionName &&
        (!action.instanceId || action.instanceId === recorded.InstanceId)
      );
    case ActionType.CreateTimer:
      return recorded.EventType === EventType.TimerCreated;
    case ActionType.CallHttp:
      return recorded.EventType === EventType.TaskScheduled && recorded.Name === httpActivityName;
    case ActionType.CallEntity:
    case ActionType.SignalEntity:
      return (
        recorded.EventType === EventType.EventSent &&
        recorded.Entity.Kind === (action.actionType === ActionType.CallEntity ? 'call' : 'signal') &&
        recorded.InstanceId === action.instanceId
      );
    case ActionType.LockEntities:
      return recorded.EventType === EventType.EventSent && recorded.Entity.Kind === 'lock';
    case ActionType.ReleaseEntities:
      return recorded.EventType === EventType.EventSent && recorded.Entity.Kind === 'release';
    default:
      return true;
  }
}

export function describeMismatch(recorded: Scheduled, action: AtomicAction): string | undefined {
  if (matches(recorded, action)) return undefined;
  return `replay scheduled ${describeAction(action)} where the history has ${describeScheduled(recorded)} (event ${recorded.EventId}); orchestrator code must be deterministic`;
}

export function nonDeterminism(message: string): FailureDetails {
  return {
    ErrorType: 'NonDeterministicOrchestrationError',
    ErrorMessage: `Non-deterministic workflow detected: ${message}.`,
  };
}

export function unsupported(actionType: number): FailureDetails {
  const api = actionApi[actionType] ?? `The orchestrator action type ${actionType}`;
  return {
    ErrorType: 'NotSupportedError',
    ErrorMessage: `${api} is not supported by the local task hub (action type ${actionType}).`,
  };
}
