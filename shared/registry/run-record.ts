// What the registry keeps about a pipeline run: its state, what it read and what it produced.
// The orchestrator is the only writer of a run, so a run is saved whole (last write wins).
import { z } from 'zod';
import { modelNameSchema, runIdSchema, sha256Schema, versionNumberSchema } from './names.js';

export const runStatusSchema = z.enum([
  'pending',
  'running',
  'awaiting-approval',
  'succeeded',
  'rejected',
  'failed',
]);

export const runRecordSchema = z.strictObject({
  model: modelNameSchema,
  runId: runIdSchema,
  status: runStatusSchema,
  startedAt: z.iso.datetime(),
  endedAt: z.iso.datetime().optional(),
  dataset: z.strictObject({ uri: z.string().min(1).max(1024), sha256: sha256Schema }).optional(),
  /** The version the run registered, once it has. */
  version: versionNumberSchema.optional(),
  /** Why the run ended as it did, in one readable sentence. */
  reason: z.string().max(2000).optional(),
  /** The step-by-step report (validation, gates, ...), as the pipeline wrote it. */
  report: z.record(z.string(), z.unknown()).optional(),
});

export type RunStatus = z.output<typeof runStatusSchema>;
export type RunRecord = z.output<typeof runRecordSchema>;
