// What starts a training run: the model, the data (one or more blobs, concatenated, same
// columns) and why. The ingest trigger and the drift retrainer both send this; the run id is
// derived from the content, so the same data for the same model is one run however often it
// arrives.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { modelNameSchema, runIdSchema, sha256Schema } from '../registry/names.js';

export const datasetRefSchema = z.strictObject({
  /** Container-relative blob path, e.g. `datasets/churn/churn.csv`. */
  uri: z
    .string()
    .min(1)
    .max(1024)
    .regex(/^[a-z0-9][a-z0-9-]{2,62}\/[^?#\\]+$/, 'must be {container}/{blob path}')
    .refine((uri) => !uri.split('/').some((part) => part === '..' || part === '.' || part === ''), {
      message: 'must not contain empty, "." or ".." segments',
    }),
  sha256: sha256Schema,
});

export const trainingRequestSchema = z.strictObject({
  model: modelNameSchema,
  runId: runIdSchema.optional(),
  datasets: z.array(datasetRefSchema).min(1).max(100),
  cause: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('upload') }),
    z.strictObject({ kind: z.literal('drift'), alertId: z.string().min(1).max(256) }),
  ]),
});

export type DatasetRef = z.output<typeof datasetRefSchema>;
export type TrainingRequest = z.output<typeof trainingRequestSchema>;

/** One SHA-256 naming the data of a run: the file's own, or a hash over several files' hashes in order. */
export function datasetsSha256(datasets: readonly DatasetRef[]): string {
  if (datasets.length === 1) return datasets[0]!.sha256;
  return createHash('sha256')
    .update(datasets.map((d) => d.sha256).join('\n'))
    .digest('hex');
}

/** `train-{model}-{first 16 hex of the data's SHA-256}` unless the request names its run. */
export function runIdOf(request: TrainingRequest): string {
  return request.runId ?? `train-${request.model}-${datasetsSha256(request.datasets).slice(0, 16)}`;
}
