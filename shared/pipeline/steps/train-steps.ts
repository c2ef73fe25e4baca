// Training on the backend: the submit step stages the spec next to the splits and hands the
// backend blob locations only (inputs downloaded to the node, `out/` uploaded back), exactly as
// Azure Batch needs them; the poll step reports the task's state and the trainer's latest
// progress line. The orchestrator waits between polls with durable timers, so a long training
// run holds no Functions time. Submitting again (a replayed step) returns the same task.
import { createHash } from 'node:crypto';
import type { ModelSpec } from '../../registry/model-spec.js';
import type { TaskFailure } from '../../training/backend.js';
import type { Compute } from '../../training/compute.js';
import type { PipelineServices } from '../pipeline-services.js';
import { blobAt, runPaths, writeJson } from '../run-blobs.js';
import { featuresOf, type ReadPlan, type RunRef } from './data-steps.js';

/** Batch task ids: at most 64 letters, digits, hyphens and underscores; unique per run. */
export function taskIdOf(runId: string): string {
  const hash = createHash('sha256').update(runId).digest('hex').slice(0, 12);
  return `${runId.replace(/[^\w-]/g, '-').slice(0, 50)}-${hash}`;
}

export async function submitTrainingStep(
  services: PipelineServices,
  input: RunRef & { plan: ReadPlan; spec: Pick<ModelSpec, 'algorithm' | 'params' | 'compute'> },
): Promise<{ taskId: string; pollSeconds: number; timeoutMs: number }> {
  const paths = runPaths(input.model, input.runId);
  const url = (uri: string) => blobAt(services.blobs, uri).url;
  await writeJson(services.blobs, paths.trainerSpec, {
    task: input.plan.task,
    target: input.plan.target,
    algorithm: input.spec.algorithm ?? 'gbdt',
    features: featuresOf(input.plan),
    params: input.spec.params ?? {},
  });
  const taskId = taskIdOf(input.runId);
  const target = services.target(input.spec.compute);
  await target.backend.submit({
    id: taskId,
    command: target.command([
      ...['--train', 'data/train.csv', '--validation', 'data/validation.csv'],
      ...['--spec', 'spec.json', '--out', 'out'],
    ]),
    inputFiles: [
      { source: url(paths.train), filePath: 'data/train.csv' },
      { source: url(paths.validation), filePath: 'data/validation.csv' },
      { source: url(paths.trainerSpec), filePath: 'spec.json' },
    ],
    outputFiles: [{ filePattern: 'out/*', destination: url(paths.trainerOutput) }],
    maxWallClockMs: services.settings.trainingTimeoutMs,
  });
  const { pollSeconds, trainingTimeoutMs: timeoutMs } = services.settings;
  return { taskId, pollSeconds, timeoutMs };
}

export interface TrainingProgress {
  state: 'active' | 'running' | 'completed';
  succeeded?: boolean;
  /** The trainer's latest stdout line. */
  progress?: string;
  failure?: TaskFailure & { exitCode: number | null; stderrTail: string };
}

const lastLine = (text: string): string | undefined =>
  text.trimEnd().split('\n').at(-1)?.slice(0, 500) || undefined;

export async function pollTrainingStep(
  services: PipelineServices,
  input: { taskId: string; compute?: Compute },
): Promise<TrainingProgress> {
  const { backend } = services.target(input.compute);
  const info = await backend.get(input.taskId);
  const progress = info.state === 'active' ? undefined : lastLine((await backend.logs(input.taskId)).stdout);
  if (info.state !== 'completed') return { state: info.state, progress };
  if (info.result === 'success') return { state: 'completed', succeeded: true, progress };
  return {
    state: 'completed',
    succeeded: false,
    progress,
    failure: {
      ...(info.failure ?? { code: 'EXIT_CODE', message: `Task ${info.id} failed.` }),
      exitCode: info.exitCode ?? null,
      stderrTail: info.stderrTail ?? '',
    },
  };
}
