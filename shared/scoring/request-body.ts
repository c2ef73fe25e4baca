// The pieces of a scoring request both front ends read the same way: the JSON body, the
// version pin, the request id, and the error answer.
import { z } from 'zod';
import { PlatformError, toPlatformError } from '../errors.js';
import { aliasNameSchema, modelNameSchema } from '../registry/names.js';
import type { VersionPin } from '../registry/servable-model.js';
import { parseInput } from '../validate.js';

export interface HttpAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
}

export function jsonOf(text: string): unknown {
  if (text.trim() === '') {
    throw new PlatformError('INVALID_INPUT', 'Request body is empty; send a JSON object.', {
      field: '(body)',
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new PlatformError('INVALID_INPUT', 'Request body is not valid JSON.', { field: '(body)' });
  }
}

const versionText = z
  .string()
  .regex(/^[1-9][0-9]{0,15}$/, 'must be a positive whole number')
  .transform(Number)
  .pipe(z.number().int().positive().max(Number.MAX_SAFE_INTEGER));

// Built once: a zod schema compiles itself on first use, which costs far more than a parse.
const modelPath = z.object({ model: modelNameSchema });
const versionPath = z.object({ version: versionText });
const pinQuery = z
  .object({ version: versionText.optional(), alias: aliasNameSchema.optional() })
  .refine((q) => q.version === undefined || q.alias === undefined, {
    message: 'pin a version or an alias, not both',
    path: ['version'],
  });

export function modelOf(value: string | undefined): string {
  return parseInput(modelPath, { model: value }, 'path').model;
}

export function versionOf(value: string): number {
  return parseInput(versionPath, { version: value }, 'path').version;
}

/** `?version=N` or `?alias=NAME`; neither lets the serving policy choose. */
export function pinOf(query: URLSearchParams): VersionPin {
  const { version, alias } = parseInput(
    pinQuery,
    { version: query.get('version') ?? undefined, alias: query.get('alias') ?? undefined },
    'query',
  );
  if (version !== undefined) return { version };
  return alias === undefined ? undefined : { alias };
}

const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's `x-request-id` when it is a plain token, else the invocation id. */
export function requestIdOf(header: string | null, fallback: string): string {
  return header && requestIdPattern.test(header) ? header : fallback;
}

/** A failure as an answer: the code's status and `{error, code, ...details}`, never a stack. */
export function failureAnswer(error: unknown, log: (error: unknown) => void): HttpAnswer {
  const failure = toPlatformError(error);
  if (failure.status >= 500) log(error);
  return { status: failure.status, body: failure.toBody(), headers: {} };
}

export function tooManyRows(rows: number, maxRows: number, field: string): PlatformError {
  return new PlatformError('INVALID_INPUT', `The request has ${rows} rows; the limit is ${maxRows}.`, {
    field,
    rows,
    limit: maxRows,
  });
}
