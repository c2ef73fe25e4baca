// What the pipeline's steps talk to, opened once per process from app settings: Blob Storage
// (datasets, run files, model artifacts), the registry, and the training target of a compute
// (shared/training/training-target.ts: the local pool service, or Azure Batch when configured).
import type { BlobServiceClient } from '@azure/storage-blob';
import { artifactContainer } from '../artifacts/artifact-paths.js';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import { BlobArtifactStore } from '../artifacts/blob-artifact-store.js';
import { blobServiceFromSettings } from '../artifacts/blob-connection.js';
import { openRegistry } from '../registry/open-registry.js';
import type { RegistryStore } from '../registry/registry-store.js';
import type { Compute } from '../training/compute.js';
import { poolBackendFromSettings } from '../training/pool-backend.js';
import { trainingTarget, type TrainingTarget } from '../training/training-target.js';

type Settings = Record<string, string | undefined>;

export interface PipelineSettings {
  /** Training tasks are killed after this long (Batch's maxWallClockTime). */
  trainingTimeoutMs: number;
  /** How often the orchestrator asks the backend about a running task. */
  pollSeconds: number;
  /** Data sets above this size are refused before they are parsed to the end. */
  maxDatasetBytes?: number;
}

export interface PipelineServices {
  readonly blobs: BlobServiceClient;
  readonly artifacts: ArtifactStore;
  readonly registry: RegistryStore;
  /** The backend and trainer command line for a model's compute. */
  target(compute: Compute | undefined): TrainingTarget;
  readonly settings: PipelineSettings;
}

function positive(settings: Settings, name: string): number | undefined {
  const value = Number(settings[name]);
  return settings[name] && Number.isFinite(value) && value > 0 ? value : undefined;
}

export function pipelineSettings(settings: Settings = process.env): PipelineSettings {
  return {
    trainingTimeoutMs: (positive(settings, 'TRAINING_TIMEOUT_MINUTES') ?? 120) * 60_000,
    pollSeconds: positive(settings, 'TRAINING_POLL_SECONDS') ?? 5,
    maxDatasetBytes: positive(settings, 'DATASET_MAX_BYTES'),
  };
}

let opening: Promise<PipelineServices> | undefined;

export function openPipelineServices(settings: Settings = process.env): Promise<PipelineServices> {
  opening ??= (async () => {
    const blobs = blobServiceFromSettings(settings);
    const targets = new Map<string, TrainingTarget>();
    return {
      blobs,
      artifacts: await BlobArtifactStore.open(blobs, artifactContainer),
      registry: await openRegistry(settings),
      target(compute: Compute | undefined) {
        const key = compute ?? 'cpu';
        if (!targets.has(key))
          targets.set(
            key,
            trainingTarget(compute, () => poolBackendFromSettings(settings), settings),
          );
        return targets.get(key)!;
      },
      settings: pipelineSettings(settings),
    };
  })().catch((error: unknown) => {
    opening = undefined;
    throw error;
  });
  return opening;
}
