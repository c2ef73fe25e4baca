// The trigger extension against the real emulator, with a recording stand-in for the host.
import { ServiceBusClient } from '@azure/service-bus';
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../shared/clock.js';
import type { RpcTypedData } from '../../../local/host/core-types.js';
import type { HostContext, InvocationRequest, RegisteredFunction } from '../../../local/host/extension.js';
import { createLogger } from '../../../local/host/logger.js';
import type { HostSettings } from '../../../local/host/settings.js';
import { emulatorConnectionString } from '../../../local/servicebus/emulator.js';
import { serviceBusExtension } from '../../../local/servicebus/extension.js';
import { eventually, startTestEmulator, type TestEmulator } from './fixture.js';

let emulator: TestEmulator;
let client: ServiceBusClient;

beforeAll(async () => {
  emulator = await startTestEmulator();
  client = new ServiceBusClient(emulator.connectionString);
});

afterAll(async () => {
  await client.close();
  await emulator.dispose();
});

function fakeHost(
  invoke: (fn: RegisteredFunction, request: InvocationRequest) => Promise<void>,
  serviceBus: object = {},
  connectionString = emulator.connectionString,
): HostContext {
  const values: Record<string, string> = { SB: connectionString };
  const settings: HostSettings = {
    hostJson: {
      version: '2.0',
      extensions: {
        http: { routePrefix: 'api' },
        queues: { maxDequeueCount: 5, batchSize: 16 },
        blobs: {},
        serviceBus,
      },
    },
    get: (name) => values[name],
    require: (name) => values[name] ?? '',
    resolve: (expression) => expression,
  };
  return {
    appDir: '.',
    settings,
    functions: [],
    invoke: async (fn, request) => {
      await invoke(fn, request);
      return {};
    },
    log: createLogger({ level: 'error', write: () => undefined }),
    clock: systemClock,
    baseUrl: 'http://127.0.0.1:0',
    keys: { function: 'f', master: 'm', system: 's' },
  };
}

function fn(trigger: Record<string, unknown>): RegisteredFunction {
  return {
    name: 'onAlert',
    id: 'id-1',
    trigger: { name: 'message', type: 'serviceBusTrigger', direction: 'in', connection: 'SB', ...trigger },
    inputs: [],
    outputs: [],
  };
}

const decode = (data: RpcTypedData | undefined): unknown =>
  data?.json ? JSON.parse(data.json) : (data?.string ?? data?.int);

