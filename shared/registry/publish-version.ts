// Registering a trained model: the registry assigns the version (idempotently, by run id),
// then the artifact goes to the path that version names. A crash between the two is repaired
// by running the step again: the run gets its version back and the same bytes are stored (or
// found already stored). Aliases only ever point at versions whose publish step returned.
import { storeArtifact } from '../artifacts/model-artifacts.js';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import type { NewVersion, Registration } from './model-version.js';
import type { RegistryStore } from './registry-store.js';

export async function publishVersion(
  registry: RegistryStore,
  artifacts: ArtifactStore,
  input: NewVersion,
  bytes: Uint8Array,
): Promise<Registration> {
  const registration = await registry.registerVersion(input);
  await storeArtifact(artifacts, registration.version, bytes);
  return registration;
}
