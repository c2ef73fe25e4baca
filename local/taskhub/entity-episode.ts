// A durable entity's episode, pure: which of its pending requests run now (a lock holds the
// others back), what the lock requests and releases do, and how one batch run of the entity
// function becomes its new state, its answers and its signals.
import { z } from 'zod';
import type { EpisodeCommit, WorkItem } from './backend.js';
import { iso } from './episode-events.js';
import {
  entityIdOf,
  lockAcquired,
  requestMessage,
  responseMessage,
  schedulerIdOf,
  type EntityId,
  type EntityRequest,
  type ReleaseRequest,
} from './entity-messages.js';
import { EventType } from './history.js';
import type { InstanceRecord, Message, OutboxEntry } from './instance.js';

/** What an entity instance keeps in its `input`, as the Azure Storage backend does. */
export interface EntitySchedulerState {
  exists: boolean;
  /** The entity's state as JSON text. */
  state: string | null;
  /** The orchestration holding the entity in a critical section. */
  lockedBy?: string;
  /** Requests waiting for the lock, oldest first. */
  queue: EntityRequest[];
}

export const entityExecutionId = 'entity';

export function schedulerStateOf(instance: InstanceRecord | undefined): EntitySchedulerState {
  if (!instance?.input) return { exists: false, state: null, queue: [] };
  return JSON.parse(instance.input) as EntitySchedulerState;
}

/** The instance row of an entity that has just received its first message. */
export function newEntityInstance(instanceId: string, now: number): InstanceRecord {
  return {
    instanceId,
    name: entityIdOf(instanceId).name,
    executionId: entityExecutionId,
    status: 'Running',
    input: JSON.stringify(schedulerStateOf(undefined)),
    output: null,
    customStatus: null,
    createdAt: iso(now),
    lastUpdatedAt: iso(now),
  };
}

/** The entity function's input (DurableEntityBindingInfo). */
export interface EntityBatch {
  self: EntityId;
  exists: boolean;
  state?: string;
  batch: { name: string; signal: boolean; input?: string; id: string }[];
}

const entityIdSchema = z.object({ name: z.string(), key: z.string() });

/** What the entity function returns for a batch (the library's EntityState), checked at the edge. */
export const entityBatchResultSchema = z
  .object({
    entityExists: z.boolean(),
    entityState: z.string().nullish(),
    results: z.array(z.object({ isError: z.boolean(), result: z.string().optional() }).loose()),
    signals: z.array(
      z.object({ target: entityIdSchema, name: z.string(), input: z.string().optional() }).loose(),
    ),
  })
  .loose();
export type EntityBatchResult = z.infer<typeof entityBatchResultSchema>;

export interface EntityPlan {
  /** Operations to run in this order, as one batch; none means the function need not run. */
  operations: EntityRequest[];
  batch: EntityBatch;
  /** Applies the batch's outcome (undefined: the function could not run) to give the commit. */
  finish(outcome: EntityBatchResult | { error: string } | undefined): EpisodeCommit;
}

export function planEntityEpisode(item: WorkItem, now: number, maxMessages: number): EntityPlan | undefined {
  const messages = item.messages.slice(0, maxMessages);
  if (messages.length === 0) return undefined;
  const before = schedulerStateOf(item.instance);
  let lockedBy = before.lockedBy;
  type Pending = { request: EntityRequest } | { release: ReleaseRequest };
  const pending: Pending[] = [
    ...before.queue.map((request) => ({ request })),
    ...messages.flatMap((m) => pendingOf(m)),
  ];
  const operations: EntityRequest[] = [];
  const outbox: OutboxEntry[] = [];
  const send = (instanceId: string, message: Message) => outbox.push({ kind: 'send', instanceId, message });

  // Releases never wait; other requests wait while someone else holds the lock. A release
  // lets the waiting requests through, so the scan repeats until nothing more moves.
  for (let moved = true; moved;) {
    moved = false;
    for (const entry of [...pending]) {
      if ('release' in entry) {
        if (entry.release.parent === lockedBy) lockedBy = undefined;
      } else {
        const request = entry.request;
        if (lockedBy !== undefined && request.parent !== lockedBy) continue;
        if (request.lockset) {
          lockedBy = request.parent;
          const next = (request.pos ?? 0) + 1;
          if (next < request.lockset.length) {
            const forwarded = { ...request, pos: next };
            send(schedulerIdOf(request.lockset[next]!), requestMessage(forwarded, now));
          } else if (request.parent) {
            send(request.parent, responseMessage(request, lockAcquired, now));
          }
        } else operations.push(request);
      }
      pending.splice(pending.indexOf(entry), 1);
      moved = true;
    }
  }

  const self = entityIdOf(item.instance.instanceId);
  const batch: EntityBatch = {
    self,
    exists: before.exists,
    ...(before.state === null ? {} : { state: before.state }),
    batch: operations.map((r) => ({
      name: r.op ?? '',
      signal: r.signal === true,
      ...(r.input === null || r.input === undefined ? {} : { input: r.input }),
      id: r.id,
    })),
  };

  return {
    operations,
    batch,
    finish(outcome) {
      let after: Pick<EntitySchedulerState, 'exists' | 'state'> = {
        exists: before.exists,
        state: before.state,
      };
      if (outcome && !('error' in outcome)) {
        after = {
          exists: outcome.entityExists,
          state: outcome.entityExists ? (outcome.entityState ?? null) : null,
        };
        outcome.signals.forEach((signal, index) => {
          const request: EntityRequest = {
            id: `${messages[0]!.id}:signal:${index}`,
            op: signal.name,
            signal: true,
            ...(signal.input ? { input: signal.input } : {}),
            timestamp: iso(now),
          };
          send(schedulerIdOf(signal.target), requestMessage(request, now));
        });
      }
      operations.forEach((request, index) => {
        if (request.signal || !request.parent) return;
        const result = outcome && !('error' in outcome) ? outcome.results[index] : undefined;
        const failed = !result || result.isError;
        const error = outcome && 'error' in outcome ? outcome.error : 'The operation did not run.';
        send(
          request.parent,
          responseMessage(
            request,
            failed
              ? { result: result?.result ?? JSON.stringify(error), exceptionType: 'Error' }
              : { ...(result.result === undefined ? {} : { result: result.result }) },
            now,
          ),
        );
      });
      const state: EntitySchedulerState = {
        ...after,
        ...(lockedBy === undefined ? {} : { lockedBy }),
        queue: pending.flatMap((p) => ('request' in p ? [p.request] : [])),
      };
      return {
        instance: { ...item.instance, input: JSON.stringify(state), lastUpdatedAt: iso(now) },
        newEvents: [],
        consumedMessageIds: messages.map((m) => m.id),
        outbox,
      };
    },
  };
}

function pendingOf(message: Message): ({ request: EntityRequest } | { release: ReleaseRequest })[] {
  const event = message.event;
  if (event.EventType !== EventType.EventRaised || event.Input === null) return [];
  if (event.Name === 'release') return [{ release: JSON.parse(event.Input) as ReleaseRequest }];
  if (event.Name === 'op') return [{ request: JSON.parse(event.Input) as EntityRequest }];
  return [];
}
