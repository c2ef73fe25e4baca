// The dispatcher's part that runs what orchestrators schedule: activities (bounded by
// maxConcurrentActivityFunctions, each run once per process however often it is scheduled)
// and durable timers on the hub's clock. What they produce goes back as messages through
// `post`; nothing here touches storage.
import type { Clock } from '../../shared/clock.js';
import type { Invoke } from '../host/extension.js';
import { invokeActivity } from './activity-invocation.js';
import type { FunctionDirectory } from './dispatcher.js';
import { EventType, type HistoryEvent, type TaskScheduled, type TimerCreated } from './history.js';
import { isTerminal, type InstanceRecord, type Message } from './instance.js';
import { createLimiter } from './limiter.js';
import type { RuntimeState } from './runtime-state.js';
import { createTimerScheduler } from './timer-scheduler.js';

export interface TaskRunnerOptions {
  clock: Clock;
  functions: FunctionDirectory;
  invoke: Invoke;
  maxConcurrentActivities: number;
  /** Hands a result or a fired timer to the instance's next episode. */
  post(instanceId: string, message: Message): void;
  /** Work the dispatcher waits for when it stops. */
  track(work: Promise<unknown>): void;
}

export interface TaskRunner {
  /** Starts the activities and arms the timers an episode just scheduled. */
  dispatchScheduled(instance: InstanceRecord, events: readonly HistoryEvent[]): void;
  /** After a restart: re-runs the open activities and re-arms the open timers of an instance's history. */
  resumeOpen(instance: InstanceRecord, state: RuntimeState): void;
  /** Starts nothing more and cancels the armed timers; running activities finish. */
  stop(): void;
}

export function createTaskRunner(options: TaskRunnerOptions): TaskRunner {
  const { clock, functions, invoke, post, track } = options;
  const activities = createLimiter(options.maxConcurrentActivities);
  const timers = createTimerScheduler(clock);
  const running = new Set<string>();
  let stopped = false;
  const keyOf = (instance: InstanceRecord, eventId: number) =>
    `${instance.instanceId}\n${instance.executionId}\n${eventId}`;

  function startActivity(instance: InstanceRecord, event: TaskScheduled): void {
    const key = keyOf(instance, event.EventId);
    if (stopped || running.has(key)) return;
    running.add(key);
    const work = activities
      .run(async () =>
        stopped ? undefined : invokeActivity(invoke, functions.activity(event.Name), instance, event, clock),
      )
      .then((message) => message && post(instance.instanceId, message))
      .finally(() => running.delete(key));
    track(work);
  }

  function armTimer(instance: InstanceRecord, event: TimerCreated): void {
    timers.arm(keyOf(instance, event.EventId), Date.parse(event.FireAt), () =>
      post(instance.instanceId, {
        id: `${instance.executionId}:timer:${event.EventId}`,
        executionId: instance.executionId,
        event: {
          EventType: EventType.TimerFired,
          EventId: -1,
          IsPlayed: false,
          Timestamp: new Date(clock.now()).toISOString(),
          TimerId: event.EventId,
          FireAt: event.FireAt,
        },
      }),
    );
  }

  return {
    dispatchScheduled(instance, events) {
      if (isTerminal(instance.status)) return;
      for (const event of events) {
        if (event.EventType === EventType.TaskScheduled) startActivity(instance, event);
        else if (event.EventType === EventType.TimerCreated) armTimer(instance, event);
      }
    },
    resumeOpen(instance, state) {
      if (state.ended) return;
      for (const task of state.openTasks.values())
        if (task.EventType === EventType.TaskScheduled) startActivity(instance, task);
      for (const timer of state.openTimers.values()) armTimer(instance, timer);
    },
    stop() {
      stopped = true;
      timers.cancelAll();
    },
  };
}
