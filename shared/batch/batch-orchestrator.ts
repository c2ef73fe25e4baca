// The batch scoring run as a Durable Functions orchestration (deterministic: no I/O, no clock):
// list the partition's files, score them with at most `concurrency` activities at a time (each
// file retried alone), record lineage, write the manifest last. Progress is the custom status.
import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import type { ArtifactRef } from '../registry/model-version.js';
import { thresholdBreach, type BatchSettings } from './batch-settings.js';
import { inputUri, type InputFile, type SkippedFile } from './batch-layout.js';
import { failedFile, totalsOf, type BatchManifest, type FileResult } from './batch-manifest.js';
import type { ScoreFileInput, ScoreFileOutcome } from './score-file.js';

export const batchActivities = {
  listInputs: 'batchListInputs',
  scoreFile: 'batchScoreFile',
  recordLineage: 'batchRecordLineage',
  writeManifest: 'batchWriteManifest',
} as const;

export const batchOrchestrator = 'batchScoring';
export const batchFileOrchestrator = 'batchScoringFile';

/** What a run is started with: everything pinned, so replays and retries see the same run. */
export interface BatchRunInput {
  readonly runId: string;
  readonly model: string;
  readonly partition: string;
  readonly version: number;
  readonly alias?: string;
  readonly artifact: ArtifactRef;
  readonly settings: BatchSettings;
  readonly trigger: 'timer' | 'http';
}

export interface BatchProgress {
  readonly files: number;
  readonly filesDone: number;
  readonly filesFailed: number;
  readonly rows: number;
  readonly scored: number;
  readonly rejected: number;
}

export interface LineageInput {
  readonly model: string;
  readonly version: number;
  readonly runId: string;
  readonly files: readonly FileResult[];
}

export function* batchScoringFile(context: OrchestrationContext): Generator<Task, FileResult, unknown> {
  const { fileInput, attempts } = context.df.getInput<{ fileInput: ScoreFileInput; attempts: number }>();
  const retry = new df.RetryOptions(1_000, attempts);
  retry.backoffCoefficient = 2;
  try {
    const outcome = (yield context.df.callActivityWithRetry(
      batchActivities.scoreFile,
      retry,
      fileInput,
    )) as ScoreFileOutcome;
    return outcome.result;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    const { model, partition, input } = fileInput;
    return failedFile(
      input.file,
      inputUri(model, partition, input.file),
      `The file failed after its retries: ${reason}`,
    );
  }
}

export function* batchScoring(context: OrchestrationContext): Generator<Task, BatchManifest, unknown> {
  const input = context.df.getInput<BatchRunInput>();
  const startedAt = context.df.currentUtcDateTime.toISOString();
  const { inputs, skipped } = (yield context.df.callActivity(batchActivities.listInputs, {
    model: input.model,
    partition: input.partition,
  })) as { inputs: InputFile[]; skipped: SkippedFile[] };

  const results: FileResult[] = skipped.map((s) =>
    failedFile(
      s.file,
      inputUri(input.model, input.partition, s.file),
      `The file was not scored: ${s.reason}.`,
    ),
  );
  const report = () => {
    const totals = totalsOf(results);
    const progress: BatchProgress = {
      files: inputs.length + skipped.length,
      filesDone: totals.files,
      filesFailed: totals.failedFiles,
      rows: totals.rows,
      scored: totals.scored,
      rejected: totals.rejected,
    };
    context.df.setCustomStatus(progress);
  };
  report();

  // Windows of `concurrency` files. Each file is its own sub-orchestration, which retries it
  // alone and turns its final failure into a failed result, so one bad file never fails the
  // window. (A sliding window would re-yield running tasks in a new Task.any, and the library
  // then schedules them again.)
  for (let start = 0; start < inputs.length; start += input.settings.concurrency) {
    const window = inputs.slice(start, start + input.settings.concurrency).map((file, i) => {
      const fileInput: ScoreFileInput = {
        runId: input.runId,
        model: input.model,
        version: input.version,
        artifact: input.artifact,
        partition: input.partition,
        input: file,
        chunkRows: input.settings.chunkRows,
      };
      const attempts = { fileInput, attempts: input.settings.fileAttempts };
      return context.df.callSubOrchestrator(
        batchFileOrchestrator,
        attempts,
        `${input.runId}:file-${start + i}`,
      );
    });
    results.push(...((yield context.df.Task.all(window)) as FileResult[]));
    report();
  }

  results.sort((a, b) => (a.file < b.file ? -1 : 1));
  const totals = totalsOf(results);
  const reason = thresholdBreach(input.settings.errorThreshold, totals);
  const manifest: BatchManifest = {
    runId: input.runId,
    model: input.model,
    version: input.version,
    ...(input.alias ? { alias: input.alias } : {}),
    partition: input.partition,
    status: reason ? 'failed' : 'succeeded',
    ...(reason ? { reason: `The run failed: ${reason}.` } : {}),
    startedAt,
    completedAt: context.df.currentUtcDateTime.toISOString(),
    files: results,
    totals,
  };
  const lineage: LineageInput = {
    model: input.model,
    version: input.version,
    runId: input.runId,
    files: results,
  };
  yield context.df.callActivity(batchActivities.recordLineage, lineage);
  return (yield context.df.callActivity(batchActivities.writeManifest, manifest)) as BatchManifest;
}
