// The request/response operations a Service Bus client sends to `<entity>/$management`
// (Microsoft's "AMQP request/response operations" mapping): peek, renew-lock,
// schedule-message, cancel-scheduled-message, receive-by-sequence-number and
// update-disposition. Replies carry `statusCode` the way the service does, so the client's
// own error translation applies (410 lock lost, 404 not found, ...).
import { z } from 'zod';
import { PlatformError } from '../../shared/errors.js';
import { parseInput } from '../../shared/validate.js';
import { encodeForDelivery, parseIncoming, uuidBytes, uuidString } from './amqp-message.js';
import type { Address, Broker, Received } from './broker.js';
import { amqpErrorOf } from './amqp-errors.js';
import { checkMessageSize } from './message-size.js';
import type { Outcome } from './entity-state.js';
import { codec } from './rhea-codec.js';
import { deliveryAnnotations } from './delivery.js';

export interface ManagementReply {
  statusCode: number;
  statusDescription?: string;
  errorCondition?: string;
  body?: unknown;
}

type Body = Record<string, unknown>;

export async function handleManagement(
  broker: Broker,
  address: Address,
  operation: string,
  body: Body,
): Promise<ManagementReply> {
  try {
    return await dispatch(broker, address, operation, body);
  } catch (error) {
    return errorReply(error);
  }
}

async function dispatch(
  broker: Broker,
  address: Address,
  operation: string,
  body: Body,
): Promise<ManagementReply> {
  switch (operation) {
    case 'com.microsoft:peek-message': {
      const store = requireStore(address);
      const found = broker.peek(
        store,
        address.subQueue,
        field(body, 'from-sequence-number', long.default(0)),
        field(body, 'message-count', z.number().int().positive().default(1)),
      );
      if (found.length === 0) return { statusCode: 204, statusDescription: 'No messages to peek.' };
      const now = broker.clock.now();
      const messages = found.map((message) =>
        codec.wrap_map({
          message: encodeForDelivery(
            message.payload,
            deliveryAnnotations({ message, store }, broker, now, true),
          ),
        }),
      );
      return { statusCode: 200, body: { messages: codec.wrap_list(messages) } };
    }
    case 'com.microsoft:renew-lock': {
      const store = requireStore(address);
      const expirations = tokens(body).map((token) => new Date(broker.renewLock(store, token)));
      return { statusCode: 200, body: { expirations } };
    }
    case 'com.microsoft:schedule-message': {
      const domain = address.domain;
      if (domain === undefined)
        throw new PlatformError('INVALID_INPUT', 'Messages can only be scheduled on a queue or a topic.');
      const entries = field(body, 'messages', z.array(z.object({ message: z.instanceof(Buffer) }).loose()));
      for (const entry of entries) checkMessageSize(entry.message.length, 'scheduled');
      const sequenceNumbers = await broker.send(
        domain,
        entries.map((entry) => decodeMessage(entry.message)),
      );
      return {
        statusCode: 200,
        body: { 'sequence-numbers': codec.wrap_array(sequenceNumbers.map(longBytes), 0x81, undefined) },
      };
    }
    case 'com.microsoft:cancel-scheduled-message': {
      const domain = address.domain;
      if (domain === undefined)
        throw new PlatformError(
          'INVALID_INPUT',
          'Scheduled messages can only be cancelled on a queue or a topic.',
        );
      await broker.cancelScheduled(domain, sequenceNumbers(body));
      return { statusCode: 200 };
    }
    case 'com.microsoft:receive-by-sequence-number': {
      const store = requireStore(address);
      const mode = Number(body['receiver-settle-mode'] ?? 1) === 0 ? 'receiveAndDelete' : 'peekLock';
      const received = broker.receiveDeferred(store, sequenceNumbers(body), mode);
      const now = broker.clock.now();
      const messages = received.map((r: Received) =>
        codec.wrap_map({
          message: encodeForDelivery(r.message.payload, deliveryAnnotations(r, broker, now, false)),
          ...(r.message.lock ? { 'lock-token': codec.wrap_uuid(uuidBytes(r.message.lock.token)) } : {}),
        }),
      );
      return { statusCode: 200, body: { messages: codec.wrap_list(messages) } };
    }
    case 'com.microsoft:update-disposition': {
      const store = requireStore(address);
      const outcome = dispositionOutcome(body);
      for (const token of tokens(body)) await broker.settle(store, token, outcome);
      return { statusCode: 200 };
    }
    default:
      if (!operation.startsWith('com.microsoft:'))
        throw new PlatformError(
          'INVALID_INPUT',
          `'${operation.slice(0, 100)}' is not a management operation.`,
          {
            operation: operation.slice(0, 100),
          },
        );
      throw new PlatformError(
        'NOT_IMPLEMENTED',
        `The operation '${operation}' is not supported by the local Service Bus emulator (sessions and rule management are not).`,
        { operation },
      );
  }
}

