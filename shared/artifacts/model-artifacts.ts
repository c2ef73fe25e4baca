// Model artifacts under `models/{model}/{version}/model.onnx`, tied to the registry by their
// SHA-256: the version record holds the checksum, and every load that serves a model checks
// the bytes against it. The blob's own metadata is informative only; whoever can change the
// bytes can change it too, so it is never what a load trusts.
import { PlatformError } from '../errors.js';
import type { ArtifactRef } from '../registry/model-version.js';
import { artifactPath } from './artifact-paths.js';
import type { ArtifactStore } from './artifact-store.js';
import { sha256Hex } from './checksum.js';

export interface ArtifactOwner {
  readonly model: string;
  readonly version: number;
  readonly artifact: ArtifactRef;
}

function integrityError(owner: ArtifactOwner, actual: string, what: string): PlatformError {
  return new PlatformError(
    'INTEGRITY_ERROR',
    `${what} for model ${owner.model} version ${owner.version} has SHA-256 ${actual}, but the registry recorded ${owner.artifact.sha256}.`,
    {
      model: owner.model,
      version: owner.version,
      uri: owner.artifact.uri,
      expected: owner.artifact.sha256,
      actual,
    },
  );
}

/**
 * Stores the artifact of a registered version. Storing the same bytes again (a retried
 * pipeline step) is a no-op; different bytes are refused, and nothing is ever overwritten.
 */
export async function storeArtifact(
  store: ArtifactStore,
  owner: ArtifactOwner,
  bytes: Uint8Array,
): Promise<void> {
  const actual = sha256Hex(bytes);
  if (actual !== owner.artifact.sha256) throw integrityError(owner, actual, 'The artifact offered');
  const path = artifactPath(owner.model, owner.version);
  try {
    await store.putOnce(path, bytes, { model: owner.model, version: String(owner.version), sha256: actual });
  } catch (error) {
    if (!(error instanceof PlatformError && error.code === 'CONFLICT')) throw error;
    await loadVerifiedArtifact(store, owner);
  }
}

/** The artifact's bytes, only if they still hash to the checksum the registry recorded. */
export async function loadVerifiedArtifact(store: ArtifactStore, owner: ArtifactOwner): Promise<Buffer> {
  const { bytes } = await store.get(artifactPath(owner.model, owner.version));
  const actual = sha256Hex(bytes);
  if (actual !== owner.artifact.sha256) throw integrityError(owner, actual, 'The stored artifact');
  return bytes;
}
