// The steps that change the registry, each safe to run again: register (the version is keyed by
// the run id, its artifacts written once under `models/{model}/{version}/`), promote (the spec's
// alias, with If-Match, never past a newer version), reject (an approver or the approval timer
// said no: the version is archived, so no alias can serve it), lineage, and the run record.
import { sha256Hex } from '../../artifacts/checksum.js';
import { PlatformError } from '../../errors.js';
import type { Approval } from '../../registry/alias.js';
import type { RecordedEdge } from '../../registry/lineage.js';
import { publishVersion } from '../../registry/publish-version.js';
import { runRecordSchema, type RunRecord } from '../../registry/run-record.js';
import { parseInput } from '../../validate.js';
import type { PipelineServices } from '../pipeline-services.js';
import { readBlob, runPaths } from '../run-blobs.js';
import { datasetsSha256, type DatasetRef } from '../training-request.js';
import { featuresOf, type ReadPlan, type RunRef } from './data-steps.js';
import type { Evaluated } from './evaluate-step.js';

export async function saveRunStep(services: PipelineServices, run: RunRecord): Promise<void> {
  await services.registry.saveRun(parseInput(runRecordSchema, run, 'run record'));
}

/** Writes a file of the version's folder once; a retried step finds it there and moves on. */
async function putOnce(services: PipelineServices, path: string, bytes: Uint8Array): Promise<void> {
  try {
    await services.artifacts.putOnce(path, bytes, { sha256: sha256Hex(bytes) });
  } catch (error) {
    if (!(error instanceof PlatformError && error.code === 'CONFLICT')) throw error;
  }
}

export async function registerStep(
  services: PipelineServices,
  input: RunRef & {
    plan: ReadPlan;
    evaluated: Evaluated;
    algorithm: string;
    params: Record<string, unknown>;
  },
): Promise<{ version: number; created: boolean }> {
  const { model, runId, plan, evaluated } = input;
  const paths = runPaths(model, runId);
  const bytes = await readBlob(services.blobs, paths.model);
  const numeric = Object.fromEntries(
    Object.entries(evaluated.metrics).filter((entry): entry is [string, number] => entry[1] !== null),
  );
  const { version, created } = await publishVersion(
    services.registry,
    services.artifacts,
    {
      model,
      runId,
      artifact: evaluated.artifact,
      signature: evaluated.signature,
      metrics: numeric,
      dataset: { uri: plan.datasets[0]!.uri, sha256: datasetsSha256(plan.datasets) },
      profile: evaluated.baseline,
      trainer: { name: `tabular-${input.algorithm}`, params: input.params },
      ...(evaluated.champion ? { parent: evaluated.champion.version } : {}),
      ...(plan.task === 'regression' ? {} : { classes: evaluated.classes }),
      tags: { task: plan.task, target: plan.target.slice(0, 256) },
    },
    bytes,
  );
  const folder = `${model}/${version.version}`;
  const metadata = {
    model,
    version: version.version,
    runId,
    task: plan.task,
    target: plan.target,
    classes: plan.task === 'regression' ? [] : evaluated.classes,
    features: featuresOf(plan),
    signature: evaluated.signature,
    metrics: evaluated.metrics,
    artifact: { uri: version.artifact.uri, sha256: version.artifact.sha256, size: version.artifact.size },
    datasets: plan.datasets,
    createdAt: version.createdAt,
  };
  await putOnce(services, `${folder}/metadata.json`, Buffer.from(`${JSON.stringify(metadata, null, 2)}\n`));
  await putOnce(services, `${folder}/profile.json`, await readBlob(services.blobs, paths.baseline));
  return { version: version.version, created };
}

export type PromoteOutcome =
  | { outcome: 'promoted' }
  /** The alias moved since evaluation: gate again against what it serves now. */
  | { outcome: 'stale'; current: number }
  /** The alias already serves a newer version, which this run must not replace. */
  | { outcome: 'superseded'; current: number };

export async function promoteStep(
  services: PipelineServices,
  input: RunRef & { alias: string; version: number; evaluatedAgainst: number | null; approval?: Approval },
): Promise<PromoteOutcome> {
  const current = await services.registry.getAlias(input.model, input.alias).catch((error: unknown) => {
    if (error instanceof PlatformError && error.code === 'NOT_FOUND') return undefined;
    throw error;
  });
  if (current?.version === input.version) return { outcome: 'promoted' };
  if (current && current.version > input.version) return { outcome: 'superseded', current: current.version };
  if ((current?.version ?? null) !== input.evaluatedAgainst)
    return { outcome: 'stale', current: current!.version };
  await services.registry.promote(input.model, input.alias, input.version, {
    actor: input.runId,
    reason: `run ${input.runId} passed its gates${input.approval ? ` and was approved by ${input.approval.by}` : ''}`,
    ifMatch: current?.etag,
    ...(input.approval ? { approval: input.approval } : {}),
  });
  return { outcome: 'promoted' };
}

export async function rejectVersionStep(
  services: PipelineServices,
  input: { model: string; version: number },
): Promise<void> {
  const version = await services.registry.getVersion(input.model, input.version);
  if (!version.archived) await services.registry.archiveVersion(input.model, input.version);
}

/** Every data file of the run leads to it (the version record names only the first). */
export async function lineageStep(
  services: PipelineServices,
  input: RunRef & { datasets: DatasetRef[] },
): Promise<void> {
  const run = { kind: 'run' as const, runId: input.runId };
  const edges: RecordedEdge[] = input.datasets.map((d) => ({
    from: { kind: 'dataset', sha256: d.sha256, uri: d.uri },
    to: run,
    kind: 'trained-on',
  }));
  await services.registry.recordLineage(input.model, edges);
}
