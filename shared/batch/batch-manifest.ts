// The manifest of a batch scoring run, `scoring-output/{model}/{runId}/_manifest.json`
// (DESIGN.md section 4). It is written last, once, and its presence marks the run complete:
// readers (the drift monitor, users' pipelines) take a run folder without one as unfinished.
import { z } from 'zod';
import { modelNameSchema, runIdSchema, sha256Schema, versionNumberSchema } from '../registry/names.js';
import { partitionSchema } from './batch-layout.js';

const count = z.number().int().min(0);

export const fileResultSchema = z.strictObject({
  /** The input blob's name inside the partition. */
  file: z.string().min(1),
  status: z.enum(['scored', 'failed']),
  /** Container-qualified blob paths, as the registry's lineage names them. */
  input: z.string().min(1),
  inputSha256: sha256Schema.optional(),
  rows: count,
  scored: count,
  rejected: count,
  output: z.string().min(1).optional(),
  /** The output file's SHA-256. */
  sha256: sha256Schema.optional(),
  rejects: z.string().min(1).optional(),
  /** Why a failed file could not be scored. */
  error: z.string().optional(),
});

export const totalsSchema = z.strictObject({
  files: count,
  failedFiles: count,
  rows: count,
  scored: count,
  rejected: count,
});

export const batchManifestSchema = z.strictObject({
  runId: runIdSchema,
  model: modelNameSchema,
  version: versionNumberSchema,
  /** The alias the version was reached through when the run started, if any. */
  alias: z.string().optional(),
  partition: partitionSchema,
  status: z.enum(['succeeded', 'failed']),
  /** Why the run failed (the error threshold it passed). */
  reason: z.string().optional(),
  startedAt: z.iso.datetime(),
  completedAt: z.iso.datetime(),
  files: z.array(fileResultSchema),
  totals: totalsSchema,
});

export type FileResult = z.output<typeof fileResultSchema>;
export type BatchManifest = z.output<typeof batchManifestSchema>;
export type Totals = z.output<typeof totalsSchema>;

/** A file that produced nothing, and why. */
export function failedFile(file: string, input: string, error: string): FileResult {
  return { file, status: 'failed', input, rows: 0, scored: 0, rejected: 0, error };
}

export function totalsOf(files: readonly FileResult[]): Totals {
  return files.reduce(
    (t, f) => ({
      files: t.files + 1,
      failedFiles: t.failedFiles + (f.status === 'failed' ? 1 : 0),
      rows: t.rows + f.rows,
      scored: t.scored + f.scored,
      rejected: t.rejected + f.rejected,
    }),
    { files: 0, failedFiles: 0, rows: 0, scored: 0, rejected: 0 },
  );
}
