// A Service Bus-triggered function of a plain @azure/functions v4 app on the local host,
// consuming a topic subscription of the emulator.
import { ServiceBusClient } from '@azure/service-bus';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type RunningHost } from '../../../local/host/host.js';
import { createLogger } from '../../../local/host/logger.js';
import { serviceBusExtension } from '../../../local/servicebus/extension.js';
import { eventually, startTestEmulator, type TestEmulator } from './fixture.js';

const appDir = fileURLToPath(new URL('../../fixtures/servicebus-app', import.meta.url));
const lines: string[] = [];
let emulator: TestEmulator;
let host: RunningHost;

beforeAll(async () => {
  emulator = await startTestEmulator();
  process.env.ServiceBusConnection = emulator.connectionString;
  host = await startHost({
    appDir,
    port: 0,
    extensions: [serviceBusExtension()],
    log: createLogger({ level: 'debug', write: (line) => void lines.push(line) }),
  });
});

afterAll(async () => {
  await host?.stop();
  await emulator?.dispose();
  delete process.env.ServiceBusConnection;
});

describe('local host: Service Bus topic trigger', () => {
  it('retries a failing function through abandon and completes it on the third delivery', async () => {
    const client = new ServiceBusClient(emulator.connectionString);
    const sender = client.createSender('drift-alerts');
    await sender.sendMessages({
      body: {
        model: 'churn',
        version: 4,
        metric: 'psi',
        features: ['age'],
        observedAt: new Date(0).toISOString(),
      },
      messageId: 'drift-churn-4',
      contentType: 'application/json',
    });
    await eventually(
      async () => (lines.some((l) => l.includes('retrained model=churn')) ? true : undefined),
      20_000,
      'the third delivery to succeed',
    );
    const alerts = lines.filter((l) => l.includes('alert model=churn'));
    expect(alerts.map((l) => /deliveryCount=(\d+)/.exec(l)?.[1])).toEqual(['1', '2', '3']);
    expect(alerts.every((l) => l.includes('messageId=drift-churn-4'))).toBe(true);
    const receiver = client.createReceiver('drift-alerts', 'retrain');
    expect(await receiver.peekMessages(1)).toEqual([]);
    const deadLetters = client.createReceiver('drift-alerts', 'retrain', { subQueueType: 'deadLetter' });
    expect(await deadLetters.peekMessages(1)).toEqual([]);
    await client.close();
  });
});
