// Hostile AMQP against the Service Bus emulator on loopback: junk CBS tokens, junk
// `$management` requests (with and without a valid token), junk link addresses and raw junk
// bytes. Nothing may crash it, no reply may be a 5xx, the entities must hold what they held
// before, and memory must stay bounded. Seeded (FUZZ_SEED) and bounded in count.
import { createHmac } from 'node:crypto';
import { connect } from 'node:net';
import { ServiceBusClient } from '@azure/service-bus';
import type { Message } from 'rhea';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawAmqp, type RawAmqp } from '../support/raw-amqp.js';
import { startTestEmulator, type TestEmulator } from '../integration/servicebus/fixture.js';
import { fuzzRandom, integer, junkString, junkValue, pick, residentBytes, wellFormed } from './junk.js';

let emulator: TestEmulator;
let client: ServiceBusClient;

const audienceOf = (port: number, path = '') => `sb://127.0.0.1:${port}/${path}`;

function validToken(audience: string): string {
  const resource = encodeURIComponent(wellFormed(audience));
  const expiry = Math.floor(Date.now() / 1000) + 3600;
  const sig = encodeURIComponent(
    createHmac('sha256', 'SAS_KEY_VALUE').update(`${resource}\n${expiry}`).digest('base64'),
  );
  return `SharedAccessSignature sr=${resource}&sig=${sig}&se=${expiry}&skn=RootManageSharedAccessKey`;
}

/** What `orders` holds. A fresh client each time: a client's peeks go on from where its last one ended. */
async function snapshot(): Promise<string[]> {
  const peeker = new ServiceBusClient(emulator.connectionString);
  const peeked = await peeker.createReceiver('orders').peekMessages(50);
  await peeker.close();
  return peeked.map((m) => `${String(m.sequenceNumber)}:${String(m.body)}:${m.state}`);
}

/** Sends a request and returns the reply's status, or 0 when the link or connection was refused. */
async function status(amqp: RawAmqp, address: string, message: Message): Promise<number> {
  try {
    const reply = await amqp.request(address, message, 3000);
    const properties = reply.application_properties ?? {};
    return Number(properties['status-code'] ?? properties.statusCode ?? 0);
  } catch {
    return 0;
  }
}

beforeAll(async () => {
  emulator = await startTestEmulator();
  // The emulator runs in this process: an uncaught error in it fails the file.
  client = new ServiceBusClient(emulator.connectionString, { retryOptions: { maxRetries: 1 } });
  const sender = client.createSender('orders');
  await sender.sendMessages([{ body: 'one' }, { body: 'two' }, { body: 'three' }]);
  await sender.scheduleMessages({ body: 'later' }, new Date(Date.now() + 3_600_000));
  await sender.close();
});

afterAll(async () => {
  await client?.close();
  await emulator?.dispose();
});

