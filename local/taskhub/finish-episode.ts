// The second pure step of an episode: the orchestrator's decisions become new history, a
// status and an outbox; a replay that disagrees with its history fails the instance.
import type { EpisodeCommit, WorkItem } from './backend.js';
import { eventHead, iso, reportToParent, segmentEnd, startChild, startMessage } from './episode-events.js';
import {
  EventType,
  toJsonText,
  type FailureDetails,
  type HistoryEvent,
  type SubOrchestrationInstanceCreated,
} from './history.js';
import {
  releaseLocks,
  releaseRequest,
  requestMessage,
  schedulerIdOf,
  type EntityRequest,
} from './entity-messages.js';
import type { InstanceRecord, OutboxEntry } from './instance.js';
import { describeMismatch, describeScheduled, nonDeterminism, unsupported } from './non-determinism.js';
import {
  ActionType,
  encodedInputText,
  flattenActions,
  rawInputText,
  type AtomicAction,
} from './orchestrator-actions.js';
import type { OrchestratorOutcome } from './orchestrator-protocol.js';
import type { EpisodeSettings, PreparedEpisode } from './prepare-episode.js';
import { httpActivityName, lastIdOf, type Scheduled } from './runtime-state.js';

/** Turns the orchestrator's outcome into the episode's commit. */
export function finishEpisode(
  item: WorkItem,
  prepared: PreparedEpisode,
  outcome: OrchestratorOutcome,
  settings: EpisodeSettings,
): EpisodeCommit {
  const { now } = prepared;
  const updated = { ...item.instance, lastUpdatedAt: iso(now) };
  if (outcome.kind === 'failed') {
    const customStatus =
      outcome.customStatus === undefined ? updated.customStatus : toJsonText(outcome.customStatus);
    return fail({ ...updated, customStatus }, prepared, outcome.failure);
  }
  const decided = outcome.state;
  const customStatus =
    decided.customStatus === undefined ? updated.customStatus : toJsonText(decided.customStatus);
  const instance: InstanceRecord = { ...updated, customStatus, status: 'Running' };
  const replayed = replayActions(prepared, flattenActions(decided), instance, settings);
  if ('failure' in replayed) return fail(instance, prepared, replayed.failure);

  if (decided.isDone && replayed.continueAsNew) {
    const next = continueAsNew(instance, prepared, replayed.continueAsNew.input, settings);
    return { ...next, outbox: [...next.outbox, ...releaseLocks(instance, replayed.locked, now)] };
  }
  if (decided.isDone) {
    const output = toJsonText(decided.output);
    const done: InstanceRecord = { ...instance, status: 'Completed', output };
    const completed: HistoryEvent = {
      EventType: EventType.ExecutionCompleted,
      ...eventHead(now),
      OrchestrationStatus: 'Completed',
      Result: output,
    };
    return {
      instance: done,
      newEvents: [...prepared.newEvents, ...replayed.events, completed, orchestratorCompleted(now)],
      consumedMessageIds: prepared.consumedMessageIds,
      outbox: [
        ...prepared.outbox,
        ...replayed.outbox,
        ...releaseLocks(done, replayed.locked, now),
        ...reportToParent(done, now, { result: output }),
      ],
    };
  }
  return {
    instance,
    newEvents: [...prepared.newEvents, ...replayed.events, orchestratorCompleted(now)],
    consumedMessageIds: prepared.consumedMessageIds,
    outbox: [...prepared.outbox, ...replayed.outbox],
  };
}

const orchestratorCompleted = (now: number): HistoryEvent => ({
  EventType: EventType.OrchestratorCompleted,
  ...eventHead(now),
});

interface Replayed {
  events: HistoryEvent[];
  outbox: OutboxEntry[];
  /** The entities still locked after these actions. */
  locked: readonly string[];
  continueAsNew?: { input: unknown };
}

/**
 * Matches the actions against what the history says the code issued, in order, and schedules
 * the ones past the end of it. A mismatch is non-determinism.
 */
