import { describe, expect, it } from 'vitest';
import { emulatorWithClient } from './fixture.js';

const bus = emulatorWithClient();

async function drain(topic: string, subscription: string): Promise<unknown[]> {
  const receiver = bus.client.createReceiver(topic, subscription, { receiveMode: 'receiveAndDelete' });
  const bodies: unknown[] = [];
  for (;;) {
    const batch = await receiver.receiveMessages(10, { maxWaitTimeInMs: 500 });
    if (batch.length === 0) break;
    bodies.push(...batch.map((m) => m.body));
  }
  await receiver.close();
  return bodies;
}

describe('topics and subscription rules', () => {
  it('fans a message out to every subscription whose rules match', async () => {
    const sender = bus.client.createSender('drift-alerts');
    await sender.sendMessages([
      { body: { n: 1 }, applicationProperties: { severity: 'high', score: 0.9 } },
      { body: { n: 2 }, applicationProperties: { severity: 'low', score: 0.9 } },
      { body: { n: 3 }, applicationProperties: { severity: 'high', score: 0.2 } },
      { body: { n: 4 }, subject: 'churn', applicationProperties: { region: 'eu' } },
      { body: { n: 5 }, subject: 'churn', applicationProperties: { region: 'us' } },
    ]);
    await sender.close();
    expect(await drain('drift-alerts', 'retrain')).toEqual([
      { n: 1 },
      { n: 2 },
      { n: 3 },
      { n: 4 },
      { n: 5 },
    ]);
    expect(await drain('drift-alerts', 'severe')).toEqual([{ n: 1 }]);
    expect(await drain('drift-alerts', 'by-model')).toEqual([{ n: 4 }]);
  });

  it('refuses an entity that is not in the config', async () => {
    const sender = bus.client.createSender('no-such-queue');
    await expect(sender.sendMessages({ body: 1 })).rejects.toMatchObject({ code: 'MessagingEntityNotFound' });
    await sender.close();
  });

  it('refuses session receivers with a clear error', async () => {
    await expect(bus.client.acceptSession('orders', 'session-1')).rejects.toThrow(
      /Sessions are not supported/,
    );
  });
});
