// The messages of durable entities in the Azure Storage backend's wire shapes: an entity is the
// instance `@{name}@{key}`; operations, lock requests and releases reach it as `op` and
// `release` events, and it answers an orchestration with an event named after the request id.
import { EventType } from './history.js';
import type { InstanceRecord, Message, OutboxEntry } from './instance.js';

export interface EntityId {
  name: string;
  key: string;
}

/** An operation call or signal, or a lock request when `lockset` is set. */
export interface EntityRequest {
  id: string;
  op?: string;
  signal?: boolean;
  /** The operation's input as JSON text. */
  input?: string | null;
  /** The orchestration that called or locked; absent for signals from clients. */
  parent?: string;
  parentExecution?: string;
  lockset?: EntityId[];
  /** Which entity of the lock set this request has reached. */
  pos?: number;
  timestamp: string;
}

export interface ReleaseRequest {
  parent: string;
  id: string;
}

/** What an orchestration's callEntity or lock receives (ResponseMessage). */
export interface EntityResponse {
  /** JSON text of the operation's result. */
  result?: string;
  exceptionType?: string;
}

export const entityPrefix = '@';
export const isEntityInstance = (instanceId: string): boolean => instanceId.startsWith(entityPrefix);

/** As the library writes scheduler ids: the name lower-case, the key as given. */
export function schedulerIdOf(entity: EntityId): string {
  return `@${entity.name.toLowerCase()}@${entity.key}`;
}

export function entityIdOf(schedulerId: string): EntityId {
  const at = schedulerId.indexOf('@', 1);
  return { name: schedulerId.slice(1, at), key: schedulerId.slice(at + 1) };
}

const raised = (name: string, input: unknown, now: number) => ({
  EventType: EventType.EventRaised,
  EventId: -1,
  IsPlayed: false,
  Timestamp: new Date(now).toISOString(),
  Name: name,
  Input: JSON.stringify(input),
});

export function requestMessage(request: EntityRequest, now: number): Message {
  return { id: `op:${request.id}:${request.pos ?? 0}`, event: raised('op', request, now) };
}

export function releaseMessage(release: ReleaseRequest, entity: string, now: number): Message {
  return { id: `release:${release.id}:${entity}`, event: raised('release', release, now) };
}

export function responseMessage(request: EntityRequest, response: EntityResponse, now: number): Message {
  return {
    id: `response:${request.id}`,
    ...(request.parentExecution ? { executionId: request.parentExecution } : {}),
    event: raised(request.id, response, now),
  };
}

export const lockAcquired: EntityResponse = { result: JSON.stringify('Lock Acquisition Completed') };

export function releaseRequest(instance: InstanceRecord, releaseId: number | 'end'): ReleaseRequest {
  return { parent: instance.instanceId, id: `${instance.executionId}:${releaseId}` };
}

/**
 * The releases of an orchestration's locks: when it leaves its critical section (`releaseId` is
 * the action's sequence number), or when it ends holding them, as the extension does.
 */
export function releaseLocks(
  instance: InstanceRecord,
  locked: readonly string[],
  now: number,
  releaseId: number | 'end' = 'end',
): OutboxEntry[] {
  const release = releaseRequest(instance, releaseId);
  return locked.map((entity) => ({
    kind: 'send',
    instanceId: entity,
    message: releaseMessage(release, entity, now),
  }));
}
