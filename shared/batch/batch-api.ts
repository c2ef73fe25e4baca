// The batch scoring routes (DESIGN.md section 4) as plain functions over a parsed request:
// `POST /api/batch-scoring/{model}` starts (or finds) the run of a partition and answers 202
// with its id and status URL; `GET .../runs[/{runId}]` reads runs back.
import { z } from 'zod';
import { parseJsonBody } from '../json-body.js';
import { aliasNameSchema, modelNameSchema, versionNumberSchema } from '../registry/names.js';
import { parseInput } from '../validate.js';
import { partitionSchema } from './batch-layout.js';
import { getBatchRun, listBatchRuns, startBatchRun, type BatchDeps } from './batch-runs.js';

export interface BatchRequest {
  readonly params: Readonly<Record<string, string | undefined>>;
  /** The request URL, for the status URL of a started run. */
  readonly url: string;
  readonly body: string;
}

export interface BatchResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

const startBodySchema = z
  .strictObject({
    partition: partitionSchema.optional(),
    version: versionNumberSchema.optional(),
    alias: aliasNameSchema.optional(),
  })
  .refine((body) => body.version === undefined || body.alias === undefined, {
    message: 'give a version or an alias, not both',
    path: ['alias'],
  });

/** The body is optional: without one, the latest partition is scored by the serving version. */
function startBody(text: string): z.output<typeof startBodySchema> {
  if (text.trim() === '') return {};
  return parseInput(startBodySchema, parseJsonBody(text), 'batch scoring request');
}

const modelOf = (request: BatchRequest) =>
  parseInput(z.object({ model: modelNameSchema }), { model: request.params.model }, 'path').model;

export async function startRun(deps: BatchDeps, request: BatchRequest): Promise<BatchResponse> {
  const model = modelOf(request);
  const body = startBody(request.body);
  const pin =
    body.version !== undefined ? { version: body.version } : body.alias ? { alias: body.alias } : undefined;
  const started = await startBatchRun(deps, {
    model,
    ...(body.partition ? { partition: body.partition } : {}),
    pin,
    trigger: 'http',
  });
  const url = new URL(request.url);
  const statusUri = `${url.origin}${url.pathname.replace(/\/$/, '')}/runs/${encodeURIComponent(started.runId)}`;
  return { status: 202, body: { ...started, statusUri }, headers: { location: statusUri } };
}

export async function getRun(deps: BatchDeps, request: BatchRequest): Promise<BatchResponse> {
  const model = modelOf(request);
  const runId = parseInput(z.string().min(1).max(300), request.params.runId, 'path');
  return { status: 200, body: await getBatchRun(deps, model, runId) };
}

export async function listRuns(deps: BatchDeps, request: BatchRequest): Promise<BatchResponse> {
  const model = modelOf(request);
  await deps.registry.getModel(model);
  return { status: 200, body: { model, runs: await listBatchRuns(deps, model) } };
}
