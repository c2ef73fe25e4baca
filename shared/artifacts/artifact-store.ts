// The port for immutable artifacts: bytes at a path that can be written once and read many
// times. Implementations fail only with CONFLICT (the path was written before), NOT_FOUND and
// DEPENDENCY_UNAVAILABLE.

export type ArtifactMetadata = Record<string, string>;

export interface StoredArtifact {
  readonly bytes: Buffer;
  readonly metadata: ArtifactMetadata;
}

export interface ArtifactStore {
  /** Refuses (CONFLICT) when anything is already stored at `path`, so nothing is ever overwritten. */
  putOnce(path: string, bytes: Uint8Array, metadata: ArtifactMetadata): Promise<void>;
  get(path: string): Promise<StoredArtifact>;
}
