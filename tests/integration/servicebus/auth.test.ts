import { ServiceBusClient } from '@azure/service-bus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorConnectionString } from '../../../local/servicebus/emulator.js';
import { rawAmqp } from '../../support/raw-amqp.js';
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

  it('answers a put-token with a malformed percent-encoded signature with 401 and stays up', async () => {
    const amqp = await rawAmqp(emulator.port);
    const audience = `sb://127.0.0.1:${emulator.port}/orders`;
    const reply = await amqp.request('$cbs', {
      application_properties: {
        operation: 'put-token',
        name: audience,
        type: 'servicebus.windows.net:sastoken',
      },
      body: `SharedAccessSignature sr=${encodeURIComponent(audience)}&sig=%E0%A4%A&se=99999999999&skn=RootManageSharedAccessKey`,
    });
    expect(reply.application_properties).toMatchObject({ 'status-code': 401 });
    expect(String(reply.application_properties?.['status-description'])).toMatch(/InvalidToken/);
    amqp.close();
    const client = new ServiceBusClient(emulator.connectionString, { retryOptions: { maxRetries: 0 } });
    await client.createSender('orders').sendMessages({ body: 'still up' });
    await client.close();
  });
});
