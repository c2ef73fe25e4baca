// Runs one activity (an app function, or the built-in durable HTTP activity) and turns what
// happened into the message that answers the orchestrator's task: its result, or its failure.
import type { Clock } from '../../shared/clock.js';
import { jsonPropertiesMetadata } from '../host/binding-expressions.js';
import type { RpcTypedData } from '../host/core-types.js';
import type { Invoke, RegisteredFunction } from '../host/extension.js';
import { sendDurableHttp } from './durable-http.js';
import { EventType, failureOf, type TaskScheduled } from './history.js';
import type { InstanceRecord, Message } from './instance.js';
import { httpActivityName } from './runtime-state.js';

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
    const result =
      event.Name === httpActivityName
        ? await sendDurableHttp(event.Input)
        : await runFunction(invoke, fn, event);
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

async function runFunction(
  invoke: Invoke,
  fn: RegisteredFunction | undefined,
  event: TaskScheduled,
): Promise<string> {
  if (!fn) throw new Error(`The function '${event.Name}' doesn't exist or is not an activity function.`);
  const input = event.Input ?? 'null';
  // An object input's properties feed binding expressions ({backupPath}) as in Azure.
  const response = await invoke(fn, {
    trigger: { json: input },
    triggerMetadata: jsonPropertiesMetadata(input),
  });
  return jsonTextOf(response.returnValue);
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
