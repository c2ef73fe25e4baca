// The message store of one queue or subscription as a pure state machine. Commands read the
// state and the injected time and return events; `applyEvent` is the only way state changes,
// so the journal replays exactly what happened. The states a message can be in:
//   scheduled    enqueued with a scheduled time still in the future
//   active       available to receivers
//   locked       held by a peek-lock receiver until `lock.until`
//   deferred     set aside; only receivable by sequence number
//   dead-lettered in the `$DeadLetterQueue` sub-queue
// Lock expiry, scheduling and TTL are functions of time, not stored transitions: a lock whose
// `until` has passed is no lock at all.
import { PlatformError } from '../../shared/errors.js';
import type { ReceiveSettings } from './config.js';

export type SubQueue = 'main' | 'deadLetter';
export type MessageState = 'scheduled' | 'active' | 'locked' | 'deferred' | 'deadLettered';

/** What the broker stored when the message was accepted: immutable. */
export interface MessageRecord {
  readonly sequenceNumber: number;
  /** For a scheduled message, the time it becomes active. */
  readonly enqueuedAt: number;
  readonly expiresAt: number;
  readonly messageId?: string;
  readonly payload: Buffer;
}

export interface StoredMessage extends MessageRecord {
  readonly subQueue: SubQueue;
  readonly deferred: boolean;
  /** Deliveries so far (peek-lock or receive-and-delete), as Service Bus counts them. */
  readonly deliveryCount: number;
  readonly lock?: { readonly token: string; readonly until: number };
  readonly deadLetter?: { readonly reason: string; readonly description: string };
  /** Properties a receiver asked to modify on abandon, defer or dead-letter. */
  readonly properties?: Readonly<Record<string, unknown>>;
}

export type EntityEvent =
  | { type: 'enqueued'; message: MessageRecord }
  | { type: 'restored'; message: StoredMessage }
  | { type: 'locked'; sequenceNumber: number; token: string; until: number }
  | { type: 'lockRenewed'; sequenceNumber: number; until: number }
  | { type: 'released'; sequenceNumber: number; properties?: Record<string, unknown> }
  | { type: 'deferred'; sequenceNumber: number; properties?: Record<string, unknown> }
  | {
      type: 'deadLettered';
      sequenceNumber: number;
      reason: string;
      description: string;
      properties?: Record<string, unknown>;
    }
  | { type: 'removed'; sequenceNumber: number };

export interface EntityState {
  /** In sequence-number order (Maps keep insertion order and sequence numbers only grow). */
  readonly messages: Map<number, StoredMessage>;
}

export const emptyEntity = (): EntityState => ({ messages: new Map() });

export type Outcome =
  | { kind: 'complete' }
  | { kind: 'abandon'; properties?: Record<string, unknown> }
  | { kind: 'defer'; properties?: Record<string, unknown> }
  | { kind: 'deadLetter'; reason: string; description: string; properties?: Record<string, unknown> };

export function lockLost(lockToken: string): PlatformError {
  return new PlatformError(
    'LOCK_LOST',
    `The lock supplied is invalid. Either the lock expired, or the message has already been removed from the queue. Lock token: ${lockToken}`,
    { lockToken },
  );
}

export function messageNotFound(sequenceNumber: number): PlatformError {
  return new PlatformError(
    'MESSAGE_NOT_FOUND',
    `The message with sequence number ${sequenceNumber} was not found or is not deferred.`,
    { sequenceNumber },
  );
}

export function stateOf(message: StoredMessage, now: number): MessageState {
  if (message.enqueuedAt > now) return 'scheduled';
  if (isLocked(message, now)) return 'locked';
  if (message.deferred) return 'deferred';
  return message.subQueue === 'deadLetter' ? 'deadLettered' : 'active';
}

const isLocked = (message: StoredMessage, now: number): boolean =>
  message.lock !== undefined && message.lock.until > now;

