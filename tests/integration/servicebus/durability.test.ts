// The emulator as `npm start` runs it: a child process, killed with SIGKILL mid-flight.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ServiceBusClient } from '@azure/service-bus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from './fixture.js';

const cli = join(import.meta.dirname, '..', '..', '..', 'local', 'servicebus', 'cli.ts');
let dir: string;
let child: ChildProcess | undefined;

async function startChild(): Promise<{ process: ChildProcess; connectionString: string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0', '--config', join(dir, 'config.json'), '--data', join(dir, 'data')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child = proc;
  const lines = createInterface({ input: proc.stdout! });
  const ready = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      if (line.startsWith('servicebus emulator ready')) resolve(line);
    });
    proc.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  return { process: proc, connectionString: /connectionString=(\S+)/.exec(ready)![1]! };
}

async function kill(proc: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill('SIGKILL');
  await exited;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sb-durability-'));
  await writeFile(join(dir, 'config.json'), JSON.stringify(testConfig));
});

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) await kill(child);
  await rm(dir, { recursive: true, force: true });
});

describe('durability', () => {
  it('keeps every acknowledged, unsettled message across kill -9 and loses completed ones', async () => {
    const first = await startChild();
    let client = new ServiceBusClient(first.connectionString, { retryOptions: { maxRetries: 0, timeoutInMs: 5000 } });
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
    await kill(first.process);
    await client.close().catch(() => undefined);

    const second = await startChild();
    client = new ServiceBusClient(second.connectionString, { retryOptions: { maxRetries: 0, timeoutInMs: 5000 } });
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
    expect(seen.sort((a, b) => a - b)).toEqual([...Array.from({ length: 20 }, (_, i) => i)].filter((i) => !completed.has(i)));
    await client.close();
    await kill(second.process);
  });
});
