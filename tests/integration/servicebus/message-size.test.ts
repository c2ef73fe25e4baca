// The Standard tier's 256 KB limit, as the official client sees it: advertised on the sending
// link so createMessageBatch() fills batches up to it, and a larger message refused with the
// client's MessageSizeExceeded.
import { isServiceBusError } from '@azure/service-bus';
import { describe, expect, it } from 'vitest';
import { emulatorWithClient } from './fixture.js';

const bus = emulatorWithClient();
const limit = 256 * 1024;

describe('Service Bus emulator message size', () => {
  it('lets createMessageBatch() fill a batch up to 256 KB and sends it', async () => {
    const sender = bus.client.createSender('orders');
    const batch = await sender.createMessageBatch();
    expect(batch.maxSizeInBytes).toBe(limit);
    const body = 'x'.repeat(60 * 1024);
    let added = 0;
    while (batch.tryAddMessage({ body, messageId: `big-${added}` })) added += 1;
    expect(added).toBe(4);
    await sender.sendMessages(batch);
    const receiver = bus.client.createReceiver('orders', { receiveMode: 'receiveAndDelete' });
    const received = [];
    while (received.length < added)
      received.push(...(await receiver.receiveMessages(added, { maxWaitTimeInMs: 2000 })));
    expect(received.map((m) => m.messageId)).toEqual(['big-0', 'big-1', 'big-2', 'big-3']);
    await receiver.close();
    await sender.close();
  });

  it('refuses a message over 256 KB with MessageSizeExceeded and keeps nothing of it', async () => {
    const sender = bus.client.createSender('orders');
    const error = await sender.sendMessages({ body: 'y'.repeat(limit + 1) }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(isServiceBusError(error) && error.code).toBe('MessageSizeExceeded');
    expect((error as Error).message).toMatch(/exceeds the limit \(262144 bytes\)/);
    await sender.sendMessages({ body: 'fits', messageId: 'after' });
    const receiver = bus.client.createReceiver('orders', { receiveMode: 'receiveAndDelete' });
    const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2000 });
    expect(message?.messageId).toBe('after');
    expect(await receiver.peekMessages(1)).toEqual([]);
    await receiver.close();
    await sender.close();
  });

  it('refuses to schedule a message over 256 KB', async () => {
    const sender = bus.client.createSender('orders');
    const error = await sender
      .scheduleMessages({ body: 'z'.repeat(limit + 1) }, new Date(Date.now() + 60_000))
      .then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
    expect(isServiceBusError(error) && error.code).toBe('MessageSizeExceeded');
    expect(await bus.client.createReceiver('orders').peekMessages(1)).toEqual([]);
    await sender.close();
  });
});