export function applyEvent(state: EntityState, event: EntityEvent): void {
  const { messages } = state;
  if (event.type === 'enqueued') {
    messages.set(event.message.sequenceNumber, {
      ...event.message,
      subQueue: 'main',
      deferred: false,
      deliveryCount: 0,
    });
    return;
  }
  if (event.type === 'restored') {
    messages.set(event.message.sequenceNumber, event.message);
    return;
  }
  const message = messages.get(event.sequenceNumber);
  if (!message) return;
  const merge = (properties?: Record<string, unknown>): Record<string, unknown> | undefined =>
    properties ? { ...message.properties, ...properties } : message.properties;
  switch (event.type) {
    case 'locked':
      messages.set(event.sequenceNumber, {
        ...message,
        deliveryCount: message.deliveryCount + 1,
        lock: { token: event.token, until: event.until },
      });
      return;
    case 'lockRenewed':
      if (message.lock)
        messages.set(event.sequenceNumber, { ...message, lock: { ...message.lock, until: event.until } });
      return;
    case 'released':
      messages.set(event.sequenceNumber, {
        ...message,
        lock: undefined,
        properties: merge(event.properties),
      });
      return;
    case 'deferred':
      messages.set(event.sequenceNumber, {
        ...message,
        lock: undefined,
        deferred: true,
        properties: merge(event.properties),
      });
      return;
    case 'deadLettered':
      messages.set(event.sequenceNumber, {
        ...message,
        lock: undefined,
        deferred: false,
        subQueue: 'deadLetter',
        deadLetter: { reason: event.reason, description: event.description },
        properties: merge(event.properties),
      });
      return;
    case 'removed':
      messages.delete(event.sequenceNumber);
  }
}

export function applyEvents(state: EntityState, events: readonly EntityEvent[]): void {
  for (const event of events) applyEvent(state, event);
}

/** How a message that expired or ran out of deliveries leaves the main queue. */
function retire(message: StoredMessage, settings: ReceiveSettings, now: number): EntityEvent | undefined {
  if (message.subQueue !== 'main' || isLocked(message, now) || message.enqueuedAt > now) return undefined;
  if (message.expiresAt <= now) {
    return settings.deadLetterOnExpiration
      ? {
          type: 'deadLettered',
          sequenceNumber: message.sequenceNumber,
          reason: 'TTLExpiredException',
          description: 'The message expired and was dead lettered.',
        }
      : { type: 'removed', sequenceNumber: message.sequenceNumber };
  }
  if (message.deliveryCount >= settings.maxDeliveryCount) {
    return {
      type: 'deadLettered',
      sequenceNumber: message.sequenceNumber,
      reason: 'MaxDeliveryCountExceeded',
      description: `Message could not be consumed after ${settings.maxDeliveryCount} delivery attempts.`,
    };
  }
  return undefined;
}

/** Expired messages and messages whose last lock ran out with no deliveries left. */
export function sweep(state: EntityState, settings: ReceiveSettings, now: number): EntityEvent[] {
  const events: EntityEvent[] = [];
  for (const message of state.messages.values()) {
    const event = retire(message, settings, now);
    if (event) events.push(event);
  }
  return events;
}

export interface ReceiveRequest {
  subQueue: SubQueue;
  maxMessages: number;
  /** Peek-lock locks the messages; receive-and-delete removes them as they are handed out. */
  mode: 'peekLock' | 'receiveAndDelete';
  now: number;
  newLockToken: () => string;
}

/** Hands out up to `maxMessages` available messages, oldest first, retiring dead ones on the way. */
export function receive(
  state: EntityState,
  settings: ReceiveSettings,
  request: ReceiveRequest,
): { events: EntityEvent[]; received: number[] } {
  const events: EntityEvent[] = [];
  const received: number[] = [];
  for (const message of state.messages.values()) {
    if (received.length >= request.maxMessages) break;
    if (
      message.subQueue !== request.subQueue ||
      message.deferred ||
      message.enqueuedAt > request.now ||
      isLocked(message, request.now)
    )
      continue;
    const retirement = retire(message, settings, request.now);
    if (retirement) {
      events.push(retirement);
      continue;
    }
    events.push(lockEvent(message.sequenceNumber, settings, request));
    if (request.mode === 'receiveAndDelete')
      events.push({ type: 'removed', sequenceNumber: message.sequenceNumber });
    received.push(message.sequenceNumber);
  }
  return { events, received };
}

