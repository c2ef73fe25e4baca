import type { ServiceBusReceivedMessage } from '@azure/service-bus';
import { describe, expect, it } from 'vitest';
import { batchTriggerInput, batchTriggerMetadata } from '../../../local/servicebus/trigger-message.js';

const received = (fields: Partial<ServiceBusReceivedMessage>) => fields as ServiceBusReceivedMessage;

describe('Service Bus batch trigger data', () => {
  // A body the client decoded (an AMQP value) goes as its JSON, which the library parses back.
  it('passes bodies as texts, or as bytes for dataType binary', () => {
    const bodies = [Buffer.from('{"id":1}'), 'plain', { id: 2 }];
    expect(batchTriggerInput(bodies)).toEqual({
      collectionString: { string: ['{"id":1}', '"plain"', '{"id":2}'] },
    });
    expect(batchTriggerInput(bodies, 'binary').collectionBytes?.bytes?.map((b) => b.toString())).toEqual([
      '{"id":1}',
      '"plain"',
      '{"id":2}',
    ]);
  });

  it('sends each field as an array in message order, with the types the host uses', () => {
    const enqueued = new Date('2026-01-02T03:04:05.000Z');
    const metadata = batchTriggerMetadata([
      received({
        messageId: 'a',
        deliveryCount: 0,
        applicationProperties: { region: 'eu' },
        enqueuedTimeUtc: enqueued,
      }),
      received({ messageId: 'b', deliveryCount: 2, correlationId: 'run-1' }),
    ]);
    expect(metadata.MessageIdArray).toEqual({ collectionString: { string: ['a', 'b'] } });
    expect(metadata.CorrelationIdArray).toEqual({ collectionString: { string: ['', 'run-1'] } });
    expect(metadata.DeliveryCountArray).toEqual({ collectionSint64: { sint64: [1, 3] } });
    expect(JSON.parse(metadata.UserPropertiesArray!.json!)).toEqual([{ region: 'eu' }, {}]);
    expect(JSON.parse(metadata.EnqueuedTimeUtcArray!.json!)).toEqual([enqueued.toISOString(), null]);
  });
});
