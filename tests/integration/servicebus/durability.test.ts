// The emulator as `npm start` runs it: a child process, killed with SIGKILL mid-flight.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceBusClient } from '@azure/service-bus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startServiceBusEmulatorProcess,
  type ServiceBusEmulator,
} from '../../../local/emulators/servicebus.js';
import { testConfig } from './fixture.js';

let dir: string;
let running: ServiceBusEmulator | undefined;

async function startChild(): Promise<ServiceBusEmulator> {
  running = await startServiceBusEmulatorProcess({
    config: join(dir, 'config.json'),
    dataDir: join(dir, 'data'),
  });
  return running;
}

async function kill(emulator: ServiceBusEmulator): Promise<void> {
  emulator.service.process.kill('SIGKILL');
  await emulator.service.exited;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sb-durability-'));
  await writeFile(join(dir, 'config.json'), JSON.stringify(testConfig));
});

afterAll(async () => {
  await running?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('durability', () => {
  it('keeps every acknowledged, unsettled message across kill -9 and loses completed ones', async () => {
    const first = await startChild();
    let client = new ServiceBusClient(first.connectionString, {
      retryOptions: { maxRetries: 0, timeoutInMs: 5000 },
    });
    const sender = client.createSender('orders');
    await sender.sendMessages(Array.from({ length: 20 }, (_, i) => ({ body: { i }, messageId: `m-${i}` })));
    const receiver = client.createReceiver('orders');
    const completed = new Set<number>();
    while (completed.size < 5) {
      for (const message of await receiver.receiveMessages(5 - completed.size, { maxWaitTimeInMs: 1000 })) {
        await receiver.completeMessage(message);
        completed.add((message.body as { i: number }).i);
      }
    }
    // One more is locked but not settled when the process dies: it must come back.
    expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 1000 })).toHaveLength(1);
    await kill(first);
    await client.close().catch(() => undefined);

    const second = await startChild();
    client = new ServiceBusClient(second.connectionString, {
      retryOptions: { maxRetries: 0, timeoutInMs: 5000 },
    });
    const again = client.createReceiver('orders');
    const seen: number[] = [];
    for (;;) {
      const batch = await again.receiveMessages(20, { maxWaitTimeInMs: 1000 });
      if (batch.length === 0) break;
      for (const message of batch) {
        seen.push((message.body as { i: number }).i);
        await again.completeMessage(message);
      }
    }
    expect(seen.sort((a, b) => a - b)).toEqual(
      [...Array.from({ length: 20 }, (_, i) => i)].filter((i) => !completed.has(i)),
    );
    await client.close();
    await kill(second);
  });
});
