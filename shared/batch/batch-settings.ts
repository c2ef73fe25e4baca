// The `batch` part of a model's spec: how its nightly and on-demand scoring runs. Everything is
// optional; without an error threshold a run never fails for bad rows or failed files (as an
// Azure ML batch endpoint with error_threshold -1), it only reports them in its manifest.
import { z } from 'zod';
import type { Totals } from './batch-manifest.js';

const errorThresholdSchema = z
  .strictObject({
    /** The run fails when more rows than this are rejected. */
    rejectedRows: z.number().int().min(0).optional(),
    /** ... or when rejected rows are more than this share of all rows read. */
    rejectedFraction: z.number().min(0).max(1).optional(),
    /** ... or when more files than this fail after their retries. */
    failedFiles: z.number().int().min(0).optional(),
  })
  .refine((t) => Object.values(t).some((v) => v !== undefined), {
    message: 'an error threshold needs rejectedRows, rejectedFraction or failedFiles',
  });

export const batchSettingsSchema = z.strictObject({
  errorThreshold: errorThresholdSchema.optional(),
  /** Files scored at the same time by one run. */
  concurrency: z.number().int().min(1).max(64).default(4),
  /** Rows read, validated and scored at a time: the memory bound of one file's activity. */
  chunkRows: z.number().int().min(100).max(1_000_000).default(10_000),
  /** Attempts per file before it counts as failed. */
  fileAttempts: z.number().int().min(1).max(10).default(3),
});

export type BatchSettings = z.output<typeof batchSettingsSchema>;
export type ErrorThreshold = NonNullable<BatchSettings['errorThreshold']>;

export const defaultBatchSettings: BatchSettings = batchSettingsSchema.parse({});

/** Why a run with these totals fails under the threshold, or undefined when it passes. */
export function thresholdBreach(threshold: ErrorThreshold | undefined, totals: Totals): string | undefined {
  if (!threshold) return undefined;
  const { rejectedRows, rejectedFraction, failedFiles } = threshold;
  if (failedFiles !== undefined && totals.failedFiles > failedFiles)
    return `${totals.failedFiles} file(s) failed, more than batch.errorThreshold.failedFiles (${failedFiles})`;
  if (rejectedRows !== undefined && totals.rejected > rejectedRows)
    return `${totals.rejected} row(s) were rejected, more than batch.errorThreshold.rejectedRows (${rejectedRows})`;
  if (rejectedFraction !== undefined && totals.rows > 0 && totals.rejected / totals.rows > rejectedFraction)
    return `${totals.rejected} of ${totals.rows} row(s) were rejected, more than batch.errorThreshold.rejectedFraction (${rejectedFraction})`;
  return undefined;
}
