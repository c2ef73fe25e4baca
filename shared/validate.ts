import type { z } from 'zod';
import { PlatformError, type ErrorCode } from './errors.js';

/**
 * Parses an outside value with a zod schema at the edge. A failure becomes an INVALID_INPUT
 * error naming the first offending field, with every issue listed in `issues`.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
  code: ErrorCode = 'INVALID_INPUT',
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    field: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
  const first = issues[0] ?? { field: '(root)', message: 'invalid' };
  return fail(code, `Invalid ${what}: ${first.field}: ${first.message}`, { field: first.field, issues });
}

function fail(code: ErrorCode, message: string, details: Record<string, unknown>): never {
  throw new PlatformError(code, message, details);
}
