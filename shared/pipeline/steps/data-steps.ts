// The steps that read the dropped data: validate (the spec's rules, every problem with its row
// and column), profile (the drift baseline) and split (seeded, stratified; the holdout stays
// with the platform). Each streams the data at most once, a chunk of rows at a time, so the
// host's memory is bounded by columns (and classes), never by rows; validation's pass builds
// the profile too (see EarlyProfile), so the data is parsed twice, not three times. Every file
// they write is under `runs/{model}/{runId}/`.
import type { DatasetOptions } from '../../data/dataset.js';
import { csvRow, typedLine } from '../../data/csv-format.js';
import type { Task } from '../../data/kinds.js';
import { ProfileBuilder, type ProfileCell } from '../../data/profile/profile-builder.js';
import { EarlyProfile } from '../../data/profile/early-profile.js';
import { readProfile } from '../../data/profile/profile-schema.js';
import { textOf, typedCell, type RawCell } from '../../data/raw-table.js';
import type { ChunkedFile } from '../../data/read-chunks.js';
import { scanFile, type ScanResult } from '../../data/scan-dataset.js';
import { SplitSampler, type SplitPart } from '../../data/split.js';
import type { FeatureSpec } from '../../data/table.js';
import { datasetError } from '../../data/validate-dataset.js';
import { StagedBlob } from '../../batch/staged-blob.js';
import { PlatformError } from '../../errors.js';
import { defaultModelSpec, type ModelSpec } from '../../registry/model-spec.js';
import { forEachDatasetFile } from '../dataset-files.js';
import type { PipelineServices } from '../pipeline-services.js';
import { blobAt, readBlob, runPaths, writeJson } from '../run-blobs.js';
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
  rows: number;
  /** Rows per class of a classification target: the strata of the split. */
  classes?: Record<string, number>;
  /** Numeric columns whose every present cell is a number: the split copies their cells as read. */
  plainNumbers?: string[];
}

export interface Validated {
  spec: ModelSpec;
  plan: ReadPlan;
  taskInferred: boolean;
  rows: number;
  /** Whether validation's pass saved the profile, so the profile step need not read the data. */
  profiled: boolean;
}

/** The model's input columns: every column of the plan but the target. */
export const featuresOf = (plan: ReadPlan): FeatureSpec[] =>
  plan.schema.filter((f) => f.name !== plan.target);

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
    task: spec.task,
    features: spec.features,
    ...(maxBytes ? { limits: { maxBytes } } : {}),
  };
  let first: { header: string[]; uri: string; scan: ScanResult } | undefined;
  let rows = 0;
  const classes = new Map<string, number>();
  const strays = new Set<string>();
  const profile = new EarlyProfile(spec.target);
  await forEachDatasetFile(services.blobs, input.datasets, maxBytes, async (file, ref) => {
    if (first && file.header.join('\n') !== first.header.join('\n')) {
      throw datasetError([
        {
          kind: 'MISSING_COLUMN',
          message: `${ref.uri} has columns (${file.header.join(', ')}), not those of ${first.uri} (${first.header.join(', ')})`,
        },
      ]);
    }
    // Later files take the first one's column types and task, so one schema describes the run.
    const scan = await scanFile(
      file,
      first ? { ...options, task: first.scan.task, features: first.scan.schema } : options,
      (chunk, scan) => profile.addChunk(chunk, scan),
    );
    first ??= { header: file.header, uri: ref.uri, scan };
    rows += scan.rowCount;
    for (const warning of scan.warnings) if (warning.kind === 'STRAY_TEXT') strays.add(warning.column!);
    for (const [name, count] of scan.classes ?? []) classes.set(name, (classes.get(name) ?? 0) + count);
  });
  const { scan } = first!;
  const task = scan.task!;
  const early = profile.finish(scan.schema);
  if (early) await writeJson(services.blobs, runPaths(input.model, input.runId).profile, early);
  return {
    spec,
    plan: {
      datasets: input.datasets,
      target: spec.target,
      task,
      schema: scan.schema,
      maxBytes,
      rows,
      ...(task === 'regression' ? {} : { classes: Object.fromEntries(classes) }),
      plainNumbers: scan.schema.filter((f) => f.type === 'numeric' && !strays.has(f.name)).map((f) => f.name),
    },
    taskInferred: scan.taskInferred,
    rows,
    profiled: early !== undefined,
  };
}

