// An instance as the Durable HTTP API shows it (DurableOrchestrationStatus), with the
// optional history in the same summarised form the Azure extension returns.
import { EventType, type HistoryEvent } from './history.js';
import type { InstanceRecord } from './instance.js';

export interface StatusView {
  name: string;
  instanceId: string;
  runtimeStatus: string;
  input: unknown;
  output: unknown;
  customStatus: unknown;
  createdTime: string;
  lastUpdatedTime: string;
  historyEvents?: unknown[];
}

export interface StatusOptions {
  showInput: boolean;
  showHistory: boolean;
  showHistoryOutput: boolean;
}

const parse = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

export function statusView(
  instance: InstanceRecord,
  history: readonly HistoryEvent[] | undefined,
  options: StatusOptions,
): StatusView {
  return {
    name: instance.name,
    instanceId: instance.instanceId,
    runtimeStatus: instance.status,
    input: options.showInput ? parse(instance.input) : null,
    output: parse(instance.output),
    customStatus: parse(instance.customStatus),
    createdTime: instance.createdAt,
    lastUpdatedTime: instance.lastUpdatedAt,
    ...(options.showHistory && history
      ? { historyEvents: summarize(history, options.showHistoryOutput) }
      : {}),
  };
}

const typeNames = Object.fromEntries(
  Object.entries(EventType).map(([name, value]) => [value, name]),
) as Record<number, string>;

/** Scheduling events are folded into their completions, as in Azure's summarised history. */
function summarize(history: readonly HistoryEvent[], withOutput: boolean): unknown[] {
  const scheduled = new Map<number, { name: string; at: string }>();
  const rows: unknown[] = [];
  for (const event of history) {
    const head = { EventType: typeNames[event.EventType], Timestamp: event.Timestamp };
    switch (event.EventType) {
      case EventType.ExecutionStarted:
        rows.push({
          ...head,
          FunctionName: event.Name,
          ...(withOutput ? { Input: parse(event.Input) } : {}),
        });
        break;
      case EventType.ExecutionCompleted:
        rows.push({
          ...head,
          OrchestrationStatus: event.OrchestrationStatus,
          ...(withOutput ? { Result: parse(event.Result) } : {}),
        });
        break;
      case EventType.ExecutionTerminated:
        rows.push({ ...head, Reason: parse(event.Input) });
        break;
      case EventType.TaskScheduled:
      case EventType.SubOrchestrationInstanceCreated:
        scheduled.set(event.EventId, { name: event.Name, at: event.Timestamp });
        break;
      case EventType.TaskCompleted:
      case EventType.SubOrchestrationInstanceCompleted: {
        const task = scheduled.get(event.TaskScheduledId);
        rows.push({
          ...head,
          FunctionName: task?.name,
          ScheduledTime: task?.at,
          ...(withOutput ? { Result: parse(event.Result) } : {}),
        });
        break;
      }
      case EventType.TaskFailed:
      case EventType.SubOrchestrationInstanceFailed: {
        const task = scheduled.get(event.TaskScheduledId);
        rows.push({
          ...head,
          FunctionName: task?.name,
          ScheduledTime: task?.at,
          Reason: event.Reason,
          Details: event.Details,
        });
        break;
      }
      case EventType.TimerCreated:
        rows.push({ ...head, FireAt: event.FireAt });
        break;
      case EventType.TimerFired:
        rows.push({ ...head, TimerId: event.TimerId, FireAt: event.FireAt });
        break;
      case EventType.EventSent:
        rows.push({
          ...head,
          InstanceId: event.InstanceId,
          Name: event.Name,
          ...(withOutput ? { Input: parse(event.Input) } : {}),
        });
        break;
      case EventType.EventRaised:
        rows.push({ ...head, Name: event.Name, ...(withOutput ? { Input: parse(event.Input) } : {}) });
        break;
      case EventType.ExecutionSuspended:
      case EventType.ExecutionResumed:
        rows.push({ ...head, Reason: event.Reason });
        break;
      default:
        break;
    }
  }
  return rows;
}
