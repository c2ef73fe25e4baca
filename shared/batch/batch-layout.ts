// Where batch scoring reads and writes (DESIGN.md section 4): inputs under
// `scoring-input/{model}/{partition}/{file}.csv|.parquet`, one run's outputs under
// `scoring-output/{model}/{runId}/`. Run ids derive from model, partition and version only, so
// the timer firing twice, a manual call during the nightly run or a replay name the same run.
import { z } from 'zod';

export const inputContainer = 'scoring-input';
export const outputContainer = 'scoring-output';
export const manifestName = '_manifest.json';

/** A partition is one folder level; its name ends up in run ids, so it may not hold `:` or `/`. */
export const partitionSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/,
    'a partition must be 1 to 100 letters, digits, dots, dashes or underscores, starting with a letter or digit',
  );

/** `:` is in neither a model name nor a partition, so distinct runs never share an id. */
export function batchRunId(model: string, partition: string, version: number): string {
  return `batch:${model}:${partition}:v${version}`;
}

export function runIdPrefix(model: string): string {
  return `batch:${model}:`;
}

export function partitionPrefix(model: string, partition: string): string {
  return `${model}/${partition}/`;
}

export function runFolder(model: string, runId: string): string {
  return `${model}/${runId}/`;
}

/** Container-qualified paths, as manifests and the registry's lineage name blobs. */
export function inputUri(model: string, partition: string, file: string): string {
  return `${inputContainer}/${partitionPrefix(model, partition)}${file}`;
}

export function outputUri(model: string, runId: string, name: string): string {
  return `${outputContainer}/${runFolder(model, runId)}${name}`;
}

export type InputFormat = 'csv' | 'parquet';

export interface InputFile {
  /** The blob's name inside the partition folder. */
  readonly file: string;
  readonly format: InputFormat;
  /** Output blob names inside the run folder. */
  readonly output: string;
  readonly rejects: string;
}

export interface SkippedFile {
  readonly file: string;
  readonly reason: string;
}

/**
 * The files of a partition that a run scores, in name order, and those it cannot: each input
 * `{stem}.csv|.parquet` gets `{stem}.csv` and `{stem}.rejects.csv`, so two inputs with one
 * stem, or a stem that would land on another input's rejects, would share an output.
 */
export function planInputs(names: readonly string[]): { inputs: InputFile[]; skipped: SkippedFile[] } {
  const inputs: InputFile[] = [];
  const skipped: SkippedFile[] = [];
  const byStem = new Map<string, string>();
  for (const file of [...names].sort()) {
    const match = /^(.+)\.(csv|parquet)$/i.exec(file);
    if (!match) continue;
    const stem = match[1]!;
    const format = match[2]!.toLowerCase() as InputFormat;
    const taken = byStem.get(stem);
    if (taken) {
      skipped.push({ file, reason: `it would write the same output as ${taken}; rename one of them` });
      continue;
    }
    if (/\.rejects$/i.test(stem)) {
      skipped.push({ file, reason: 'names ending in .rejects are reserved for rejected-row files' });
      continue;
    }
    byStem.set(stem, file);
    inputs.push({ file, format, output: `${stem}.csv`, rejects: `${stem}.rejects.csv` });
  }
  return { inputs, skipped };
}

/** Model, partition and version back from a run id, or undefined for any other instance id. */
export function parseRunId(runId: string): { model: string; partition: string; version: number } | undefined {
  const match = /^batch:([^:]+):([^:]+):v([1-9][0-9]*)$/.exec(runId);
  return match ? { model: match[1]!, partition: match[2]!, version: Number(match[3]) } : undefined;
}