function lockEvent(
  sequenceNumber: number,
  settings: ReceiveSettings,
  request: { now: number; newLockToken: () => string },
): EntityEvent {
  return {
    type: 'locked',
    sequenceNumber,
    token: request.newLockToken(),
    until: request.now + settings.lockDurationMs,
  };
}

/** Receives deferred messages by sequence number; every number must name a deferred, unlocked message. */
export function receiveDeferred(
  state: EntityState,
  settings: ReceiveSettings,
  sequenceNumbers: readonly number[],
  request: Omit<ReceiveRequest, 'maxMessages' | 'subQueue'>,
): EntityEvent[] {
  const events: EntityEvent[] = [];
  for (const sequenceNumber of sequenceNumbers) {
    const message = state.messages.get(sequenceNumber);
    if (!message || !message.deferred || isLocked(message, request.now))
      throw messageNotFound(sequenceNumber);
    events.push(lockEvent(sequenceNumber, settings, request));
    if (request.mode === 'receiveAndDelete') events.push({ type: 'removed', sequenceNumber });
  }
  return events;
}

function findByLockToken(state: EntityState, token: string, now: number): StoredMessage {
  for (const message of state.messages.values()) {
    if (message.lock?.token === token && message.lock.until > now) return message;
  }
  throw lockLost(token);
}

/** Settles a locked message. Abandoning the last allowed delivery dead-letters it at once. */
export function settle(
  state: EntityState,
  settings: ReceiveSettings,
  token: string,
  outcome: Outcome,
  now: number,
): EntityEvent[] {
  const message = findByLockToken(state, token, now);
  const sequenceNumber = message.sequenceNumber;
  switch (outcome.kind) {
    case 'complete':
      return [{ type: 'removed', sequenceNumber }];
    case 'defer':
      return [{ type: 'deferred', sequenceNumber, properties: outcome.properties }];
    case 'deadLetter':
      return message.subQueue === 'deadLetter'
        ? [{ type: 'released', sequenceNumber, properties: outcome.properties }]
        : [
            {
              type: 'deadLettered',
              sequenceNumber,
              reason: outcome.reason,
              description: outcome.description,
              properties: outcome.properties,
            },
          ];
    case 'abandon': {
      const released: EntityEvent = { type: 'released', sequenceNumber, properties: outcome.properties };
      if (
        message.subQueue === 'main' &&
        !message.deferred &&
        message.deliveryCount >= settings.maxDeliveryCount
      ) {
        const after = { ...message, lock: undefined };
        const retirement = retire(after, settings, now);
        return retirement ? [released, retirement] : [released];
      }
      return [released];
    }
  }
}

export function renewLock(
  state: EntityState,
  settings: ReceiveSettings,
  token: string,
  now: number,
): Extract<EntityEvent, { type: 'lockRenewed' }> {
  const message = findByLockToken(state, token, now);
  return {
    type: 'lockRenewed',
    sequenceNumber: message.sequenceNumber,
    until: now + settings.lockDurationMs,
  };
}

/** Messages from `fromSequenceNumber` on, whatever their state, without locking them. */
export function peek(
  state: EntityState,
  subQueue: SubQueue,
  fromSequenceNumber: number,
  maxMessages: number,
): StoredMessage[] {
  const found: StoredMessage[] = [];
  for (const message of state.messages.values()) {
    if (found.length >= maxMessages) break;
    if (message.subQueue === subQueue && message.sequenceNumber >= fromSequenceNumber) found.push(message);
  }
  return found;
}

/** Cancels scheduled messages that have not become active yet; others are left alone, as in Azure. */
export function cancelScheduled(
  state: EntityState,
  sequenceNumbers: readonly number[],
  now: number,
): EntityEvent[] {
  return sequenceNumbers.flatMap((sequenceNumber) => {
    const message = state.messages.get(sequenceNumber);
    return message && message.enqueuedAt > now ? [{ type: 'removed' as const, sequenceNumber }] : [];
  });
}
