import { ServiceBusClient } from '@azure/service-bus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorConnectionString } from '../../../local/servicebus/emulator.js';
import { startTestEmulator, type TestEmulator } from './fixture.js';

let emulator: TestEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator();
});

afterAll(async () => {
  await emulator.dispose();
});

describe('CBS authorization', () => {
  it('refuses a token signed with the wrong key the way Azure does', async () => {
    const client = new ServiceBusClient(emulatorConnectionString(emulator.port, 'not-the-key'), {
      retryOptions: { maxRetries: 0, timeoutInMs: 5000 },
    });
    const sender = client.createSender('orders');
    const error = await sender.sendMessages({ body: 'x' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: 'ServiceBusError', code: 'UnauthorizedAccess' });
    expect(String((error as Error).message)).toMatch(/InvalidSignature/);
    await client.close();
  });

  it('accepts the emulator key from the connection string', async () => {
    const client = new ServiceBusClient(emulator.connectionString, {
      retryOptions: { maxRetries: 0, timeoutInMs: 5000 },
    });
    const sender = client.createSender('orders');
    await sender.sendMessages({ body: 'x' });
    const receiver = client.createReceiver('orders', { receiveMode: 'receiveAndDelete' });
    expect((await receiver.receiveMessages(1, { maxWaitTimeInMs: 2000 }))[0]?.body).toBe('x');
    await client.close();
  });
});
