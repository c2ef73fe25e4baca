// The broker-side annotations of a message as one receiver sees it.
import type { DeliveryAnnotations } from './amqp-message.js';
import type { Broker, Received } from './broker.js';

export function deliveryAnnotations(
  { message, store }: Received,
  broker: Broker,
  now: number,
  peeked: boolean,
): DeliveryAnnotations {
  const deadLetter = message.deadLetter;
  const properties =
    deadLetter || message.properties
      ? {
          ...message.properties,
          ...(deadLetter
            ? { DeadLetterReason: deadLetter.reason, DeadLetterErrorDescription: deadLetter.description }
            : {}),
        }
      : undefined;
  return {
    sequenceNumber: message.sequenceNumber,
    enqueuedAt: message.enqueuedAt,
    // A peek reports deliveries so far; a delivery reports the attempts before this one.
    priorDeliveries: peeked ? message.deliveryCount : Math.max(0, message.deliveryCount - 1),
    lockedUntil: peeked ? undefined : message.lock?.until,
    state: message.enqueuedAt > now ? 2 : message.deferred ? 1 : peeked ? 0 : undefined,
    deadLetterSource: deadLetter ? broker.storeName(store) : undefined,
    applicationProperties: properties,
  };
}
