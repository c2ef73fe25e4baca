// The AMQP side of a brokered message. A message is stored exactly as the sender encoded it;
// on delivery the broker writes a fresh header and message annotations (sequence number,
// enqueued time, lock, state) in front of the sender's untouched properties and body, the
// way Service Bus treats the bare message as immutable. Application properties are only
// re-encoded when the broker must add to them (dead-letter reason, properties to modify).
import { randomUUID } from 'node:crypto';
import rhea from 'rhea';
import { codec, type Typed } from './rhea-codec.js';

const section = {
  header: 0x70,
  deliveryAnnotations: 0x71,
  messageAnnotations: 0x72,
  applicationProperties: 0x74,
} as const;

/** What the broker reads from a message it accepts: routing, dedup, expiry and scheduling inputs. */
export interface IncomingMessage {
  payload: Buffer;
  messageId?: string;
  ttlMs?: number;
  scheduledAt?: number;
  /** System and application properties, for subscription filters. */
  filterProperties: FilterProperties;
}

export interface FilterProperties {
  system: Record<string, unknown>;
  application: Record<string, unknown>;
}

export type DecodedMessage = Record<string, unknown> & {
  message_annotations?: Record<string, unknown>;
  application_properties?: Record<string, unknown>;
};

/** Parses a message as its sender encoded it. */
export function parseIncoming(payload: Buffer): IncomingMessage {
  return parseDecoded(rhea.message.decode(payload) as DecodedMessage, payload);
}

/**
 * Parses a message rhea has already decoded. Like the service, the broker gives a message
 * without a message-id one (clients rely on it, e.g. for lock renewal bookkeeping).
 */
export function parseDecoded(decoded: DecodedMessage, payload?: Buffer): IncomingMessage {
  if (decoded.message_id === undefined || decoded.message_id === null) {
    decoded.message_id = randomUUID().replace(/-/g, '');
    payload = undefined;
  }
  payload ??= rhea.message.encode(decoded as unknown as rhea.Message);
  const scheduled = decoded.message_annotations?.['x-opt-scheduled-enqueue-time'];
  const messageId = decoded.message_id;
  return {
    payload,
    messageId: messageId === undefined || messageId === null ? undefined : idToString(messageId),
    ttlMs: typeof decoded.ttl === 'number' && decoded.ttl > 0 ? decoded.ttl : undefined,
    scheduledAt:
      scheduled instanceof Date ? scheduled.getTime() : typeof scheduled === 'number' ? scheduled : undefined,
    filterProperties: {
      system: {
        MessageId: messageId === undefined ? undefined : idToString(messageId),
        CorrelationId: decoded.correlation_id === undefined ? undefined : idToString(decoded.correlation_id),
        Label: decoded.subject,
        Subject: decoded.subject,
        To: decoded.to,
        ReplyTo: decoded.reply_to,
        ContentType: decoded.content_type,
        SessionId: decoded.group_id,
        ReplyToSessionId: decoded.reply_to_group_id,
      },
      application: decoded.application_properties ?? {},
    },
  };
}

function idToString(id: unknown): string {
  return Buffer.isBuffer(id) ? id.toString('hex') : String(id);
}

/** Splits a batched transfer (message format 0x80013700): each data section holds one message. */
export function unbatch(envelope: Buffer): Buffer[] {
  const body = (rhea.message.decode(envelope) as { body?: { content?: unknown; multiple?: boolean } }).body;
  if (!body || body.content === undefined) return [];
  const content = body.multiple ? (body.content as Buffer[]) : [body.content as Buffer];
  return content.map((part) => Buffer.from(part));
}

export interface DeliveryAnnotations {
  sequenceNumber: number;
  enqueuedAt: number;
  /** AMQP header delivery-count: prior delivery attempts, so 0 on a first delivery. */
  priorDeliveries: number;
  lockedUntil?: number;
  /** x-opt-message-state: 0 active, 1 deferred, 2 scheduled. */
  state?: 0 | 1 | 2;
  deadLetterSource?: string;
  /** Added to (or replacing) the message's application properties. */
  applicationProperties?: Record<string, unknown>;
}

const brokerAnnotations = new Set([
  'x-opt-sequence-number',
  'x-opt-enqueued-time',
  'x-opt-locked-until',
  'x-opt-message-state',
  'x-opt-deadletter-source',
  'x-opt-enqueue-sequence-number',
]);

