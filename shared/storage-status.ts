// Failed Azure Storage and Cosmos DB calls, mapped to the error family once. The statuses
// that are outcomes rather than failures keep their meaning: 404 absent, 409 already there,
// 412 changed meanwhile; anything else means the store is unavailable.
import { PlatformError, type ErrorCode } from './errors.js';

/** The HTTP status of a failed call: the storage SDKs' RestError `statusCode`, or Cosmos DB's numeric `code`. */
export function storageStatus(error: unknown): number | undefined {
  const { statusCode, code } = (error ?? {}) as { statusCode?: unknown; code?: unknown };
  if (typeof statusCode === 'number') return statusCode;
  return typeof code === 'number' ? code : undefined;
}

/** For `.catch`: swallows the listed statuses and rethrows anything else. */
export function ignoreStatus(...statuses: number[]): (error: unknown) => void {
  return (error) => {
    if (!statuses.includes(storageStatus(error) ?? 0)) throw error;
  };
}

const codeByStatus: Partial<Record<number, ErrorCode>> = {
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  412: 'PRECONDITION_FAILED',
};

/**
 * A failed call to `store` (e.g. "Task hub storage") as a PlatformError: NOT_FOUND, CONFLICT or
 * PRECONDITION_FAILED for the outcome statuses, DEPENDENCY_UNAVAILABLE otherwise. A
 * PlatformError passes through unchanged, so adapters can wrap whole blocks.
 */
export function storageError(error: unknown, store: string): PlatformError {
  if (error instanceof PlatformError) return error;
  const status = storageStatus(error);
  const reason = String((error as Error)?.message ?? error).split('\n')[0];
  return new PlatformError(
    (status !== undefined && codeByStatus[status]) || 'DEPENDENCY_UNAVAILABLE',
    `${store} failed${status ? ` with status ${status}` : ''}: ${reason}`,
    status ? { status } : {},
    { cause: error },
  );
}