function dispositionOutcome(body: Body): Outcome {
  const properties = field(body, 'properties-to-modify', z.record(z.string(), z.unknown()).optional());
  switch (body['disposition-status']) {
    case 'completed':
      return { kind: 'complete' };
    case 'abandoned':
      return { kind: 'abandon', properties };
    case 'defered':
      return { kind: 'defer', properties };
    case 'suspended':
      return {
        kind: 'deadLetter',
        reason: String(body['deadletter-reason'] ?? ''),
        description: String(body['deadletter-description'] ?? ''),
        properties,
      };
    default:
      throw new PlatformError(
        'INVALID_INPUT',
        `Unknown disposition-status '${String(body['disposition-status'])}'.`,
      );
  }
}

function requireStore(address: Address): string {
  if (address.store === undefined)
    throw new PlatformError('INVALID_INPUT', 'This operation needs a queue or a subscription, not a topic.');
  return address.store;
}

// Request fields are checked before use, so a malformed request is a 400 reply, not a 500.
// The client encodes longs as 8-byte big-endian buffers; rhea hands small ones back as numbers.
const long = z.union([
  z
    .instanceof(Buffer)
    .refine((bytes) => bytes.length === 8, 'a long must be 8 bytes')
    .transform((bytes) => Number(bytes.readBigInt64BE())),
  z.number().int(),
]);
const lockToken = z.union([
  z
    .instanceof(Buffer)
    .refine((bytes) => bytes.length === 16, 'a lock token must be a 16-byte uuid')
    .transform(uuidString),
  z.string().max(64),
]);

function field<S extends z.ZodType>(body: Body, name: string, schema: S): z.output<S> {
  return parseInput(schema, body[name], `field ${name}`);
}

function tokens(body: Body): string[] {
  return field(body, 'lock-tokens', z.array(lockToken).default([]));
}

function sequenceNumbers(body: Body): number[] {
  return field(body, 'sequence-numbers', z.array(long).default([]));
}

function decodeMessage(bytes: Buffer): ReturnType<typeof parseIncoming> {
  try {
    return parseIncoming(bytes);
  } catch (error) {
    throw new PlatformError(
      'INVALID_INPUT',
      `A message to schedule is not a valid AMQP message: ${(error as Error).message}`,
    );
  }
}

function longBytes(n: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigInt64BE(BigInt(n));
  return bytes;
}

export function errorReply(error: unknown): ManagementReply {
  const { status, condition, description } = amqpErrorOf(error);
  return { statusCode: status, errorCondition: condition, statusDescription: description };
}

export const managementMessage = (
  reply: ManagementReply,
  correlationId: unknown,
): Record<string, unknown> => ({
  correlation_id: correlationId,
  application_properties: {
    statusCode: reply.statusCode,
    ...(reply.statusDescription === undefined ? {} : { statusDescription: reply.statusDescription }),
    ...(reply.errorCondition === undefined ? {} : { errorCondition: reply.errorCondition }),
  },
  body: reply.body ?? null,
});
