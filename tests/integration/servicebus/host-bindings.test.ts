// Service Bus output bindings and a cardinality 'many' trigger of a v4 app, through the real
// host process and the emulator, seen from the user's seat: the official client sends and
// reads, HTTP publishes.
import {
  ServiceBusClient,
  type ServiceBusReceivedMessage,
  type ServiceBusReceiver,
} from '@azure/service-bus';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootHost, eventually, type HostProcess } from '../../support/host.js';
import { startTestEmulator, type TestEmulator } from './fixture.js';

const appDir = fileURLToPath(new URL('../../fixtures/servicebus-bindings-app', import.meta.url));
let emulator: TestEmulator;
let host: HostProcess;
let client: ServiceBusClient;
let results: ServiceBusReceiver;

beforeAll(async () => {
  const config: unknown = JSON.parse(await readFile(`${appDir}/servicebus.json`, 'utf8'));
  emulator = await startTestEmulator(config as object);
  client = new ServiceBusClient(emulator.connectionString);
  results = client.createReceiver('results', 'all', { receiveMode: 'receiveAndDelete' });
  host = await bootHost(appDir, { ServiceBusConnection: emulator.connectionString });
});

afterAll(async () => {
  await host?.stop();
  await client?.close();
  await emulator?.dispose();
});

async function receiveResults(count: number): Promise<unknown[]> {
  const received: ServiceBusReceivedMessage[] = [];
  await eventually(async () => {
    received.push(...(await results.receiveMessages(count - received.length, { maxWaitTimeInMs: 500 })));
    return received.length >= count ? true : undefined;
  });
  return received.map((m) => m.body as unknown);
}

const batchLines = () => host.lines.filter((l) => l.includes('batch bodies='));

describe('local host: Service Bus output binding and cardinality many', () => {
  it('hands a batch to one invocation with metadata arrays, abandons it whole on failure, and forwards it to a topic', async () => {
    const sender = client.createSender('scored');
    const batch = await sender.createMessageBatch();
    batch.tryAddMessage({ body: { id: 'a' }, messageId: 'msg-a', applicationProperties: { region: 'eu' } });
    batch.tryAddMessage({ body: { id: 'b', failOnce: true }, messageId: 'msg-b' });
    await sender.sendMessages(batch);

    const forwarded = await receiveResults(2);
    expect(forwarded).toEqual([{ forwarded: { id: 'a' } }, { forwarded: { id: 'b', failOnce: true } }]);
    const lines = batchLines();
    expect(lines).toHaveLength(2);
    for (const [line, count] of [
      [lines[0], 1],
      [lines[1], 2],
    ] as const) {
      expect(line).toContain('bodies=[{"id":"a"},{"id":"b","failOnce":true}]');
      expect(line).toContain('ids=["msg-a","msg-b"]');
      expect(line).toContain(`deliveryCounts=[${count},${count}]`);
      expect(line).toContain('properties=[{"region":"eu"},{}]');
      expect(line).toContain('enqueued=2');
    }
    expect(await client.createReceiver('scored').peekMessages(5)).toEqual([]);
    await sender.close();
  });

  it('sends one message per array element, or one message, from an HTTP function', async () => {
    const publish = (value: unknown) =>
      fetch(`${host.url}/api/publish`, { method: 'POST', body: JSON.stringify({ output: value }) });
    expect((await publish([{ id: 'c' }, { id: 'd' }, 'e'])).status).toBe(202);
    const forwarded = await receiveResults(3);
    expect(forwarded).toEqual([{ forwarded: { id: 'c' } }, { forwarded: { id: 'd' } }, { forwarded: 'e' }]);

    expect((await publish({ id: 'single' })).status).toBe(202);
    expect(await receiveResults(1)).toEqual([{ forwarded: { id: 'single' } }]);
  });
});
