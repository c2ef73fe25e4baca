// Lists what a Batch node uploaded, with the app's own identity (the node wrote with the pool's).
import type { TokenCredential } from '@azure/core-auth';
import { ContainerClient, type StorageSharedKeyCredential } from '@azure/storage-blob';
import type { ListBlobs } from './batch-backend.js';

export function blobLister(credential: TokenCredential | StorageSharedKeyCredential): ListBlobs {
  return async (containerUrl, prefix) => {
    const names: string[] = [];
    for await (const blob of new ContainerClient(containerUrl, credential).listBlobsFlat({ prefix })) {
      names.push(blob.name);
    }
    return names;
  };
}
