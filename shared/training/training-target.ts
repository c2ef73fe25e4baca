// Where a model trains, from app settings and the spec's `compute`: the backend that runs the
// task and the trainer command line for it. With `TRAINING_BACKEND=batch` (or a Batch endpoint
// set) tasks go to the Azure Batch pool for the compute, in that pool's trainer image;
// otherwise to the local pool the caller provides (shared/ cannot import local/), running the
// trainer from this checkout. The pipeline only sees { backend, command }.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DefaultAzureCredential } from '@azure/identity';
import { z } from 'zod';
import { parseInput } from '../validate.js';
import type { TrainingBackend } from './backend.js';
import { BatchBackend } from './batch/batch-backend.js';
import { BatchRest } from './batch/batch-rest.js';
import { blobLister } from './batch/blob-lister.js';
import type { Compute } from './compute.js';

type Settings = Record<string, string | undefined>;

const batchSettingsSchema = z.object({
  BATCH_ACCOUNT_ENDPOINT: z.url({ protocol: /^https$/ }),
  BATCH_NODE_IDENTITY_ID: z
    .string()
    .regex(/\/userAssignedIdentities\//i, 'an ARM id of a user-assigned identity'),
  BATCH_POOL_CPU: z.string().min(1).default('train-cpu'),
  BATCH_POOL_GPU: z.string().min(1).default('train-gpu'),
  BATCH_IMAGE_CPU: z.string().min(1),
  BATCH_IMAGE_GPU: z.string().min(1),
  BATCH_REGISTRY_SERVER: z.string().min(1).optional(),
});

export interface TrainingTarget {
  compute: Compute;
  backend: TrainingBackend;
  /** The trainer program and its arguments as the backend's nodes run it (see DESIGN.md, trainer contract). */
  command(args: readonly string[]): string[];
}

export function usesBatch(settings: Settings = process.env): boolean {
  return (
    settings.TRAINING_BACKEND === 'batch' || (!settings.TRAINING_BACKEND && !!settings.BATCH_ACCOUNT_ENDPOINT)
  );
}

export function trainingTarget(
  compute: Compute | undefined,
  local: () => TrainingBackend,
  settings: Settings = process.env,
): TrainingTarget {
  const chosen = compute ?? 'cpu';
  if (!usesBatch(settings))
    return { compute: chosen, backend: local(), command: (args) => localTrainer(chosen, args) };
  const batch = parseInput(batchSettingsSchema, settings, 'Azure Batch settings', 'INVALID_CONFIG');
  const credential = new DefaultAzureCredential();
  const gpu = chosen === 'gpu';
  const backend = new BatchBackend({
    rest: new BatchRest({ endpoint: batch.BATCH_ACCOUNT_ENDPOINT, credential }),
    listBlobs: blobLister(credential),
    pool: {
      poolId: gpu ? batch.BATCH_POOL_GPU : batch.BATCH_POOL_CPU,
      nodeIdentityId: batch.BATCH_NODE_IDENTITY_ID,
      container: {
        imageName: gpu ? batch.BATCH_IMAGE_GPU : batch.BATCH_IMAGE_CPU,
        ...(batch.BATCH_REGISTRY_SERVER ? { registryServer: batch.BATCH_REGISTRY_SERVER } : {}),
        // Nodes of the GPU pool expose their GPUs to the container; the CPU image needs nothing.
        runOptions: gpu ? '--rm --gpus all' : '--rm',
      },
    },
  });
  return { compute: chosen, backend, command: (args) => containerTrainer(chosen, args) };
}

/** The trainer images (trainers/*\/Dockerfile) put each trainer at a fixed path. */
function containerTrainer(compute: Compute, args: readonly string[]): string[] {
  return compute === 'gpu'
    ? ['python3', '/app/trainers/gpu/train.py', ...args]
    : ['node', '/app/dist/trainers/tabular/cli.js', ...args];
}

/** This checkout's trainers: compiled JavaScript under dist/, or the TypeScript sources through tsx. */
function localTrainer(compute: Compute, args: readonly string[]): string[] {
  const fromRoot = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));
  if (compute === 'gpu') {
    const script = ['../trainers/gpu/train.py', 'trainers/gpu/train.py']
      .map(fromRoot)
      .find((p) => existsSync(p));
    return ['/usr/bin/python3', script ?? fromRoot('trainers/gpu/train.py'), ...args];
  }
  const compiled = fromRoot('trainers/tabular/cli.js');
  if (existsSync(compiled)) return [process.execPath, compiled, ...args];
  return [process.execPath, '--import', 'tsx', fromRoot('trainers/tabular/cli.ts'), ...args];
}