/** The message as a receiver gets it: broker header and annotations, then the sender's sections. */
export function encodeForDelivery(payload: Buffer, annotations: DeliveryAnnotations): Buffer {
  const sections = readSections(payload);
  const header = sections.find((s) => s.code === section.header)?.value;
  const ttl = header ? ttlOf(header) : undefined;
  const writer = new codec.Writer();
  writer.write(
    codec.described(
      codec.wrap_ulong(section.header),
      codec.List32([
        codec.wrap_boolean(true),
        codec.wrap_ubyte(4),
        ttl === undefined ? codec.Null() : codec.wrap_uint(ttl),
        codec.wrap_boolean(false),
        codec.wrap_uint(annotations.priorDeliveries),
      ]),
    ),
  );
  const senderAnnotations = sections.find((s) => s.code === section.messageAnnotations)?.value;
  writer.write(
    codec.described(
      codec.wrap_ulong(section.messageAnnotations),
      codec.Map32(annotationItems(senderAnnotations, annotations)),
    ),
  );
  const parts = [writer.toBuffer()];
  let wroteProperties = false;
  for (const s of sections) {
    if (
      s.code === section.header ||
      s.code === section.deliveryAnnotations ||
      s.code === section.messageAnnotations
    )
      continue;
    if (s.code === section.applicationProperties && annotations.applicationProperties) {
      parts.push(applicationPropertiesSection({ ...mapOf(s.value), ...annotations.applicationProperties }));
      wroteProperties = true;
      continue;
    }
    if (!wroteProperties && annotations.applicationProperties && s.code > section.applicationProperties) {
      parts.push(applicationPropertiesSection(annotations.applicationProperties));
      wroteProperties = true;
    }
    parts.push(payload.subarray(s.start, s.end));
  }
  if (!wroteProperties && annotations.applicationProperties)
    parts.push(applicationPropertiesSection(annotations.applicationProperties));
  return Buffer.concat(parts);
}

interface Section {
  code: number;
  start: number;
  end: number;
  value: Typed;
}

function readSections(payload: Buffer): Section[] {
  const reader = new codec.Reader(payload);
  const sections: Section[] = [];
  while (reader.remaining() > 0) {
    const start = reader.position;
    const described = reader.read();
    sections.push({
      code: Number(described.descriptor?.value),
      start,
      end: reader.position,
      value: described,
    });
  }
  return sections;
}

function ttlOf(header: Typed): number | undefined {
  const fields = header.value as Typed[] | undefined;
  const ttl = fields?.[2]?.value;
  return typeof ttl === 'number' ? ttl : undefined;
}

function annotationItems(sender: Typed | undefined, annotations: DeliveryAnnotations): Typed[] {
  const items: Typed[] = [];
  const kept = (sender?.value ?? []) as Typed[];
  for (let i = 0; i + 1 < kept.length; i += 2) {
    const key = kept[i] as Typed;
    if (!brokerAnnotations.has(String(key.value))) items.push(key, kept[i + 1] as Typed);
  }
  const add = (key: string, value: Typed): void => {
    items.push(codec.wrap_symbol(key), value);
  };
  add('x-opt-sequence-number', codec.wrap_long(annotations.sequenceNumber));
  add('x-opt-enqueue-sequence-number', codec.wrap_long(annotations.sequenceNumber));
  add('x-opt-enqueued-time', codec.wrap_timestamp(annotations.enqueuedAt));
  if (annotations.lockedUntil !== undefined)
    add('x-opt-locked-until', codec.wrap_timestamp(annotations.lockedUntil));
  if (annotations.state !== undefined) add('x-opt-message-state', codec.wrap_int(annotations.state));
  if (annotations.deadLetterSource !== undefined)
    add('x-opt-deadletter-source', codec.wrap_string(annotations.deadLetterSource));
  return items;
}

function mapOf(described: Typed): Record<string, unknown> {
  return (codec.unwrap(described) ?? {}) as Record<string, unknown>;
}

function applicationPropertiesSection(properties: Record<string, unknown>): Buffer {
  const writer = new codec.Writer();
  writer.write(codec.described(codec.wrap_ulong(section.applicationProperties), codec.wrap_map(properties)));
  return writer.toBuffer();
}

/** Service Bus sends lock tokens as delivery tags in .NET GUID byte order (first three groups little-endian). */
export function lockTokenToDeliveryTag(token: string): Buffer {
  const b = uuidBytes(token);
  return Buffer.from([b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6], ...b.subarray(8)] as number[]);
}

/** A lock token as the management link carries it: an AMQP uuid in RFC 4122 byte order. */
export function uuidBytes(token: string): Buffer {
  return Buffer.from(token.replace(/-/g, ''), 'hex');
}

export function uuidString(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
