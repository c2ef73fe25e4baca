import { describe, expect, it } from 'vitest';
import type { ReceiveSettings } from '../../../local/servicebus/config.js';
import {
  applyEvents,
  cancelScheduled,
  emptyEntity,
  peek,
  receive,
  receiveDeferred,
  renewLock,
  settle,
  stateOf,
  sweep,
  type EntityState,
  type ReceiveRequest,
} from '../../../local/servicebus/entity-state.js';

const settings: ReceiveSettings = {
  lockDurationMs: 1000,
  maxDeliveryCount: 2,
  defaultTtlMs: 10_000,
  deadLetterOnExpiration: true,
};

function entityWith(
  ...messages: Array<{ seq: number; enqueuedAt?: number; expiresAt?: number }>
): EntityState {
  const state = emptyEntity();
  applyEvents(
    state,
    messages.map((m) => ({
      type: 'enqueued' as const,
      message: {
        sequenceNumber: m.seq,
        enqueuedAt: m.enqueuedAt ?? 0,
        expiresAt: m.expiresAt ?? 1_000_000,
        payload: Buffer.from(`m${m.seq}`),
      },
    })),
  );
  return state;
}

let tokens = 0;
const request = (now: number, overrides: Partial<ReceiveRequest> = {}): ReceiveRequest => ({
  subQueue: 'main',
  maxMessages: 10,
  mode: 'peekLock',
  now,
  newLockToken: () => `token-${++tokens}`,
  ...overrides,
});

function take(state: EntityState, now: number, overrides: Partial<ReceiveRequest> = {}): number[] {
  const { events, received } = receive(state, settings, request(now, overrides));
  applyEvents(state, events);
  return received;
}

const tokenOf = (state: EntityState, seq: number): string => state.messages.get(seq)!.lock!.token;

describe('entity state machine', () => {
  it('locks messages oldest first and hides locked ones until the lock expires', () => {
    const state = entityWith({ seq: 1 }, { seq: 2 });
    expect(take(state, 0, { maxMessages: 1 })).toEqual([1]);
    expect(stateOf(state.messages.get(1)!, 0)).toBe('locked');
    expect(take(state, 10)).toEqual([2]);
    expect(take(state, 500)).toEqual([]);
    // At 1000 the first lock has run out: the message is active again, one delivery later.
    expect(take(state, 1000, { maxMessages: 1 })).toEqual([1]);
    expect(state.messages.get(1)!.deliveryCount).toBe(2);
  });

  it('completes a locked message and refuses a stale lock token', () => {
    const state = entityWith({ seq: 1 });
    take(state, 0);
    const token = tokenOf(state, 1);
    expect(() => settle(state, settings, token, { kind: 'complete' }, 1000)).toThrow(
      expect.objectContaining({ code: 'LOCK_LOST', details: { lockToken: token } }),
    );
    applyEvents(state, settle(state, settings, token, { kind: 'complete' }, 999));
    expect(state.messages.size).toBe(0);
  });

  it('dead-letters on the abandon that uses up MaxDeliveryCount', () => {
    const state = entityWith({ seq: 1 });
    take(state, 0);
    applyEvents(state, settle(state, settings, tokenOf(state, 1), { kind: 'abandon' }, 1));
    expect(stateOf(state.messages.get(1)!, 1)).toBe('active');
    take(state, 2);
    applyEvents(
      state,
      settle(state, settings, tokenOf(state, 1), { kind: 'abandon', properties: { note: 'x' } }, 3),
    );
    const message = state.messages.get(1)!;
    expect(stateOf(message, 3)).toBe('deadLettered');
    expect(message.deadLetter).toEqual({
      reason: 'MaxDeliveryCountExceeded',
      description: 'Message could not be consumed after 2 delivery attempts.',
    });
    expect(message.properties).toEqual({ note: 'x' });
    expect(take(state, 4)).toEqual([]);
    expect(take(state, 4, { subQueue: 'deadLetter' })).toEqual([1]);
  });

  it('dead-letters a message whose last lock expires, on the next sweep', () => {
    const state = entityWith({ seq: 1 });
    take(state, 0);
    take(state, 1000);
    expect(sweep(state, settings, 1500)).toEqual([]);
    applyEvents(state, sweep(state, settings, 2000));
    expect(state.messages.get(1)!.subQueue).toBe('deadLetter');
  });

  it('defers a message so only receive-by-sequence-number gets it', () => {
    const state = entityWith({ seq: 1 });
    take(state, 0);
    applyEvents(state, settle(state, settings, tokenOf(state, 1), { kind: 'defer' }, 1));
    expect(stateOf(state.messages.get(1)!, 1)).toBe('deferred');
    expect(take(state, 2)).toEqual([]);
    expect(() => receiveDeferred(state, settings, [2], request(2))).toThrow(
      expect.objectContaining({ code: 'MESSAGE_NOT_FOUND', details: { sequenceNumber: 2 } }),
    );
    applyEvents(state, receiveDeferred(state, settings, [1], request(2)));
    expect(stateOf(state.messages.get(1)!, 2)).toBe('locked');
    applyEvents(state, settle(state, settings, tokenOf(state, 1), { kind: 'complete' }, 3));
    expect(state.messages.size).toBe(0);
  });

  it('keeps scheduled messages back until their time and cancels them before it', () => {
    const state = entityWith({ seq: 1, enqueuedAt: 500 }, { seq: 2, enqueuedAt: 500 });
    expect(stateOf(state.messages.get(1)!, 0)).toBe('scheduled');
    expect(take(state, 499)).toEqual([]);
    applyEvents(state, cancelScheduled(state, [2], 100));
    expect(take(state, 500)).toEqual([1]);
    expect(cancelScheduled(state, [1], 600)).toEqual([]);
  });

  it('expires messages past their TTL into the dead-letter queue', () => {
    const state = entityWith({ seq: 1, expiresAt: 100 }, { seq: 2 });
    expect(take(state, 100)).toEqual([2]);
    expect(state.messages.get(1)!.deadLetter?.reason).toBe('TTLExpiredException');
    const drop = { ...settings, deadLetterOnExpiration: false };
    const other = entityWith({ seq: 1, expiresAt: 100 });
    applyEvents(other, sweep(other, drop, 100));
    expect(other.messages.size).toBe(0);
  });

  it('removes messages as it hands them out in receive-and-delete mode, counting the delivery', () => {
    const state = entityWith({ seq: 1 });
    const { events, received } = receive(state, settings, request(0, { mode: 'receiveAndDelete' }));
    expect(received).toEqual([1]);
    expect(events.map((e) => e.type)).toEqual(['locked', 'removed']);
    applyEvents(state, events);
    expect(state.messages.size).toBe(0);
  });

  it('renews a live lock from now and peeks without locking', () => {
    const state = entityWith({ seq: 1 }, { seq: 2 });
    take(state, 0, { maxMessages: 1 });
    const event = renewLock(state, settings, tokenOf(state, 1), 900);
    applyEvents(state, [event]);
    expect(state.messages.get(1)!.lock!.until).toBe(1900);
    expect(peek(state, 'main', 2, 5).map((m) => m.sequenceNumber)).toEqual([2]);
    expect(state.messages.get(2)!.lock).toBeUndefined();
  });
});