function replayActions(
  prepared: PreparedEpisode,
  actions: ReturnType<typeof flattenActions>,
  instance: InstanceRecord,
  settings: EpisodeSettings,
): Replayed | { failure: FailureDetails } {
  const { state, now } = prepared;
  let cursor = 0;
  let nextId = prepared.newEvents.reduce((max, e) => Math.max(max, lastIdOf(e) + 1), state.nextEventId);
  let locked = state.locked;
  const events: HistoryEvent[] = [];
  const outbox: OutboxEntry[] = [];
  let continueAsNewInput: { input: unknown } | undefined;

  for (const action of actions) {
    if ('unsupported' in action) {
      return { failure: unsupported(action.actionType) };
    }
    if (action.actionType === ActionType.WaitForExternalEvent) continue;
    if (action.actionType === ActionType.ContinueAsNew) {
      continueAsNewInput = { input: action.input };
      continue;
    }
    const recorded = state.issued[cursor];
    if (recorded) {
      const mismatch = describeMismatch(recorded, action);
      if (mismatch) return { failure: nonDeterminism(mismatch) };
      cursor += 1;
      continue;
    }
    const scheduled = schedule(action, nextId, { instance, now, settings, locked });
    events.push(...scheduled.events);
    outbox.push(...scheduled.outbox);
    const last = scheduled.events.at(-1);
    if (last) nextId = lastIdOf(last) + 1;
    if (action.actionType === ActionType.LockEntities) locked = action.lockSet.map(schedulerIdOf);
    if (action.actionType === ActionType.ReleaseEntities) locked = [];
  }
  const missing = state.issued[cursor];
  if (missing) {
    return {
      failure: nonDeterminism(
        `the history has ${describeScheduled(missing)} (event ${missing.EventId}), which the orchestrator no longer schedules`,
      ),
    };
  }
  return { events, outbox, locked, ...(continueAsNewInput ? { continueAsNew: continueAsNewInput } : {}) };
}

interface ScheduleContext {
  instance: InstanceRecord;
  now: number;
  settings: EpisodeSettings;
  /** The entities the orchestration holds locked when the action runs. */
  locked: readonly string[];
}

