// The one error family of the project. Every failure a user can see carries a stable code;
// the HTTP status follows from the code, so adapters never pick statuses ad hoc.

const statusByCode = {
  INVALID_INPUT: 400,
  INVALID_DATASET: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  /** A message (by sequence number) absent or not deferred; entities missing are NOT_FOUND. */
  MESSAGE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  /** The target existed but has ended (a Durable instance that can no longer take events). */
  GONE: 410,
  /** A message lock expired or was already settled. */
  LOCK_LOST: 410,
  PRECONDITION_FAILED: 412,
  REQUEST_TIMEOUT: 408,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PRECONDITION_REQUIRED: 428,
  INVALID_CONFIG: 500,
  INTEGRITY_ERROR: 500,
  TASK_FAILED: 500,
  INTERNAL: 500,
  NOT_IMPLEMENTED: 501,
  DEPENDENCY_UNAVAILABLE: 503,
  TIMEOUT: 504,
} as const;

export type ErrorCode = keyof typeof statusByCode;

/** Structured facts about the failure (field, row, column, version, ...), sent to clients as-is. */
export type ErrorDetails = Record<string, unknown>;

export type ErrorBody = { error: string; code: ErrorCode } & ErrorDetails;

export class PlatformError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PlatformError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return statusByCode[this.code];
  }

  /** The body of an HTTP error response: what was wrong and where, never a stack. */
  toBody(): ErrorBody {
    return { ...this.details, error: this.message, code: this.code };
  }
}

export function isPlatformError(value: unknown): value is PlatformError {
  return value instanceof PlatformError;
}

/** Turns anything thrown into a PlatformError; unknown failures become INTERNAL with a generic message. */
export function toPlatformError(value: unknown): PlatformError {
  if (value instanceof PlatformError) return value;
  return new PlatformError('INTERNAL', 'Internal error; see the host log for details.', {}, { cause: value });
}

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(statusByCode, value);
}

export function statusOf(code: ErrorCode): number {
  return statusByCode[code];
}

/**
 * The one HTTP rendering of a failure, used by every HTTP edge (the host's front door, the
 * Durable HTTP API and its RPC server, the app's own APIs): the status follows from the code
 * and the body is toBody(). Server-side failures (5xx) go to `report` with their original
 * error, so the log has the stack and the client never does.
 */
export function errorResponse(
  error: unknown,
  report?: (error: unknown) => void,
): { status: number; body: ErrorBody } {
  const failure = toPlatformError(error);
  if (failure.status >= 500) report?.(error);
  return { status: failure.status, body: failure.toBody() };
}
