// A registered model version. Everything but the archived flag is fixed at registration: the
// artifact's checksum, the data it was trained on, the run that produced it and its metrics.
import { z } from 'zod';
import { artifactUri } from '../artifacts/artifact-paths.js';
import { PlatformError } from '../errors.js';
import { modelNameSchema, runIdSchema, sha256Schema, versionNumberSchema } from './names.js';

const tensorSchema = z.strictObject({
  name: z.string().min(1).max(256),
  /** ONNX element type, lower-case: float, string, int64, double, bool, ... */
  type: z.string().min(1).max(32),
  /** Dimensions; a string names a symbolic dimension such as the batch size `N`. */
  shape: z.array(z.union([z.number().int().nonnegative(), z.string().min(1).max(64)])).max(16),
});

export const onnxSignatureSchema = z.strictObject({
  inputs: z.array(tensorSchema).min(1).max(10_000),
  outputs: z.array(tensorSchema).min(1).max(100),
});

const tagKey = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    'a tag key must be 1 to 64 letters, digits, dots, dashes or underscores',
  );

export const newVersionSchema = z.strictObject({
  model: modelNameSchema,
  /** The training run; registering the same run again returns the version it already made. */
  runId: runIdSchema,
  artifact: z.strictObject({ sha256: sha256Schema, size: z.number().int().nonnegative() }),
  signature: onnxSignatureSchema,
  metrics: z.record(z.string().min(1).max(64), z.number().finite()),
  dataset: z.strictObject({ uri: z.string().min(1).max(1024), sha256: sha256Schema }),
  profile: z.strictObject({ uri: z.string().min(1).max(1024), sha256: sha256Schema.optional() }).optional(),
  trainer: z.strictObject({
    name: z.string().min(1).max(256),
    version: z.string().max(64).optional(),
    params: z.record(z.string(), z.unknown()).default({}),
  }),
  /** The champion this version was evaluated against, if there was one. */
  parent: versionNumberSchema.optional(),
  classes: z.array(z.string()).max(10_000).optional(),
  tags: z.record(tagKey, z.string().max(256)).default({}),
});

export type NewVersion = z.output<typeof newVersionSchema>;
export type NewVersionInput = z.input<typeof newVersionSchema>;
export type OnnxSignature = z.output<typeof onnxSignatureSchema>;

export interface ArtifactRef {
  /** Container-relative, so a registry stays valid when copied between storage accounts. */
  readonly uri: string;
  readonly sha256: string;
  readonly size: number;
}

export interface ModelVersion extends Omit<NewVersion, 'artifact'> {
  readonly version: number;
  readonly artifact: ArtifactRef;
  readonly createdAt: string;
  readonly archived: boolean;
  readonly archivedAt?: string;
}

export interface Registration {
  readonly version: ModelVersion;
  /** False when the run had already registered this version (a replayed or retried step). */
  readonly created: boolean;
}

/** The version record a registration makes, from its validated input and assigned number. */
export function versionRecord(input: NewVersion, version: number, createdAt: string): ModelVersion {
  const { artifact, ...rest } = input;
  return {
    ...rest,
    version,
    artifact: { uri: artifactUri(input.model, version), sha256: artifact.sha256, size: artifact.size },
    createdAt,
    archived: false,
  };
}

/**
 * A replayed registration must describe the same model: the same run with a different artifact
 * means the trainer was not deterministic, and silently keeping either would break lineage.
 */
export function assertSameArtifact(existing: ModelVersion, input: NewVersion): void {
  if (existing.artifact.sha256 === input.artifact.sha256) return;
  throw new PlatformError(
    'CONFLICT',
    `Run ${input.runId} already registered ${input.model} version ${existing.version} with artifact ${existing.artifact.sha256}, not ${input.artifact.sha256}.`,
    {
      model: input.model,
      runId: input.runId,
      version: existing.version,
      registered: existing.artifact.sha256,
      offered: input.artifact.sha256,
    },
  );
}