describe('Service Bus emulator under fuzzing', () => {
  it('survives junk CBS tokens, management requests, link addresses and raw bytes, changing nothing', async () => {
    const before = await snapshot();
    const rssBefore = await residentBytes(process.pid);
    let rssPeak = rssBefore;
    const random = fuzzRandom(1);
    const port = emulator.port;
    const statuses: number[] = [];

    // A junk frame may end its connection (as it should); the next request takes a new one.
    const connected = async (previous: RawAmqp | undefined, granted: boolean): Promise<RawAmqp> => {
      if (previous?.isOpen()) return previous;
      const amqp = await rawAmqp(port);
      if (granted) {
        expect(
          await status(amqp, '$cbs', {
            application_properties: { operation: 'put-token', name: audienceOf(port) },
            body: validToken(audienceOf(port)),
          }),
        ).toBe(202);
      }
      return amqp;
    };

    // 1. CBS put-token without a key: junk tokens, names, operations.
    let anonymous: RawAmqp | undefined;
    for (let i = 0; i < 150; i += 1) {
      anonymous = await connected(anonymous, false);
      const body = pick(random, [
        () => junkString(random, 300),
        () => validToken(audienceOf(port, 'orders')).replace(/sig=[^&]*/, `sig=${junkString(random, 50)}`),
        () => validToken(junkString(random, 40)),
        () => junkValue(random),
      ])();
      statuses.push(
        await status(anonymous, '$cbs', {
          application_properties: {
            operation: random() < 0.8 ? 'put-token' : junkString(random, 12),
            name: random() < 0.5 ? audienceOf(port, 'orders') : junkString(random, 80),
            type: 'servicebus.windows.net:sastoken',
          },
          body: body as never,
        }),
      );
    }
    anonymous?.close();

    // 2. $management with and without a granted token: junk operations and bodies.
    const operations = [
      'com.microsoft:peek-message',
      'com.microsoft:renew-lock',
      'com.microsoft:schedule-message',
      'com.microsoft:cancel-scheduled-message',
      'com.microsoft:receive-by-sequence-number',
      'com.microsoft:update-disposition',
      'com.microsoft:update-disposition',
      junkString(random, 30),
    ];
    const fields = [
      'lock-tokens',
      'sequence-numbers',
      'message-count',
      'from-sequence-number',
      'messages',
      'disposition-status',
      'receiver-settle-mode',
      'properties-to-modify',
    ];
    for (const granted of [true, false]) {
      let amqp: RawAmqp | undefined;
      for (let i = 0; i < 150; i += 1) {
        amqp = await connected(amqp, granted);
        const entity = pick(random, [
          'orders',
          'drift-alerts',
          'drift-alerts/Subscriptions/retrain',
          junkString(random, 20),
        ]);
        const body = Object.fromEntries(
          Array.from({ length: integer(random, 4) }, () => [pick(random, fields), junkValue(random, 2)]),
        );
        const reply = await status(amqp, `${entity}/$management`, {
          application_properties: { operation: pick(random, operations) },
          body: body as never,
        });
        statuses.push(reply);
        if (statuses.length % 50 === 0) rssPeak = Math.max(rssPeak, await residentBytes(process.pid));
      }
      amqp?.close();
    }

    // 3. Links to junk addresses, then raw junk on fresh sockets (before and after the AMQP header).
    const links = await rawAmqp(port);
    for (let i = 0; i < 60; i += 1) {
      const address = junkString(random, 60);
      if (random() < 0.5) links.connection.open_sender({ target: { address } });
      else links.connection.open_receiver({ source: { address } });
    }
    links.close();
    for (let i = 0; i < 40; i += 1) {
      const prefix = pick(random, [
        Buffer.alloc(0),
        Buffer.from('AMQP\x03\x01\x00\x00', 'latin1'),
        Buffer.from('AMQP\x00\x01\x00\x00', 'latin1'),
      ]);
      const junk = Buffer.from(Array.from({ length: integer(random, 4096) }, () => integer(random, 256)));
      await new Promise<void>((resolve) => {
        const socket = connect(port, '127.0.0.1', () => socket.end(Buffer.concat([prefix, junk])));
        socket.on('error', () => resolve());
        socket.on('close', () => resolve());
        socket.resume();
        setTimeout(() => (socket.destroy(), resolve()), 2000);
      });
    }

    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.some((s) => s === 401)).toBe(true);
    expect(statuses.some((s) => s >= 400 && s < 500 && s !== 401)).toBe(true);
    expect(await snapshot()).toEqual(before);
    const receiver = client.createReceiver('orders', { receiveMode: 'receiveAndDelete' });
    const received = await receiver.receiveMessages(3, { maxWaitTimeInMs: 3000 });
    expect(received.map((m) => m.body)).toEqual(['one', 'two', 'three']);
    await receiver.close();
    rssPeak = Math.max(rssPeak, await residentBytes(process.pid));
    expect(rssPeak - rssBefore).toBeLessThan(256 * 1024 * 1024);
  });
});
