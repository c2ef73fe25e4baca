// The Standard tier's message size limit. Sending links advertise it on attach, so the official
// client's `createMessageBatch()` knows how much fits; a larger message (or batch transfer) is
// refused with the condition the service sends, which the client reports as MessageSizeExceeded.
import { PlatformError } from '../../shared/errors.js';

export const maxMessageSizeBytes = 256 * 1024;

export function checkMessageSize(size: number, what: string): void {
  if (size > maxMessageSizeBytes)
    throw new PlatformError(
      'PAYLOAD_TOO_LARGE',
      `The received message (${what}, size:${size} bytes) exceeds the limit (${maxMessageSizeBytes} bytes) currently allowed on the link.`,
      { size, limit: maxMessageSizeBytes },
    );
}
