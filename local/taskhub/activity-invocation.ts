// Runs one activity through the app's programming model and turns what happened into the
// message that answers the orchestrator's task: its result, or its failure with details.
import type { Clock } from '../../shared/clock.js';
import type { RpcTypedData } from '../host/core-types.js';
import type { Invoke, RegisteredFunction } from '../host/extension.js';
import { EventType, failureOf, type TaskScheduled } from './history.js';
import type { InstanceRecord, Message } from './instance.js';

export async function invokeActivity(
  invoke: Invoke,
  fn: RegisteredFunction | undefined,
  instance: InstanceRecord,
  event: TaskScheduled,
  clock: Clock,
): Promise<Message> {
  const id = `${instance.executionId}:task:${event.EventId}`;
  const head = { EventId: -1, IsPlayed: false, TaskScheduledId: event.EventId };
  const stamp = () => new Date(clock.now()).toISOString();
  try {
    if (!fn) throw new Error(`The function '${event.Name}' doesn't exist or is not an activity function.`);
    const response = await invoke(fn, { trigger: { json: event.Input ?? 'null' } });
    const result = jsonTextOf(response.returnValue);
    return {
      id,
      executionId: instance.executionId,
      event: { EventType: EventType.TaskCompleted, ...head, Timestamp: stamp(), Result: result },
    };
  } catch (error) {
    const failure = failureOf(error);
    return {
      id,
      executionId: instance.executionId,
      event: {
        EventType: EventType.TaskFailed,
        ...head,
        Timestamp: stamp(),
        Reason: `Activity function '${event.Name}' failed: ${failure.ErrorMessage}`,
        Details: failure.StackTrace ?? failure.ErrorMessage,
        FailureDetails: failure,
      },
    };
  }
}

/** An activity's return value as JSON text, whatever typed form the worker gave it. */
function jsonTextOf(data: RpcTypedData | null | undefined): string {
  if (!data) return 'null';
  if (typeof data.json === 'string') return data.json;
  if (typeof data.string === 'string') return JSON.stringify(data.string);
  if (typeof data.int === 'number') return String(data.int);
  if (typeof data.double === 'number') return String(data.double);
  return 'null';
}
