// The registry's HTTP API (DESIGN.md section 4) as plain functions: a parsed request and a
// store in, status, body and headers out. `functions/registry.ts` only adapts the Functions
// request to this shape. Bad input is always a 4xx naming the field at fault.
import { z } from 'zod';
import { errorResponse, PlatformError } from '../errors.js';
import { parseJsonBody } from '../json-body.js';
import { parseInput } from '../validate.js';
import { modelLineage, type LineageRoot } from './lineage-query.js';
import { modelSpecSchema } from './model-spec.js';
import { actorSchema, aliasNameSchema, modelNameSchema, sha256Schema, versionNumberSchema } from './names.js';
import type { RegistryStore } from './registry-store.js';
import { filterVersions, versionFilterSchema } from './version-filter.js';

export interface ApiRequest {
  readonly params: Readonly<Record<string, string | undefined>>;
  readonly query: URLSearchParams;
  readonly headers: { get(name: string): string | null };
  /** The raw body text; empty when there is none. */
  readonly body: string;
}

export interface ApiResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
}

export type ApiHandler = (store: RegistryStore, request: ApiRequest) => Promise<ApiResponse>;

/** The largest body a registry route takes; the host refuses larger ones while they stream in. */
export const registryBodyLimit = 1024 * 1024;

export const ok = (body: unknown, status = 200, headers: Record<string, string> = {}): ApiResponse => ({
  status,
  body,
  headers,
});

const positiveInteger = z
  .string()
  .regex(/^[1-9][0-9]{0,15}$/, 'must be a positive whole number')
  .transform(Number)
  .pipe(versionNumberSchema);

const pathSchemas = { model: modelNameSchema, alias: aliasNameSchema, version: positiveInteger };

function pathParams<K extends keyof typeof pathSchemas>(
  request: ApiRequest,
  ...names: K[]
): { [P in K]: z.output<(typeof pathSchemas)[P]> } {
  const shape = Object.fromEntries(names.map((name) => [name, pathSchemas[name]]));
  const values = Object.fromEntries(names.map((name) => [name, request.params[name]]));
  return parseInput(z.object(shape), values, 'path') as { [P in K]: z.output<(typeof pathSchemas)[P]> };
}

export function jsonBody(request: ApiRequest): unknown {
  return parseJsonBody(request.body, { maxBytes: registryBodyLimit, maxDepth: 32 });
}

function ifMatch(request: ApiRequest): string | undefined {
  return request.headers.get('if-match') ?? undefined;
}

/** Moving an alias that exists needs the ETag it was read at; only creating one may go without. */
function aliasPrecondition(request: ApiRequest, action: string): string {
  const etag = ifMatch(request);
  if (etag !== undefined) return etag;
  throw new PlatformError(
    'PRECONDITION_REQUIRED',
    `${action} needs If-Match with the alias's ETag (GET the alias to read it).`,
    { field: 'if-match' },
  );
}

const actorHeader = 'x-ms-client-principal-name';
const actorValue = actorSchema.regex(/^[^\p{Cc}]*$/u, 'must not hold control characters');

/**
 * Who made a change. Behind App Service authentication the platform sets this header from the
 * signed-in principal (and drops any the client sent); with a bare function key it is the key.
 */
export function actor(request: ApiRequest): string {
  const given = request.headers.get(actorHeader);
  if (given === null) return 'function-key';
  const parsed = actorValue.safeParse(given);
  if (parsed.success) return parsed.data;
  throw new PlatformError(
    'INVALID_INPUT',
    `Header ${actorHeader}: ${parsed.error.issues[0]?.message ?? 'invalid'} (1 to 256 characters).`,
    { field: actorHeader },
  );
}

/** Runs a handler; failures become JSON errors, and nothing internal reaches the client. */
export async function handle<
  S = RegistryStore,
  Q extends ApiRequest = ApiRequest,
  R extends { status: number; body: unknown } = ApiResponse,
>(
  handler: (store: S, request: Q) => Promise<R>,
  store: () => Promise<S>,
  request: Q,
  log: (error: unknown) => void = () => {},
): Promise<R | ApiResponse> {
  try {
    return await handler(await store(), request);
  } catch (error) {
    return { ...errorResponse(error, log), headers: {} };
  }
}

export const listModels: ApiHandler = async (store) => ok({ models: await store.listModels() });

export const getModel: ApiHandler = async (store, request) => {
  const { model } = pathParams(request, 'model');
  const record = await store.getModel(model);
  const [aliases, versions] = await Promise.all([store.listAliases(model), store.listVersions(model)]);
  return ok({ ...record, aliases, latestVersion: versions.at(-1)?.version ?? null }, 200, {
    etag: record.etag,
  });
};

