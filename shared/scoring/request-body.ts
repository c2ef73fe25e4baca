// The pieces of a scoring request both front ends read the same way: the JSON body, the
// version pin, the request id, and the error answer.
import { z } from 'zod';
import { PlatformError, toPlatformError } from '../errors.js';
import { parseJsonBody } from '../json-body.js';
import { aliasNameSchema, modelNameSchema } from '../registry/names.js';
import type { VersionPin } from '../registry/servable-model.js';
import { parseInput } from '../validate.js';

export interface HttpAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
}

/**
 * The largest scoring body: 10,000 rows (SCORING_MAX_ROWS' default) of a hundred features fit.
 * The local host refuses a larger one while it streams in; in Azure the parse below refuses it.
 */
export const scoringBodyLimit = 32 * 1024 * 1024;

/** Nesting a V2 tensor's `data` may need: a dozen dimensions inside `{"inputs": [{...}]}`. */
const scoringJsonLimits = { maxBytes: scoringBodyLimit, maxDepth: 16 };

export function jsonOf(text: string): unknown {
  return parseJsonBody(text, scoringJsonLimits);
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

// Names already checked: a zod parse per request costs more than the rest of the request's checks.
const checkedModels = new Set<string>();

export function modelOf(value: string | undefined): string {
  if (value !== undefined && checkedModels.has(value)) return value;
  const model = parseInput(modelPath, { model: value }, 'path').model;
  if (checkedModels.size < 10_000) checkedModels.add(model);
  return model;
}

export function versionOf(value: string): number {
  return parseInput(versionPath, { version: value }, 'path').version;
}

/** `?version=N` or `?alias=NAME`; neither lets the serving policy choose. */
export function pinOf(query: URLSearchParams): VersionPin {
  const given = { version: query.get('version') ?? undefined, alias: query.get('alias') ?? undefined };
  if (given.version === undefined && given.alias === undefined) return undefined;
  const { version, alias } = parseInput(pinQuery, given, 'query');
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