/** Every row of the run's data as read (cells not typed yet), in file order. */
async function forEachRow(
  services: PipelineServices,
  plan: ReadPlan,
  visit: (row: readonly RawCell[]) => Promise<void> | void,
): Promise<void> {
  await forEachDatasetFile(services.blobs, plan.datasets, plan.maxBytes, async (file: ChunkedFile) => {
    for await (const chunk of file.chunks) {
      for (const row of chunk.rows) {
        // Awaited only when the visitor has something to wait for (a block to stage).
        const waiting = visit(row);
        if (waiting) await waiting;
      }
    }
  });
}

export async function profileStep(
  services: PipelineServices,
  input: RunRef & { plan: ReadPlan; profiled?: boolean },
): Promise<{ uri: string; features: number }> {
  const uri = runPaths(input.model, input.runId).profile;
  if (input.profiled) {
    const saved = readProfile(JSON.parse((await readBlob(services.blobs, uri)).toString('utf8')));
    return { uri, features: saved.features.length };
  }
  const builder = new ProfileBuilder(input.plan.schema, input.plan.target);
  const types = input.plan.schema.map((f) => f.type);
  const cells = new Array<ProfileCell>(types.length);
  await forEachRow(services, input.plan, (row) => {
    for (let i = 0; i < types.length; i += 1) cells[i] = typedCell(types[i]!, row[i] ?? null);
    builder.addRow(cells);
  });
  const profile = builder.finish();
  await writeJson(services.blobs, uri, profile);
  return { uri, features: profile.features.length };
}

export interface SplitSizes {
  train: number;
  validation: number;
  holdout: number;
}

/** Lines gathered into blocks of about this size before they are staged. */
const blockBytes = 4 * 1024 * 1024;

export async function splitStep(
  services: PipelineServices,
  input: RunRef & { plan: ReadPlan; seed: number },
): Promise<SplitSizes> {
  const { plan } = input;
  const strata = new Map(plan.classes ? Object.entries(plan.classes) : [['', plan.rows]]);
  const sampler = new SplitSampler(strata, { seed: input.seed });
  const target = plan.schema.findIndex((f) => f.name === plan.target);
  const plain = new Set(plan.plainNumbers);
  const types = plan.schema.map((f) => (plain.has(f.name) ? 'plain' : f.type));
  const paths = runPaths(input.model, input.runId);
  await services.blobs.getContainerClient('runs').createIfNotExists();
  const parts = (['train', 'validation', 'holdout'] as const).map((name) => ({
    name,
    blob: new StagedBlob(blobAt(services.blobs, paths[name])),
    pending: csvRow(plan.schema.map((f) => f.name)),
    rows: 0,
  }));
  const byName = new Map(parts.map((part) => [part.name as SplitPart, part]));
  await forEachRow(services, plan, (row) => {
    // A class is its text: validation refused rows without one.
    const part = byName.get(sampler.next(plan.classes ? textOf(row[target] ?? null) : ''))!;
    part.pending += typedLine(row, types);
    part.rows += 1;
    if (part.pending.length < blockBytes) return;
    const block = part.pending;
    part.pending = '';
    return part.blob.append(block);
  });
  // Written once: a retried split finds its files committed (the same bytes) and keeps them.
  for (const part of parts) {
    await part.blob.append(part.pending);
    await part.blob.commit({ rows: String(part.rows) });
  }
  return { train: parts[0]!.rows, validation: parts[1]!.rows, holdout: parts[2]!.rows };
}
