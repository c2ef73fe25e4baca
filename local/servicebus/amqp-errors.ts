// The one mapping from the error family to what an AMQP peer sees: the error condition (on a
// link, a rejected delivery or a management reply) and the management status code. The
// official client translates these into its own error codes (MessageLockLost,
// MessagingEntityNotFound, ...), so the conditions are the ones the service sends.
import { isPlatformError, toPlatformError, type ErrorCode } from '../../shared/errors.js';

const conditionByCode: Partial<Record<ErrorCode, string>> = {
  INVALID_INPUT: 'amqp:invalid-field',
  UNAUTHORIZED: 'amqp:unauthorized-access',
  FORBIDDEN: 'amqp:unauthorized-access',
  NOT_FOUND: 'amqp:not-found',
  MESSAGE_NOT_FOUND: 'com.microsoft:message-not-found',
  METHOD_NOT_ALLOWED: 'amqp:not-allowed',
  LOCK_LOST: 'com.microsoft:message-lock-lost',
  PAYLOAD_TOO_LARGE: 'amqp:link:message-size-exceeded',
  NOT_IMPLEMENTED: 'amqp:not-implemented',
  TIMEOUT: 'com.microsoft:timeout',
};

export interface AmqpError {
  condition: string;
  description: string;
  /** The status a `$management` reply carries. */
  status: number;
}

export function amqpErrorOf(error: unknown): AmqpError {
  const failure = toPlatformError(error);
  return {
    condition: conditionByCode[failure.code] ?? 'amqp:internal-error',
    // The emulator runs on the developer's own loopback: an unexpected failure's message helps more than it leaks.
    description: isPlatformError(error) ? failure.message : String((error as Error)?.message ?? error),
    status: failure.status,
  };
}
