// What the pipeline's steps talk to, opened once per process from app settings: Blob Storage
// (datasets, run files, model artifacts), the registry, and the training backend.
import type { BlobServiceClient } from '@azure/storage-blob';
import { z } from 'zod';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import { BlobArtifactStore } from '../artifacts/blob-artifact-store.js';
import { blobServiceFromSettings } from '../artifacts/blob-connection.js';
import { artifactContainer } from '../artifacts/artifact-paths.js';
import { openRegistry } from '../registry/open-registry.js';
import type { RegistryStore } from '../registry/registry-store.js';
import type { TrainingBackend } from '../training/backend.js';
import { trainingBackendFromSettings } from '../training/backend-factory.js';
import type { Compute } from '../training/compute.js';
import { containerTrainer, localTrainer, usesBatch } from '../training/training-target.js';
import { parseInput } from '../validate.js';

export interface PipelineSettings {
  /** The trainer program a local pool runs for `compute: "cpu"`, before its arguments. */
  trainerCommand: string[];
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
  /** Where a model of this compute trains: the backend and the trainer program its nodes run. */
  training(compute: Compute | undefined): { backend: TrainingBackend; program: string[] };
  readonly settings: PipelineSettings;
}

function positive(settings: Record<string, string | undefined>, name: string): number | undefined {
  const value = Number(settings[name]);
  return settings[name] && Number.isFinite(value) && value > 0 ? value : undefined;
}

export function pipelineSettings(
  defaultTrainerCommand: string[],
  settings: Record<string, string | undefined> = process.env,
): PipelineSettings {
  const command = settings.TRAINER_COMMAND;
  return {
    trainerCommand: command ? parseCommand(command) : defaultTrainerCommand,
    trainingTimeoutMs: (positive(settings, 'TRAINING_TIMEOUT_MINUTES') ?? 120) * 60_000,
    pollSeconds: positive(settings, 'TRAINING_POLL_SECONDS') ?? 5,
    maxDatasetBytes: positive(settings, 'DATASET_MAX_BYTES'),
  };
}

function parseCommand(text: string): string[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return parseInput(
    z.array(z.string().min(1)).min(1),
    json,
    'TRAINER_COMMAND (a JSON array of strings)',
    'INVALID_CONFIG',
  );
}

/** One backend per compute, opened on first use; Batch runs each compute's trainer image. */
function trainingFromSettings(cpuTrainer: string[]): PipelineServices['training'] {
  const opened = new Map<Compute, { backend: TrainingBackend; program: string[] }>();
  const batch = usesBatch();
  return (compute = 'cpu') => {
    let training = opened.get(compute);
    if (!training) {
      const program = batch
        ? containerTrainer(compute, [])
        : compute === 'cpu'
          ? cpuTrainer
          : localTrainer(compute, []);
      training = { backend: trainingBackendFromSettings(process.env, compute), program };
      opened.set(compute, training);
    }
    return training;
  };
}

let opening: Promise<PipelineServices> | undefined;

export function openPipelineServices(settings: () => PipelineSettings): Promise<PipelineServices> {
  opening ??= (async () => {
    const blobs = blobServiceFromSettings();
    return {
      blobs,
      artifacts: await BlobArtifactStore.open(blobs, artifactContainer),
      registry: await openRegistry(),
      training: trainingFromSettings(settings().trainerCommand),
      settings: settings(),
    };
  })().catch((error: unknown) => {
    opening = undefined;
    throw error;
  });
  return opening;
}
