// Messages per second sent and completed through the Service Bus emulator with the official
// client (batches of 100, peek-lock, every message completed), against raw rhea links moving
// the same messages through a minimal in-memory rhea relay: what AMQP itself costs on this
// machine, with no CBS, no journal, no broker state and no client SDK.
import { mkdtemp, open, rm } from 'node:fs/promises';
import type { AddressInfo, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceBusClient } from '@azure/service-bus';
import rhea, { type Delivery, type EventContext, type Receiver, type Sender } from 'rhea';
import { startServiceBusEmulator } from '../local/servicebus/emulator.js';
import { round, throughputRatio, type Benchmark } from './result.js';

const batchSize = 100;
const total = Number(process.env.SERVICEBUS_BENCH_MESSAGES ?? 3000);
const body = (i: number) => ({ model: 'churn', version: 4, metric: 'psi', features: ['age', 'tenure'], i });

const config = {
  UserConfig: {
    Namespaces: [
      {
        Name: 'bench',
        Queues: [{ Name: 'bench', Properties: { LockDuration: 'PT1M', MaxDeliveryCount: 10 } }],
      },
    ],
  },
};

async function throughEmulator(dataDir: string): Promise<number> {
  const emulator = await startServiceBusEmulator({ port: 0, config, dataDir });
  const client = new ServiceBusClient(emulator.connectionString);
  const sender = client.createSender('bench');
  const receiver = client.createReceiver('bench');
  const round1 = async (offset: number) => {
    await sender.sendMessages(
      Array.from({ length: batchSize }, (_, i) => ({
        body: body(offset + i),
        messageId: `m-${offset + i}`,
        applicationProperties: { i: offset + i },
      })),
    );
    let received = 0;
    while (received < batchSize) {
      const messages = await receiver.receiveMessages(batchSize - received, { maxWaitTimeInMs: 5000 });
      received += messages.length;
      await Promise.all(messages.map((m) => receiver.completeMessage(m)));
    }
  };
  await round1(-batchSize);
  const started = performance.now();
  for (let offset = 0; offset < total; offset += batchSize) await round1(offset);
  const seconds = (performance.now() - started) / 1000;
  await client.close();
  await emulator.stop();
  return total / seconds;
}

/** A queue in memory behind rhea: accepts what senders send, hands it to receivers, forgets what they accept. */
async function startRelay(): Promise<{ port: number; close(): Promise<void> }> {
  const container = rhea.create_container({ id: 'relay' });
  const queue: Buffer[] = [];
  const consumers = new Set<Sender>();
  const pump = () => {
    for (const sender of consumers) {
      while (queue.length > 0 && sender.sendable())
        sender.send(queue.shift()! as unknown as rhea.Message, undefined, 0);
    }
  };
  container.on('sender_open', (context: EventContext) => {
    consumers.add(context.sender as Sender);
  });
  container.on('sendable', pump);
  // Receivers settle in the second mode, like peek-lock: the relay confirms each accept.
  const accepted = (rhea.message as unknown as { accepted(): { described(): unknown } })
    .accepted()
    .described();
  container.on('accepted', (context: EventContext) => {
    const delivery = context.delivery as Delivery & { remote_settled: boolean };
    delivery.update(true, accepted);
    // The receiver sends nothing after this settlement; without this rhea keeps the delivery forever.
    delivery.remote_settled = true;
  });
  container.on('message', (context: EventContext) => {
    queue.push(rhea.message.encode(context.message as rhea.Message));
    pump();
  });
  const server = container.listen({ host: '127.0.0.1', port: 0 }) as Server;
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function throughRelay(): Promise<number> {
  const relay = await startRelay();
  const container = rhea.create_container({ id: 'relay-client' });
  const connection = container.connect({ host: '127.0.0.1', port: relay.port });
  const sender = connection.open_sender({ target: { address: 'bench' } });
  const receiver = connection.open_receiver({
    source: { address: 'bench' },
    credit_window: 0,
    autoaccept: false,
    rcv_settle_mode: 1,
  });
  await new Promise((resolve) => sender.once('sendable', resolve));
  const sendBatch = (offset: number) =>
    new Promise<void>((resolve) => {
      let accepted = 0;
      const onAccepted = () => {
        accepted += 1;
        if (accepted === batchSize) {
          sender.removeListener('accepted', onAccepted);
          resolve();
        }
      };
      sender.on('accepted', onAccepted);
      for (let i = 0; i < batchSize; i += 1) {
        sender.send({
          message_id: `m-${offset + i}`,
          application_properties: { i: offset + i },
          body: rhea.message.data_section(Buffer.from(JSON.stringify(body(offset + i)))),
        });
      }
    });
  const receiveBatch = () =>
    new Promise<void>((resolve) => {
      let received = 0;
      const onMessage = (context: EventContext) => {
        (context.delivery as Delivery).accept();
        received += 1;
        if (received === batchSize) {
          receiver.removeListener('message', onMessage);
          resolve();
        }
      };
      receiver.on('message', onMessage);
      (receiver as Receiver).add_credit(batchSize);
    });
  const round1 = async (offset: number) => {
    await sendBatch(offset);
    await receiveBatch();
  };
  await round1(-batchSize);
  const started = performance.now();
  for (let offset = 0; offset < total; offset += batchSize) await round1(offset);
  const seconds = (performance.now() - started) / 1000;
  connection.close();
  await relay.close();
  return total / seconds;
}

/** The cost of the fsync every acknowledged send waits for, on the journal's file system. */
async function fsyncMilliseconds(dir: string): Promise<number> {
  const file = await open(join(dir, 'fsync-probe'), 'a');
  const samples: number[] = [];
  for (let i = 0; i < 20; i += 1) {
    await file.write('x'.repeat(512) + '\n');
    const started = performance.now();
    await file.datasync();
    samples.push(performance.now() - started);
  }
  await file.close();
  return samples.sort((a, b) => a - b)[samples.length >> 1] ?? 0;
}

const benchmark: Benchmark = async (progress) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'sb-bench-'));
  try {
    progress(`fsync (median of 20) on ${tmpdir()}: ${round(await fsyncMilliseconds(dataDir), 3)} ms`);
    progress(
      `baseline: ${total} messages through an in-memory rhea relay with raw rhea links, batches of ${batchSize}`,
    );
    const baseline = await throughRelay();
    progress(`baseline: ${Math.round(baseline)} messages/s`);
    progress(
      `emulator: ${total} messages sent and completed with @azure/service-bus, batches of ${batchSize}`,
    );
    const ours = await throughEmulator(join(dataDir, 'journal'));
    progress(`emulator: ${Math.round(ours)} messages/s`);
    return {
      name: 'servicebus',
      value: Math.round(ours),
      unit: 'messages/s',
      baseline: Math.round(baseline),
      ratio: throughputRatio(ours, baseline),
    };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
};

export default benchmark;
