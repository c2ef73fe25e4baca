// Where a model trains, from app settings and the spec's `compute`: the backend that runs the
// task and the trainer command line for it. With `TRAINING_BACKEND=batch` (or a Batch endpoint
// set) tasks go to the Azure Batch pool for the compute, in that pool's trainer image;
// otherwise to the local pool the caller provides (shared/ cannot import local/), running the
// trainer from this checkout. The pipeline only sees { backend, command }.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultCredential } from '../azure-credential.js';
import { z } from 'zod';
import { parseInput } from '../validate.js';
import type { TrainingBackend } from './backend.js';
import { BatchBackend } from './batch/batch-backend.js';
import { BatchRest } from './batch/batch-rest.js';
import { blobLister } from './batch/blob-lister.js';
import type { Compute } from './compute.js';
import { usesBatch } from './pool-backend.js';

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

export function trainingTarget(
  compute: Compute | undefined,
  local: () => TrainingBackend,
  settings: Settings = process.env,
): TrainingTarget {
  const chosen = compute ?? 'cpu';
  if (!usesBatch(settings))
    return { compute: chosen, backend: local(), command: (args) => localTrainer(chosen, args) };
  return {
    compute: chosen,
    backend: batchBackendFor(chosen, settings),
    command: (args) => containerTrainer(chosen, args),
  };
}

/** The Batch backend on the pool for a compute, from the BATCH_* settings (INVALID_CONFIG naming a missing one). */
export function batchBackendFor(compute: Compute, settings: Settings = process.env): BatchBackend {
  const batch = parseInput(batchSettingsSchema, settings, 'Azure Batch settings', 'INVALID_CONFIG');
  const credential = defaultCredential;
  const gpu = compute === 'gpu';
  return new BatchBackend({
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
}

/** The trainer images (trainers/*\/Dockerfile) put each trainer at a fixed path. */
export function containerTrainer(compute: Compute, args: readonly string[]): string[] {
  return compute === 'gpu'
    ? ['python3', '/app/trainers/gpu/train.py', ...args]
    : ['node', '/app/dist/trainers/tabular/cli.js', ...args];
}

/** This checkout's trainers: compiled JavaScript under dist/, or the TypeScript sources through tsx. */
export function localTrainer(compute: Compute, args: readonly string[]): string[] {
  const fromRoot = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));
  if (compute === 'gpu') {
    const script = ['../trainers/gpu/train.py', 'trainers/gpu/train.py']
      .map(fromRoot)
      .find((p) => existsSync(p));
    return ['/usr/bin/python3', script ?? fromRoot('trainers/gpu/train.py'), ...args];
  }
  if (!import.meta.url.endsWith('.ts'))
    return [process.execPath, fromRoot('trainers/tabular/cli.js'), ...args];
  // The task runs in its own folder, so tsx is named by its location, not resolved from there.
  return [
    process.execPath,
    '--import',
    import.meta.resolve('tsx'),
    fromRoot('trainers/tabular/cli.ts'),
    ...args,
  ];
}
