import type { ServiceBusReceivedMessage } from '@azure/service-bus';
import { describe, expect, it } from 'vitest';
import { emulatorWithClient } from './fixture.js';

const bus = emulatorWithClient();

describe('queue send and receive with the official client', () => {
  it('round-trips JSON, string and binary bodies with their properties', async () => {
    const sender = bus.client.createSender('orders');
    const receiver = bus.client.createReceiver('orders');
    await sender.sendMessages([
      {
        body: { model: 'churn', version: 3 },
        messageId: 'm-1',
        correlationId: 'c-1',
        subject: 'alert',
        contentType: 'application/json',
        applicationProperties: { region: 'eu', attempt: 2, urgent: true },
        timeToLive: 60_000,
      },
      { body: 'plain text', contentType: 'text/plain' },
      { body: Buffer.from([1, 2, 3]) },
    ]);
    const received: ServiceBusReceivedMessage[] = [];
    while (received.length < 3)
      received.push(...(await receiver.receiveMessages(3 - received.length, { maxWaitTimeInMs: 2000 })));
    const [json, text, binary] = received as [
      ServiceBusReceivedMessage,
      ServiceBusReceivedMessage,
      ServiceBusReceivedMessage,
    ];
    expect(json.body).toEqual({ model: 'churn', version: 3 });
    expect(json).toMatchObject({
      messageId: 'm-1',
      correlationId: 'c-1',
      subject: 'alert',
      contentType: 'application/json',
      timeToLive: 60_000,
      deliveryCount: 0,
    });
    expect(json.applicationProperties).toEqual({ region: 'eu', attempt: 2, urgent: true });
    expect(json.sequenceNumber?.toNumber()).toBe(1);
    expect(json.enqueuedTimeUtc?.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(json.lockedUntilUtc!.getTime()).toBeGreaterThan(Date.now());
    expect(json.lockToken).toMatch(/^[0-9a-f-]{36}$/);
    expect(text.body).toBe('plain text');
    expect(Buffer.from(binary.body as Uint8Array)).toEqual(Buffer.from([1, 2, 3]));
    for (const message of received) await receiver.completeMessage(message);
    expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 300 })).toEqual([]);
    await receiver.close();
    await sender.close();
  });

  it('receive-and-delete removes messages as they are handed out', async () => {
    const sender = bus.client.createSender('orders');
    await sender.sendMessages({ body: 'once' });
    const receiver = bus.client.createReceiver('orders', { receiveMode: 'receiveAndDelete' });
    const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2000 });
    expect(message?.body).toBe('once');
    expect(await receiver.peekMessages(5)).toEqual([]);
    await receiver.close();
    await sender.close();
  });
});

describe('long-lived peek-lock receivers', () => {
  it('keeps delivering past the 2048 deliveries a session window holds', async () => {
    const total = 2300;
    const sender = bus.client.createSender('orders');
    for (let offset = 0; offset < total; offset += 100) {
      await sender.sendMessages(Array.from({ length: 100 }, (_, i) => ({ body: offset + i })));
    }
    const receiver = bus.client.createReceiver('orders');
    let completed = 0;
    while (completed < total) {
      const batch = await receiver.receiveMessages(200, { maxWaitTimeInMs: 2000 });
      if (batch.length === 0) break;
      await Promise.all(batch.map((m) => receiver.completeMessage(m)));
      completed += batch.length;
    }
    expect(completed).toBe(total);
    await receiver.close();
    await sender.close();
  });
});
