// The steps that read the dropped data: validate (the spec's rules, every problem with its row
// and column), profile (the drift baseline) and split (seeded, stratified; the holdout stays
// with the platform). Each writes only its own files under `runs/{model}/{runId}/`.
import { Readable } from 'node:stream';
import type { DatasetOptions } from '../../data/dataset.js';
import type { Task } from '../../data/kinds.js';
import { profileTable } from '../../data/profile/profile-builder.js';
import { splitRows } from '../../data/split.js';
import type { FeatureSpec } from '../../data/table.js';
import { csvLines } from '../../data/csv-format.js';
import { PlatformError } from '../../errors.js';
import { defaultModelSpec, type ModelSpec } from '../../registry/model-spec.js';
import { inferTask } from '../infer-task.js';
import type { PipelineServices } from '../pipeline-services.js';
import { readDatasets } from '../read-datasets.js';
import { blobAt, runPaths, writeJson } from '../run-blobs.js';
import type { DatasetRef } from '../training-request.js';

export interface RunRef {
  model: string;
  runId: string;
}

/** How every step after validation reads the data: column types pinned by validation. */
export interface ReadPlan {
  datasets: DatasetRef[];
  target: string;
  task: Task;
  schema: FeatureSpec[];
  maxBytes?: number;
}

export interface Validated {
  spec: ModelSpec;
  plan: ReadPlan;
  taskInferred: boolean;
  rows: number;
}

/** The model's input columns: every column of the plan but the target. */
export const featuresOf = (plan: ReadPlan): FeatureSpec[] =>
  plan.schema.filter((f) => f.name !== plan.target);

const limitsOf = (maxBytes: number | undefined) => (maxBytes ? { maxBytes } : undefined);

const optionsOf = (plan: ReadPlan): DatasetOptions => ({
  target: plan.target,
  task: plan.task,
  features: plan.schema,
  limits: limitsOf(plan.maxBytes),
});

async function specOf(services: PipelineServices, model: string): Promise<ModelSpec> {
  try {
    return (await services.registry.getModel(model)).spec;
  } catch (error) {
    if (error instanceof PlatformError && error.code === 'NOT_FOUND') return defaultModelSpec;
    throw error;
  }
}

export async function validateStep(
  services: PipelineServices,
  input: RunRef & { datasets: DatasetRef[] },
): Promise<Validated> {
  const spec = await specOf(services, input.model);
  const maxBytes = services.settings.maxDatasetBytes;
  const options: DatasetOptions = {
    target: spec.target,
    features: spec.features,
    limits: limitsOf(maxBytes),
  };
  let task = spec.task;
  if (task === undefined) {
    const untyped = await readDatasets(services.blobs, input.datasets, options);
    task = inferTask(untyped.columns.get(spec.target)!);
  }
  const dataset = await readDatasets(services.blobs, input.datasets, { ...options, task });
  return {
    spec,
    plan: { datasets: input.datasets, target: spec.target, task, schema: [...dataset.schema], maxBytes },
    taskInferred: spec.task === undefined,
    rows: dataset.rowCount,
  };
}

export async function profileStep(
  services: PipelineServices,
  input: RunRef & { plan: ReadPlan },
): Promise<{ uri: string; features: number }> {
  const dataset = await readDatasets(services.blobs, input.plan.datasets, optionsOf(input.plan));
  const profile = profileTable(dataset, dataset.schema, dataset.target);
  const uri = runPaths(input.model, input.runId).profile;
  await writeJson(services.blobs, uri, profile);
  return { uri, features: profile.features.length };
}

export interface SplitSizes {
  train: number;
  validation: number;
  holdout: number;
}

export async function splitStep(
  services: PipelineServices,
  input: RunRef & { plan: ReadPlan; seed: number },
): Promise<SplitSizes> {
  const dataset = await readDatasets(services.blobs, input.plan.datasets, optionsOf(input.plan));
  const parts = splitRows(dataset, {
    seed: input.seed,
    stratifyBy: input.plan.task === 'regression' ? undefined : input.plan.target,
  });
  const paths = runPaths(input.model, input.runId);
  await services.blobs.getContainerClient('runs').createIfNotExists();
  for (const part of ['train', 'validation', 'holdout'] as const) {
    // Streamed straight from the columns into the blob: the split never exists as one string.
    await blobAt(services.blobs, paths[part]).uploadStream(
      Readable.from(chunked(csvLines(dataset, parts[part]))),
      4 * 1024 * 1024,
      2,
    );
  }
  return { train: parts.train.length, validation: parts.validation.length, holdout: parts.holdout.length };
}

/** CSV lines gathered into buffers of about 64 KiB, the unit the blob upload works in. */
function* chunked(lines: Iterable<string>): Generator<Buffer> {
  let pending: string[] = [];
  let size = 0;
  for (const line of lines) {
    pending.push(line);
    size += line.length;
    if (size >= 65_536) {
      yield Buffer.from(pending.join(''));
      pending = [];
      size = 0;
    }
  }
  if (pending.length > 0) yield Buffer.from(pending.join(''));
}
