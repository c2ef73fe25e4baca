// Artifacts in process memory, for unit tests. `tamper` stands in for someone changing bytes
// in storage behind the registry's back, which the blob store's tests do for real.
import { artifactExists, artifactNotFound } from './artifact-errors.js';
import type { ArtifactMetadata, ArtifactStore, StoredArtifact } from './artifact-store.js';

export class MemoryArtifactStore implements ArtifactStore {
  private readonly artifacts = new Map<string, StoredArtifact>();

  async putOnce(path: string, bytes: Uint8Array, metadata: ArtifactMetadata): Promise<void> {
    if (this.artifacts.has(path)) throw artifactExists(path);
    this.artifacts.set(path, { bytes: Buffer.from(bytes), metadata: { ...metadata } });
  }

  async get(path: string): Promise<StoredArtifact> {
    const found = this.artifacts.get(path);
    if (!found) throw artifactNotFound(path);
    return { bytes: Buffer.from(found.bytes), metadata: { ...found.metadata } };
  }

  tamper(path: string, bytes: Uint8Array): void {
    const found = this.artifacts.get(path);
    if (!found) throw artifactNotFound(path);
    this.artifacts.set(path, { ...found, bytes: Buffer.from(bytes) });
  }
}