export const putModel: ApiHandler = async (store, request) => {
  const { model } = pathParams(request, 'model');
  const spec = parseInput(modelSpecSchema, jsonBody(request), 'model spec');
  const { model: record, created } = await store.putModel(model, spec, { ifMatch: ifMatch(request) });
  return ok(record, created ? 201 : 200, { etag: record.etag });
};

const listQuerySchema = z.strictObject({
  tag: z.array(z.string().regex(/^[^:]+:.*$/, 'must be key:value')).default([]),
  metric: z.string().min(1).max(64).optional(),
  min: z.coerce.number().finite().optional(),
  max: z.coerce.number().finite().optional(),
  order: z.enum(['asc', 'desc']).default('desc'),
  archived: z.enum(['true', 'false']).default('false'),
  limit: z.coerce.number().int().positive().max(1000).default(100),
});

/** The query as an object for a strict schema; `code` is the host's key parameter, never the API's. */
// Azure's host joins a repeated query key into one comma-separated value before the function sees
// it, so a repeatable key is read both ways: `?tag=a:1&tag=b:2` and `?tag=a:1,b:2` mean the same.
function queryObject(query: URLSearchParams, repeatable: readonly string[] = []): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const key of new Set(query.keys())) {
    if (key === 'code') continue;
    result[key] = repeatable.includes(key)
      ? query.getAll(key).flatMap((value) => value.split(','))
      : query.get(key);
  }
  return result;
}

export const listVersions: ApiHandler = async (store, request) => {
  const { model } = pathParams(request, 'model');
  const parsed = parseInput(listQuerySchema, queryObject(request.query, ['tag']), 'query');
  const filter = versionFilterSchema.parse({
    tags: Object.fromEntries(
      parsed.tag.map((pair) => [pair.slice(0, pair.indexOf(':')), pair.slice(pair.indexOf(':') + 1)]),
    ),
    metric: parsed.metric,
    min: parsed.min,
    max: parsed.max,
    ascending: parsed.order === 'asc',
    includeArchived: parsed.archived === 'true',
    limit: parsed.limit,
  });
  return ok({ model, versions: filterVersions(await store.listVersions(model), filter) });
};

export const getVersion: ApiHandler = async (store, request) => {
  const { model, version } = pathParams(request, 'model', 'version');
  return ok(await store.getVersion(model, version));
};

export const archiveVersion: ApiHandler = async (store, request) => {
  const { model, version } = pathParams(request, 'model', 'version');
  return ok(await store.archiveVersion(model, version));
};

// No approval field: an approval is recorded by the run's approve endpoint, which knows who
// approved, never taken on a client's word.
const aliasBodySchema = z.strictObject({
  version: versionNumberSchema,
  reason: z.string().min(1).max(2000).optional(),
});

export const putAlias: ApiHandler = async (store, request) => {
  const { model, alias } = pathParams(request, 'model', 'alias');
  const body = parseInput(aliasBodySchema, jsonBody(request), 'alias change');
  const etag = ifMatch(request);
  const record = await store.promote(model, alias, body.version, {
    actor: actor(request),
    reason: body.reason,
    ...(etag === undefined ? { createOnly: true } : { ifMatch: etag }),
  });
  return ok(record, 200, { etag: record.etag });
};

export const getAlias: ApiHandler = async (store, request) => {
  const { model, alias } = pathParams(request, 'model', 'alias');
  const [record, history] = await Promise.all([
    store.getAlias(model, alias),
    store.aliasHistory(model, alias),
  ]);
  return ok({ ...record, history }, 200, { etag: record.etag });
};

const rollbackBodySchema = z.strictObject({ reason: z.string().min(1).max(2000).optional() });

export const rollbackAlias: ApiHandler = async (store, request) => {
  const { model, alias } = pathParams(request, 'model', 'alias');
  const body =
    request.body.trim() === '' ? {} : parseInput(rollbackBodySchema, jsonBody(request), 'rollback');
  const record = await store.rollback(model, alias, {
    actor: actor(request),
    reason: body.reason,
    ifMatch: aliasPrecondition(request, `Rolling back alias ${alias}`),
  });
  return ok(record, 200, { etag: record.etag });
};

const lineageQuerySchema = z
  .strictObject({
    version: positiveInteger.optional(),
    dataset: sha256Schema.optional(),
    direction: z.enum(['upstream', 'downstream', 'both']).default('both'),
  })
  .refine((query) => query.version === undefined || query.dataset === undefined, {
    message: 'give version or dataset, not both',
    path: ['dataset'],
  });

export const getLineage: ApiHandler = async (store, request) => {
  const { model } = pathParams(request, 'model');
  const query = parseInput(lineageQuerySchema, queryObject(request.query), 'query');
  await store.getModel(model);
  let root: LineageRoot | undefined;
  if (query.version !== undefined) root = { kind: 'version', version: query.version };
  else if (query.dataset !== undefined) root = { kind: 'dataset', sha256: query.dataset };
  return ok({ model, ...(await modelLineage(store, model, root, query.direction)) });
};
