// Received Service Bus messages as the Azure host hands them to a Node.js function: a body as
// JSON when it parses as JSON, else as text, else as bytes (or as the binding's `dataType`
// asks); a batch (cardinality 'many') as a collection of them; and the Service Bus extension's
// binding data as trigger metadata, one value per field for a message and `<Field>Array` for a
// batch, spelt as the host sends them (the library camel-cases them: messageIdArray, ...).
import type { ServiceBusReceivedMessage } from '@azure/service-bus';
import type { RpcTypedData } from '../host/core-types.js';

const bodyBytes = (body: unknown): Buffer =>
  Buffer.isBuffer(body) || body instanceof Uint8Array
    ? Buffer.from(body)
    : Buffer.from(JSON.stringify(body ?? null), 'utf8');

const utf8 = (bytes: Buffer): string => new TextDecoder('utf-8', { fatal: false }).decode(bytes);

export function triggerInput(body: unknown, dataType?: string | null): RpcTypedData {
  const bytes = bodyBytes(body);
  if (dataType === 'binary') return { bytes };
  const text = utf8(bytes);
  if (dataType === 'string') return { string: text };
  try {
    JSON.parse(text);
    return { json: text };
  } catch {
    return Buffer.from(text, 'utf8').equals(bytes) ? { string: text } : { bytes };
  }
}

/** A batch's bodies: texts (which the library parses where they are JSON), or bytes for dataType 'binary'. */
export function batchTriggerInput(bodies: readonly unknown[], dataType?: string | null): RpcTypedData {
  const bytes = bodies.map(bodyBytes);
  return dataType === 'binary'
    ? { collectionBytes: { bytes } }
    : { collectionString: { string: bytes.map(utf8) } };
}

type Kind = 'text' | 'time' | 'int' | 'properties';

/** The extension's binding data contract: name, how it is sent, where it comes from. */
const fields: readonly [string, Kind, (m: ServiceBusReceivedMessage) => unknown][] = [
  ['DeliveryCount', 'int', (m) => (m.deliveryCount ?? 0) + 1],
  ['MessageId', 'text', (m) => m.messageId],
  ['CorrelationId', 'text', (m) => m.correlationId],
  ['ContentType', 'text', (m) => m.contentType],
  ['Subject', 'text', (m) => m.subject],
  ['Label', 'text', (m) => m.subject],
  ['To', 'text', (m) => m.to],
  ['ReplyTo', 'text', (m) => m.replyTo],
  ['SessionId', 'text', (m) => m.sessionId],
  ['LockToken', 'text', (m) => m.lockToken],
  ['DeadLetterSource', 'text', (m) => m.deadLetterSource],
  ['EnqueuedTimeUtc', 'time', (m) => m.enqueuedTimeUtc],
  ['ExpiresAtUtc', 'time', (m) => m.expiresAtUtc],
  ['LockedUntilUtc', 'time', (m) => m.lockedUntilUtc],
  ['SequenceNumber', 'int', (m) => m.sequenceNumber?.toNumber()],
  ['ApplicationProperties', 'properties', (m) => m.applicationProperties ?? {}],
  ['UserProperties', 'properties', (m) => m.applicationProperties ?? {}],
];

const isSet = (value: unknown) => value !== undefined && value !== null;

function text(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return Buffer.isBuffer(value) ? value.toString('hex') : String(value);
}

export function triggerMetadata(message: ServiceBusReceivedMessage): Record<string, RpcTypedData> {
  const metadata: Record<string, RpcTypedData> = {};
  for (const [name, kind, read] of fields) {
    const value = read(message);
    if (!isSet(value)) continue;
    metadata[name] =
      kind === 'int'
        ? { int: value as number }
        : kind === 'properties'
          ? { json: JSON.stringify(value) }
          : { string: text(value) };
  }
  return metadata;
}

/** Every field as an array over the batch, in message order (empty text where a message has none). */
export function batchTriggerMetadata(
  messages: readonly ServiceBusReceivedMessage[],
): Record<string, RpcTypedData> {
  const metadata: Record<string, RpcTypedData> = {};
  for (const [name, kind, read] of fields) {
    const values = messages.map(read);
    metadata[`${name}Array`] =
      kind === 'int'
        ? { collectionSint64: { sint64: values.map((v) => (v as number | undefined) ?? 0) } }
        : kind === 'text'
          ? { collectionString: { string: values.map((v) => (isSet(v) ? text(v) : '')) } }
          : // The host sends arrays of dates and of dictionaries as JSON.
            {
              json: JSON.stringify(values.map((v) => (kind === 'time' && isSet(v) ? text(v) : (v ?? null)))),
            };
  }
  return metadata;
}
