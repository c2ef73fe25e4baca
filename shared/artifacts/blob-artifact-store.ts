// Artifacts in a Blob Storage container. Write-once is enforced by the service itself
// (`If-None-Match: *`), so two racing writers cannot both succeed and nothing overwrites a
// published model, whatever the caller does.
import type { BlobServiceClient, ContainerClient } from '@azure/storage-blob';
import { artifactExists, artifactNotFound } from './artifact-errors.js';
import type { ArtifactMetadata, ArtifactStore, StoredArtifact } from './artifact-store.js';
import { storageError, storageStatus } from '../storage-status.js';

const store = 'Blob storage';

export class BlobArtifactStore implements ArtifactStore {
  private constructor(private readonly container: ContainerClient) {}

  /** Opens the container, creating it when missing. */
  static async open(service: BlobServiceClient, containerName: string): Promise<BlobArtifactStore> {
    const container = service.getContainerClient(containerName);
    try {
      await container.createIfNotExists();
    } catch (error) {
      throw storageError(error, store);
    }
    return new BlobArtifactStore(container);
  }

  async putOnce(path: string, bytes: Uint8Array, metadata: ArtifactMetadata): Promise<void> {
    try {
      await this.container.getBlockBlobClient(path).uploadData(bytes, {
        conditions: { ifNoneMatch: '*' },
        metadata,
        blobHTTPHeaders: { blobContentType: 'application/octet-stream' },
      });
    } catch (error) {
      const status = storageStatus(error);
      if (status === 409 || status === 412) throw artifactExists(path);
      throw storageError(error, store);
    }
  }

  async get(path: string): Promise<StoredArtifact> {
    const blob = this.container.getBlockBlobClient(path);
    try {
      const response = await blob.download();
      const bytes = await streamToBuffer(response.readableStreamBody);
      return { bytes, metadata: response.metadata ?? {} };
    } catch (error) {
      if (storageStatus(error) === 404) throw artifactNotFound(path);
      throw storageError(error, store);
    }
  }
}

async function streamToBuffer(stream: NodeJS.ReadableStream | undefined): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream ?? []) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}
