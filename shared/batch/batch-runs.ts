// Starting a batch run and reading runs back. A run's id derives from model, partition and
// pinned version, so asking twice (timer and a manual call, two timers, a retried request)
// finds the run already there instead of starting a second one; a finished run whose instance
// history was purged is still found by its manifest.
import type { ContainerClient } from '@azure/storage-blob';
import { PlatformError } from '../errors.js';
import type { RegistryStore } from '../registry/registry-store.js';
import { servableModel, type VersionPin } from '../registry/servable-model.js';
import { modelNameSchema } from '../registry/names.js';
import {
  batchRunId,
  inputUri,
  parseRunId,
  partitionPrefix,
  partitionSchema,
  planInputs,
} from './batch-layout.js';
import type { BatchManifest } from './batch-manifest.js';
import type { BatchProgress, BatchRunInput } from './batch-orchestrator.js';
import { listLevel, readManifest, type BatchContainers } from './batch-storage.js';

/** A run as the Durable task hub holds it. */
export interface RunInstance {
  readonly runId: string;
  readonly runtimeStatus: string;
  readonly customStatus?: unknown;
  readonly output?: unknown;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The task hub, as far as batch runs need it (DurableClient in the app). */
export interface RunInstances {
  get(runId: string): Promise<RunInstance | undefined>;
  /** Throws when an instance with the id is already pending or running. */
  start(input: BatchRunInput): Promise<void>;
  /** Every batch run instance of the model. */
  list(model: string): Promise<RunInstance[]>;
}

export interface BatchDeps {
  readonly registry: RegistryStore;
  readonly containers: BatchContainers;
  readonly instances: RunInstances;
}

export interface StartRequest {
  readonly model: string;
  readonly partition?: string;
  readonly pin?: VersionPin;
  readonly trigger: BatchRunInput['trigger'];
}

export interface Started {
  readonly runId: string;
  readonly partition: string;
  readonly version: number;
  /** False when the run already existed (running or finished). */
  readonly created: boolean;
}

export async function partitionsOf(inputs: ContainerClient, model: string): Promise<string[]> {
  return listLevel(inputs, `${model}/`);
}

export async function startBatchRun(deps: BatchDeps, request: StartRequest): Promise<Started> {
  const { model } = request;
  const record = await deps.registry.getModel(model);
  const { inputs, outputs } = deps.containers;
  const partition = request.partition ?? (await partitionsOf(inputs, model)).at(-1);
  const where = inputUri(model, partition ?? '', '');
  if (partition === undefined)
    throw new PlatformError('NOT_FOUND', `No partitions under ${where}; upload files there first.`, {
      model,
    });
  const planned = planInputs(await listLevel(inputs, partitionPrefix(model, partition), true));
  if (planned.inputs.length + planned.skipped.length === 0) {
    throw new PlatformError('NOT_FOUND', `No .csv or .parquet files under ${where}.`, { model, partition });
  }
  const served = await servableModel(deps.registry, model, request.pin);
  const runId = batchRunId(model, partition, served.version);
  const found = { runId, partition, version: served.version, created: false };
  if ((await deps.instances.get(runId)) || (await readManifest(outputs, model, runId))) return found;
  try {
    await deps.instances.start({
      runId,
      model,
      partition,
      version: served.version,
      ...(served.alias ? { alias: served.alias } : {}),
      artifact: served.artifact,
      settings: record.spec.batch,
      trigger: request.trigger,
    });
  } catch (error) {
    // Another caller started it between our check and our start.
    if (await deps.instances.get(runId)) return found;
    throw error;
  }
  return { ...found, created: true };
}

export type BatchRunStatus = 'running' | 'succeeded' | 'failed';

export interface BatchRunView {
  readonly runId: string;
  readonly model: string;
  readonly partition: string;
  readonly version: number;
  readonly status: BatchRunStatus;
  readonly progress?: BatchProgress;
  readonly manifest?: BatchManifest;
  readonly reason?: string;
  readonly createdAt?: string;
  readonly updatedAt?: string;
}

/** The route's view of a run, from its instance (live progress) or its manifest (finished). */
export function runView(
  runId: string,
  instance: RunInstance | undefined,
  manifest: BatchManifest | undefined,
): BatchRunView | undefined {
  const ids = parseRunId(runId);
  if (!ids || (!instance && !manifest)) return undefined;
  const finished =
    manifest ?? (instance?.runtimeStatus === 'Completed' ? (instance.output as BatchManifest) : undefined);
  const crashed = instance && ['Failed', 'Terminated'].includes(instance.runtimeStatus);
  const status: BatchRunStatus = finished ? finished.status : crashed ? 'failed' : 'running';
  const reason =
    finished?.reason ??
    (crashed
      ? `The run ended ${instance.runtimeStatus.toLowerCase()}: ${String(instance.output ?? '')}`
      : undefined);
  return {
    runId,
    ...ids,
    status,
    ...(instance?.customStatus ? { progress: instance.customStatus as BatchProgress } : {}),
    ...(finished ? { manifest: finished } : {}),
    ...(reason ? { reason } : {}),
    ...(instance ? { createdAt: instance.createdAt, updatedAt: instance.updatedAt } : {}),
  };
}

export async function getBatchRun(deps: BatchDeps, model: string, runId: string): Promise<BatchRunView> {
  const ids = parseRunId(runId);
  const [instance, manifest] =
    ids?.model === model
      ? await Promise.all([deps.instances.get(runId), readManifest(deps.containers.outputs, model, runId)])
      : [undefined, undefined];
  const view = runView(runId, instance, manifest);
  if (!view)
    throw new PlatformError('NOT_FOUND', `Model ${model} has no batch run ${runId}.`, { model, runId });
  return view;
}

/** Runs newest first: the task hub's instances, plus finished runs known only by their manifest. */
export async function listBatchRuns(deps: BatchDeps, model: string): Promise<BatchRunView[]> {
  const [instances, folders] = await Promise.all([
    deps.instances.list(model),
    listLevel(deps.containers.outputs, `${model}/`),
  ]);
  const byId = new Map(instances.map((i) => [i.runId, i]));
  const orphans = folders.filter((runId) => !byId.has(runId) && parseRunId(runId)?.model === model);
  const manifests = await Promise.all(
    orphans.map((runId) => readManifest(deps.containers.outputs, model, runId)),
  );
  const views = [
    ...instances.map((i) => runView(i.runId, i, undefined)),
    ...orphans.map((runId, i) => runView(runId, undefined, manifests[i])),
  ].filter((v): v is BatchRunView => v !== undefined);
  const when = (v: BatchRunView) => v.createdAt ?? v.manifest?.startedAt ?? '';
  return views.sort((a, b) => (when(a) < when(b) ? 1 : when(a) > when(b) ? -1 : 0));
}

/**
 * The timer's work: one run per model and partition not yet scored by the model's serving
 * version. Returns what it started and why anything was passed over; one model's trouble (no
 * spec, no servable version) never stops the others.
 */
export async function startNightlyRuns(
  deps: BatchDeps,
): Promise<{ started: Started[]; passed: { model: string; partition?: string; reason: string }[] }> {
  const started: Started[] = [];
  const passed: { model: string; partition?: string; reason: string }[] = [];
  for (const model of await listLevel(deps.containers.inputs, '')) {
    if (!modelNameSchema.safeParse(model).success) {
      passed.push({ model, reason: 'not a model name' });
      continue;
    }
    for (const partition of await partitionsOf(deps.containers.inputs, model)) {
      try {
        if (!partitionSchema.safeParse(partition).success) throw new Error('not a partition name');
        const run = await startBatchRun(deps, { model, partition, trigger: 'timer' });
        if (run.created) started.push(run);
      } catch (error) {
        passed.push({ model, partition, reason: error instanceof Error ? error.message : String(error) });
      }
    }
  }
  return { started, passed };
}
