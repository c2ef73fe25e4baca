// A received Service Bus message as the Azure host hands it to a Node.js function: the body
// as JSON when it parses as JSON, else as text, else as bytes (or as the binding's
// `dataType` asks), and the Service Bus extension's binding data as trigger metadata.
import type { ServiceBusReceivedMessage } from '@azure/service-bus';
import type { RpcTypedData } from '../host/core-types.js';

export function triggerInput(body: unknown, dataType?: string | null): RpcTypedData {
  const bytes =
    Buffer.isBuffer(body) || body instanceof Uint8Array
      ? Buffer.from(body)
      : Buffer.from(JSON.stringify(body ?? null), 'utf8');
  if (dataType === 'binary') return { bytes };
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (dataType === 'string') return { string: text };
  try {
    JSON.parse(text);
    return { json: text };
  } catch {
    return Buffer.from(text, 'utf8').equals(bytes) ? { string: text } : { bytes };
  }
}

/** The binding data contract of the Service Bus extension (names as the host sends them). */
export function triggerMetadata(message: ServiceBusReceivedMessage): Record<string, RpcTypedData> {
  const metadata: Record<string, RpcTypedData> = {};
  const text = (name: string, value: unknown): void => {
    if (value !== undefined && value !== null)
      metadata[name] = { string: Buffer.isBuffer(value) ? value.toString('hex') : String(value) };
  };
  const time = (name: string, value: Date | undefined): void => {
    if (value) metadata[name] = { string: value.toISOString() };
  };
  const properties = JSON.stringify(message.applicationProperties ?? {});
  metadata.DeliveryCount = { int: (message.deliveryCount ?? 0) + 1 };
  text('MessageId', message.messageId);
  text('CorrelationId', message.correlationId);
  text('ContentType', message.contentType);
  text('Subject', message.subject);
  text('Label', message.subject);
  text('To', message.to);
  text('ReplyTo', message.replyTo);
  text('SessionId', message.sessionId);
  text('LockToken', message.lockToken);
  text('DeadLetterSource', message.deadLetterSource);
  time('EnqueuedTimeUtc', message.enqueuedTimeUtc);
  time('ExpiresAtUtc', message.expiresAtUtc);
  time('LockedUntilUtc', message.lockedUntilUtc);
  if (message.sequenceNumber) metadata.SequenceNumber = { int: message.sequenceNumber.toNumber() };
  metadata.ApplicationProperties = { json: properties };
  metadata.UserProperties = { json: properties };
  return metadata;
}