describe('serviceBusTrigger extension', () => {
  it('abandons failed invocations and completes the one that succeeds, with delivery counts in the metadata', async () => {
    const calls: InvocationRequest[] = [];
    const host = fakeHost(async (_fn, request) => {
      calls.push(request);
      if (calls.length <= 2) throw new Error(`failure ${calls.length}`);
    });
    const listener = serviceBusExtension().triggers!.serviceBusTrigger!(
      fn({ topicName: 'drift-alerts', subscriptionName: 'retrain' }),
      host,
    );
    await listener.start();
    const sender = client.createSender('drift-alerts');
    await sender.sendMessages({
      body: { model: 'churn', metric: 'psi' },
      messageId: 'alert-1',
      correlationId: 'run-7',
      contentType: 'application/json',
      applicationProperties: { severity: 'high' },
    });
    await eventually(async () => (calls.length >= 3 ? true : undefined), 15_000, 'three invocations');
    await eventually(
      async () => {
        // A fresh receiver peeks from the start of the subscription.
        const peeker = client.createReceiver('drift-alerts', 'retrain');
        const left = await peeker.peekMessages(1);
        await peeker.close();
        return left.length === 0 ? true : undefined;
      },
      5000,
      'the message to be completed',
    );
    await listener.stop();
    expect(calls.map((c) => decode(c.triggerMetadata?.DeliveryCount))).toEqual([1, 2, 3]);
    const last = calls[2]!;
    expect(decode(last.trigger)).toEqual({ model: 'churn', metric: 'psi' });
    expect(decode(last.triggerMetadata?.MessageId)).toBe('alert-1');
    expect(decode(last.triggerMetadata?.CorrelationId)).toBe('run-7');
    expect(decode(last.triggerMetadata?.ContentType)).toBe('application/json');
    expect(decode(last.triggerMetadata?.ApplicationProperties)).toEqual({ severity: 'high' });
    expect(Date.parse(String(decode(last.triggerMetadata?.EnqueuedTimeUtc)))).toBeGreaterThan(
      Date.now() - 60_000,
    );
    expect(decode(last.triggerMetadata?.SequenceNumber)).toBeGreaterThan(0);
    expect(String(decode(last.triggerMetadata?.LockToken))).toMatch(/^[0-9a-f-]{36}$/);
    await sender.close();
  });

  it('runs at most maxConcurrentCalls invocations at a time and passes text bodies as strings', async () => {
    let running = 0;
    let peak = 0;
    const bodies: unknown[] = [];
    const host = fakeHost(
      async (_fn, request) => {
        running += 1;
        peak = Math.max(peak, running);
        bodies.push(request.trigger.string ?? request.trigger.json);
        await new Promise((resolve) => setTimeout(resolve, 100));
        running -= 1;
      },
      { maxConcurrentCalls: 2 },
    );
    const listener = serviceBusExtension().triggers!.serviceBusTrigger!(fn({ queueName: 'orders' }), host);
    await listener.start();
    const sender = client.createSender('orders');
    await sender.sendMessages(Array.from({ length: 6 }, (_, i) => ({ body: Buffer.from(`line ${i}`) })));
    await eventually(async () => (bodies.length >= 6 ? true : undefined), 15_000, 'six invocations');
    await listener.stop();
    expect(peak).toBe(2);
    expect([...bodies].sort()).toEqual(Array.from({ length: 6 }, (_, i) => `line ${i}`));
    await sender.close();
  });

  it('stops within its bound when the broker stops answering, and says so', async () => {
    // Forwards to the emulator until frozen, then swallows every byte and keeps the sockets
    // open: a broker gone without closing anything, as an emulator killed on a busy machine.
    let frozen = false;
    const sockets = new Set<Socket>();
    const proxy = createServer((inbound) => {
      const outbound = connect(emulator.port, '127.0.0.1');
      for (const socket of [inbound, outbound]) {
        sockets.add(socket);
        socket.on('error', () => undefined);
      }
      inbound.on('data', (chunk) => frozen || outbound.write(chunk));
      outbound.on('data', (chunk) => frozen || inbound.write(chunk));
    });
    proxy.listen(0, '127.0.0.1');
    await once(proxy, 'listening');
    const { port } = proxy.address() as AddressInfo;
    const warnings: string[] = [];
    const host = {
      ...fakeHost(async () => undefined, {}, emulatorConnectionString(port)),
      log: createLogger({ level: 'warn', write: (line) => warnings.push(line) }),
    };
    const listener = serviceBusExtension().triggers!.serviceBusTrigger!(fn({ queueName: 'orders' }), host);
    await listener.start();
    await eventually(async () => (sockets.size > 0 ? true : undefined), 5000, 'the connection');
    frozen = true;
    const started = Date.now();
    await listener.stop();
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(warnings.join('\n')).toMatch(/stopped without closing its connection: not closed within 5000 ms/);
    for (const socket of sockets) socket.destroy();
    proxy.close();
  }, 30_000);

  it('refuses a binding that names neither a queue nor a topic subscription', () => {
    const host = fakeHost(async () => undefined);
    expect(() =>
      serviceBusExtension().triggers!.serviceBusTrigger!(fn({ topicName: 'drift-alerts' }), host),
    ).toThrow(/queueName, or topicName and subscriptionName/);
  });
});
