import { type ServiceBusReceivedMessage, type ServiceBusReceiver } from '@azure/service-bus';
import { describe, expect, it } from 'vitest';
import { eventually, emulatorWithClient } from './fixture.js';

const bus = emulatorWithClient();

async function receiveOne(
  receiver: ServiceBusReceiver,
  timeoutMs = 10_000,
): Promise<ServiceBusReceivedMessage> {
  return eventually(
    async () => (await receiver.receiveMessages(1, { maxWaitTimeInMs: 500 }))[0],
    timeoutMs,
    'a message',
  );
}

describe('peek-lock settlement', () => {
  it('dead-letters a message abandoned MaxDeliveryCount times, with the reason', async () => {
    const sender = bus.client.createSender('orders');
    await sender.sendMessages({ body: 'poison', messageId: 'poison-1' });
    const receiver = bus.client.createReceiver('orders');
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const message = await receiveOne(receiver);
      expect(message.deliveryCount).toBe(attempt - 1);
      await receiver.abandonMessage(message);
    }
    expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 300 })).toEqual([]);
    const deadLetters = bus.client.createReceiver('orders', { subQueueType: 'deadLetter' });
    const dead = await receiveOne(deadLetters);
    expect(dead).toMatchObject({
      body: 'poison',
      messageId: 'poison-1',
      deadLetterReason: 'MaxDeliveryCountExceeded',
    });
    expect(dead.deadLetterErrorDescription).toMatch(/3 delivery attempts/);
    await deadLetters.completeMessage(dead);
    await Promise.all([receiver.close(), deadLetters.close(), sender.close()]);
  });

  it('dead-letters explicitly with reason and description', async () => {
    const sender = bus.client.createSender('orders');
    await sender.sendMessages({ body: 'bad input' });
    const receiver = bus.client.createReceiver('orders');
    await receiver.deadLetterMessage(await receiveOne(receiver), {
      deadLetterReason: 'SchemaMismatch',
      deadLetterErrorDescription: 'missing field model',
    });
    const deadLetters = bus.client.createReceiver('orders', { subQueueType: 'deadLetter' });
    const dead = await receiveOne(deadLetters);
    expect(dead).toMatchObject({
      body: 'bad input',
      deadLetterReason: 'SchemaMismatch',
      deadLetterErrorDescription: 'missing field model',
    });
    await deadLetters.completeMessage(dead);
    await Promise.all([receiver.close(), deadLetters.close(), sender.close()]);
  });

  it('delivers a message again when its lock expires, with a higher delivery count', async () => {
    const sender = bus.client.createSender('minute-lock');
    await sender.sendMessages({ body: 'slow' });
    const receiver = bus.client.createReceiver('minute-lock', { maxAutoLockRenewalDurationInMs: 0 });
    const first = await receiveOne(receiver);
    expect(first.deliveryCount).toBe(0);
    bus.emulator.clock.advance(60_000);
    const again = await receiveOne(receiver);
    expect(again.sequenceNumber?.toNumber()).toBe(first.sequenceNumber?.toNumber());
    expect(again.deliveryCount).toBe(1);
    await expect(receiver.completeMessage(first)).rejects.toMatchObject({ code: 'MessageLockLost' });
    await receiver.completeMessage(again);
    await Promise.all([receiver.close(), sender.close()]);
  });

  it('renews a lock so the message is not redelivered', async () => {
    const sender = bus.client.createSender('minute-lock');
    await sender.sendMessages({ body: 'renewed' });
    const receiver = bus.client.createReceiver('minute-lock', { maxAutoLockRenewalDurationInMs: 0 });
    const message = await receiveOne(receiver);
    const before = message.lockedUntilUtc!.getTime();
    bus.emulator.clock.advance(50_000);
    const renewed = await receiver.renewMessageLock(message);
    expect(renewed.getTime()).toBeGreaterThan(before);
    // Past the first lock's end, within the renewed one: still ours, not delivered again.
    bus.emulator.clock.advance(30_000);
    expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 300 })).toEqual([]);
    await receiver.completeMessage(message);
    await Promise.all([receiver.close(), sender.close()]);
  });

  it('defers a message and receives it by sequence number', async () => {
    const sender = bus.client.createSender('orders');
    await sender.sendMessages({ body: 'later' });
    const receiver = bus.client.createReceiver('orders');
    const message = await receiveOne(receiver);
    await receiver.deferMessage(message);
    expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 300 })).toEqual([]);
    const [peeked] = await receiver.peekMessages(1, { fromSequenceNumber: message.sequenceNumber! });
    expect(peeked?.state).toBe('deferred');
    const [deferred] = await receiver.receiveDeferredMessages(message.sequenceNumber!);
    expect(deferred).toMatchObject({ body: 'later', state: 'deferred' });
    await receiver.completeMessage(deferred!);
    await expect(receiver.receiveDeferredMessages(message.sequenceNumber!)).rejects.toMatchObject({
      code: 'MessageNotFound',
    });
    await Promise.all([receiver.close(), sender.close()]);
  });

  it('delivers scheduled messages at their time and cancels others', async () => {
    const sender = bus.client.createSender('orders');
    const receiver = bus.client.createReceiver('orders');
    const at = new Date(bus.emulator.clock.now() + 600_000);
    const [kept, cancelled] = await sender.scheduleMessages(
      [{ body: 'scheduled' }, { body: 'cancelled' }],
      at,
    );
    await sender.cancelScheduledMessages(cancelled!);
    const peeked = await receiver.peekMessages(5, { fromSequenceNumber: kept! });
    expect(peeked.map((m) => [m.body, m.state])).toEqual([['scheduled', 'scheduled']]);
    expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 200 })).toEqual([]);
    bus.emulator.clock.advance(600_000);
    const message = await receiveOne(receiver);
    expect(message.body).toBe('scheduled');
    expect(message.scheduledEnqueueTimeUtc?.getTime()).toBe(at.getTime());
    await receiver.completeMessage(message);
    await Promise.all([receiver.close(), sender.close()]);
  });

  it('drops duplicates within the detection window', async () => {
    const sender = bus.client.createSender('dedup');
    await sender.sendMessages({ body: 'first', messageId: 'same' });
    await sender.sendMessages({ body: 'second', messageId: 'same' });
    await sender.sendMessages({ body: 'other', messageId: 'different' });
    const receiver = bus.client.createReceiver('dedup', { receiveMode: 'receiveAndDelete' });
    const bodies: unknown[] = [];
    await eventually(async () => {
      bodies.push(...(await receiver.receiveMessages(5, { maxWaitTimeInMs: 300 })).map((m) => m.body));
      return bodies.length >= 2 ? true : undefined;
    });
    expect(await receiver.receiveMessages(5, { maxWaitTimeInMs: 300 })).toEqual([]);
    expect(bodies).toEqual(['first', 'other']);
    await Promise.all([receiver.close(), sender.close()]);
  });

  it('dead-letters expired messages when the entity says so', async () => {
    const sender = bus.client.createSender('expiring');
    await sender.sendMessages({ body: 'stale' });
    const deadLetters = bus.client.createReceiver('expiring', { subQueueType: 'deadLetter' });
    expect(await deadLetters.receiveMessages(1, { maxWaitTimeInMs: 200 })).toEqual([]);
    bus.emulator.clock.advance(60_000);
    const dead = await receiveOne(deadLetters);
    expect(dead).toMatchObject({ body: 'stale', deadLetterReason: 'TTLExpiredException' });
    await deadLetters.completeMessage(dead);
    await Promise.all([deadLetters.close(), sender.close()]);
  });
});
