import rhea from 'rhea';
import { describe, expect, it } from 'vitest';
import {
  encodeForDelivery,
  lockTokenToDeliveryTag,
  parseIncoming,
  unbatch,
  uuidBytes,
  uuidString,
} from '../../../local/servicebus/amqp-message.js';

const encode = (message: Record<string, unknown>): Buffer =>
  rhea.message.encode(message as unknown as rhea.Message);
const decode = (bytes: Buffer): Record<string, unknown> & { message_annotations?: Record<string, unknown> } =>
  rhea.message.decode(bytes) as unknown as Record<string, unknown> & {
    message_annotations?: Record<string, unknown>;
  };

describe('AMQP message mapping', () => {
  it('reads what routing, expiry and scheduling need', () => {
    const at = new Date(1_700_000_000_000);
    const incoming = parseIncoming(
      encode({
        message_id: 'm-1',
        ttl: 5000,
        subject: 'churn',
        correlation_id: 'c',
        application_properties: { region: 'eu' },
        message_annotations: { 'x-opt-scheduled-enqueue-time': at },
        body: rhea.message.data_section(Buffer.from('{}')),
      }),
    );
    expect(incoming).toMatchObject({ messageId: 'm-1', ttlMs: 5000, scheduledAt: at.getTime() });
    expect(incoming.filterProperties.system).toMatchObject({
      Subject: 'churn',
      Label: 'churn',
      CorrelationId: 'c',
    });
    expect(incoming.filterProperties.application).toEqual({ region: 'eu' });
  });

  it('gives a message without an id one, as the service does', () => {
    const incoming = parseIncoming(encode({ body: 'x' }));
    expect(incoming.messageId).toMatch(/^[0-9a-f]{32}$/);
    expect(decode(incoming.payload).message_id).toBe(incoming.messageId);
  });

  it('re-annotates a message without touching its body and keeps sender annotations', () => {
    const body = Buffer.from([0, 1, 2, 255]);
    const payload = encode({
      message_id: 'm',
      ttl: 1000,
      message_annotations: { 'x-opt-partition-key': 'p' },
      body: rhea.message.data_section(body),
    });
    const delivered = decode(
      encodeForDelivery(payload, {
        sequenceNumber: 42,
        enqueuedAt: 1000,
        priorDeliveries: 2,
        lockedUntil: 5000,
        applicationProperties: { DeadLetterReason: 'why' },
      }),
    );
    expect((delivered.body as { content: Buffer }).content).toEqual(body);
    expect(delivered).toMatchObject({
      message_id: 'm',
      ttl: 1000,
      delivery_count: 2,
      application_properties: { DeadLetterReason: 'why' },
    });
    expect(delivered.message_annotations).toMatchObject({
      'x-opt-partition-key': 'p',
      'x-opt-sequence-number': 42,
    });
    expect((delivered.message_annotations?.['x-opt-locked-until'] as Date).getTime()).toBe(5000);
  });

  it('splits a batched transfer into its messages', () => {
    const parts = [encode({ message_id: 'a', body: 'x' }), encode({ message_id: 'b', body: 'y' })];
    const envelope = encode({ body: rhea.message.data_sections(parts) });
    expect(unbatch(envelope).map((part) => decode(part).message_id)).toEqual(['a', 'b']);
  });

  it('writes lock tokens as delivery tags in .NET GUID byte order', () => {
    const token = '00112233-4455-6677-8899-aabbccddeeff';
    expect(lockTokenToDeliveryTag(token).toString('hex')).toBe('33221100554477668899aabbccddeeff');
    expect(uuidString(uuidBytes(token))).toBe(token);
  });
});
