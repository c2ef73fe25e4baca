// What the registry keeps about a pipeline run: its state, what it read, each step's timeline
// and what it produced. The orchestrator is the only writer of a run, so a run is saved whole
// (last write wins); GET /api/runs/{runId} returns it as stored (DESIGN.md section 4).
import { z } from 'zod';
import { aliasNameSchema, modelNameSchema, runIdSchema, sha256Schema, versionNumberSchema } from './names.js';

export const runStatusSchema = z.enum([
  'pending',
  'running',
  'awaiting-approval',
  'succeeded',
  'rejected',
  'failed',
]);

const datasetRefSchema = z.strictObject({
  uri: z.string().min(1).max(1024),
  sha256: sha256Schema,
  rows: z.number().int().nonnegative().optional(),
});

export const runStepSchema = z.strictObject({
  name: z.string().min(1).max(64),
  status: z.enum(['running', 'succeeded', 'failed', 'skipped']),
  startedAt: z.iso.datetime(),
  endedAt: z.iso.datetime().optional(),
  /** What the step found or is doing (the trainer's latest progress line while it trains). */
  detail: z.string().max(2000).optional(),
});

const metricsSchema = z.record(z.string(), z.number().nullable());

export const runRecordSchema = z.strictObject({
  model: modelNameSchema,
  runId: runIdSchema,
  status: runStatusSchema,
  startedAt: z.iso.datetime(),
  endedAt: z.iso.datetime().optional(),
  /** What started the run: a file dropped in `datasets/`, or a drift alert. */
  cause: z
    .discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('upload') }),
      z.strictObject({ kind: z.literal('drift'), alertId: z.string().min(1).max(256) }),
    ])
    .optional(),
  /** The data trained on; with several files, `uri` is the first and `sha256` identifies them all. */
  dataset: datasetRefSchema.optional(),
  datasets: z.array(datasetRefSchema).max(100).optional(),
  /** The task and target trained for, and whether the task was inferred from the data (no spec). */
  task: z
    .strictObject({
      task: z.enum(['binary', 'multiclass', 'regression']),
      target: z.string().min(1).max(256),
      inferred: z.boolean(),
    })
    .optional(),
  steps: z.array(runStepSchema).max(50).default([]),
  /** The candidate's holdout metrics, computed by the platform with onnxruntime. */
  metrics: metricsSchema.optional(),
  /** The alias holder the candidate was compared with, on the same holdout; null when there was none. */
  champion: z.strictObject({ version: versionNumberSchema, metrics: metricsSchema }).nullable().optional(),
  /** The version the run registered, once it has. */
  version: versionNumberSchema.optional(),
  /** The alias the run promoted its version to. */
  alias: aliasNameSchema.optional(),
  /** Why the run ended as it did, in one readable sentence. */
  reason: z.string().max(2000).optional(),
  /** The gate report: metrics side by side with the champion's and the thresholds. */
  report: z.record(z.string(), z.unknown()).optional(),
  /** What went wrong and where (a failed run): code, message and details such as rows and columns. */
  error: z.looseObject({ code: z.string(), message: z.string().max(4000) }).optional(),
});

export type RunStatus = z.output<typeof runStatusSchema>;
export type RunStep = z.output<typeof runStepSchema>;
export type RunRecord = z.input<typeof runRecordSchema>;