/** The events (and messages to other instances) a new action becomes, numbered from `id`. */
function schedule(
  action: Exclude<AtomicAction, { actionType: 4 | 6 }>,
  id: number,
  { instance, now, settings, locked }: ScheduleContext,
): { events: Scheduled[]; outbox: OutboxEntry[] } {
  const head = { ...eventHead(now, id) };
  const one = (event: Scheduled, outbox: OutboxEntry[] = []) => ({ events: [event], outbox });
  switch (action.actionType) {
    case ActionType.CallActivity:
      return one({
        EventType: EventType.TaskScheduled,
        ...head,
        Name: action.functionName,
        Input: encodedInputText(action.input),
      });
    case ActionType.CallActivityWithRetry:
      return one({
        EventType: EventType.TaskScheduled,
        ...head,
        Name: action.functionName,
        Input: encodedInputText(action.input),
        Retry: { FirstId: id, Attempt: 1, Policy: action.retryOptions },
      });
    case ActionType.CallHttp:
      return one({
        EventType: EventType.TaskScheduled,
        ...head,
        Name: httpActivityName,
        Input: JSON.stringify(action.httpRequest),
      });
    case ActionType.CallSubOrchestrator:
    case ActionType.CallSubOrchestratorWithRetry: {
      const event: SubOrchestrationInstanceCreated = {
        EventType: EventType.SubOrchestrationInstanceCreated,
        ...head,
        Name: action.functionName,
        InstanceId: action.instanceId ?? `${instance.instanceId}:${id.toString(16).padStart(4, '0')}`,
        Input: rawInputText(action.input),
        ...(action.actionType === ActionType.CallSubOrchestratorWithRetry
          ? { Retry: { FirstId: id, Attempt: 1, Policy: action.retryOptions } }
          : {}),
      };
      return one(event, [startChild(event, instance, now, settings)]);
    }
    case ActionType.CreateTimer: {
      const finalFireAt = Date.parse(action.fireAt);
      const long = finalFireAt - now > settings.limits.maximumShortTimerMs;
      return one({
        EventType: EventType.TimerCreated,
        ...head,
        FireAt: iso(segmentEnd(finalFireAt, now, settings.limits)),
        ...(long ? { LongTimer: { FirstId: id, FinalFireAt: iso(finalFireAt) } } : {}),
      });
    }
    case ActionType.CallEntity:
    case ActionType.SignalEntity:
    case ActionType.LockEntities: {
      const kind =
        action.actionType === ActionType.CallEntity
          ? 'call'
          : action.actionType === ActionType.SignalEntity
            ? 'signal'
            : 'lock';
      const request: EntityRequest = {
        id:
          action.actionType === ActionType.LockEntities
            ? action.lockRequestId
            : `${instance.executionId}:${id}`,
        parent: instance.instanceId,
        parentExecution: instance.executionId,
        timestamp: iso(now),
        ...(action.actionType === ActionType.LockEntities
          ? { lockset: action.lockSet, pos: 0 }
          : { op: action.operation, signal: kind === 'signal', input: encodedInputText(action.input) }),
      };
      const target =
        action.actionType === ActionType.LockEntities ? schedulerIdOf(action.lockSet[0]!) : action.instanceId;
      return one(
        {
          EventType: EventType.EventSent,
          ...head,
          InstanceId: target,
          Name: 'op',
          Input: JSON.stringify(request),
          Entity: { Kind: kind },
        },
        [{ kind: 'send', instanceId: target, message: requestMessage(request, now) }],
      );
    }
    case ActionType.ReleaseEntities: {
      const input = JSON.stringify(releaseRequest(instance, id));
      const events: Scheduled[] = locked.map((entity, index) => ({
        EventType: EventType.EventSent,
        ...eventHead(now, id + index),
        InstanceId: entity,
        Name: 'release',
        Input: input,
        Entity: { Kind: 'release', Index: index },
      }));
      return { events, outbox: releaseLocks(instance, locked, now, id) };
    }
  }
}

function fail(instance: InstanceRecord, prepared: PreparedEpisode, failure: FailureDetails): EpisodeCommit {
  const { now } = prepared;
  const output = JSON.stringify(`Orchestrator function '${instance.name}' failed: ${failure.ErrorMessage}`);
  const failed: InstanceRecord = { ...instance, status: 'Failed', output, failure };
  const completed: HistoryEvent = {
    EventType: EventType.ExecutionCompleted,
    ...eventHead(now),
    OrchestrationStatus: 'Failed',
    Result: output,
    FailureDetails: failure,
  };
  return {
    instance: failed,
    newEvents: [...prepared.newEvents, completed, orchestratorCompleted(now)],
    consumedMessageIds: prepared.consumedMessageIds,
    outbox: [
      ...releaseLocks(failed, prepared.state.locked, now),
      ...reportToParent(failed, now, { failure }),
    ],
  };
}

function continueAsNew(
  instance: InstanceRecord,
  prepared: PreparedEpisode,
  input: unknown,
  settings: EpisodeSettings,
): EpisodeCommit {
  const { now } = prepared;
  const executionId = settings.newExecutionId();
  const inputText = encodedInputText(input);
  const next: InstanceRecord = {
    ...instance,
    executionId,
    status: 'Running',
    input: inputText,
    output: null,
  };
  const start = startMessage({
    executionId,
    name: instance.name,
    input: inputText,
    now,
    parent: instance.parent,
  });
  return {
    instance: next,
    newEvents: [],
    consumedMessageIds: prepared.consumedMessageIds,
    outbox: [{ kind: 'send', instanceId: instance.instanceId, message: start }],
  };
}
