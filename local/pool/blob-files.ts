// Task inputs and outputs as blob URLs, the way Azure Batch stages resource files from and
// uploads output files to Blob Storage. The pool reaches the storage account through its own
// connection (Batch: the pool's managed identity); a URL outside that account is refused.
import type { BlobServiceClient, ContainerClient } from '@azure/storage-blob';
import { PlatformError } from '../../shared/errors.js';

export const isUrl = (location: string): boolean => /^https?:\/\//i.test(location);

/** The container and blob path a URL of the pool's account names. */
function blobOf(
  blobs: BlobServiceClient | undefined,
  url: string,
): { container: ContainerClient; path: string } {
  const base = blobs?.url.replace(/\/?$/, '/');
  if (!blobs || !base || !url.startsWith(base)) {
    throw new PlatformError(
      'INVALID_INPUT',
      `The pool cannot reach '${url}': it only stages blobs of its own storage account${base ? ` (${base})` : ''}.`,
      { url },
    );
  }
  const [container = '', ...rest] = url.slice(base.length).split('?')[0]!.split('/');
  return {
    container: blobs.getContainerClient(decodeURIComponent(container)),
    path: rest.map(decodeURIComponent).join('/'),
  };
}

export async function downloadBlob(
  blobs: BlobServiceClient | undefined,
  url: string,
  file: string,
): Promise<void> {
  const { container, path } = blobOf(blobs, url);
  await container.getBlobClient(path).downloadToFile(file);
}

/** Uploads `file` to `{destination}/{name}`; returns the blob's URL. */
export async function uploadBlob(
  blobs: BlobServiceClient | undefined,
  destination: string,
  name: string,
  file: string,
): Promise<string> {
  const { container, path } = blobOf(blobs, `${destination.replace(/\/$/, '')}/${name}`);
  await container.createIfNotExists();
  const blob = container.getBlockBlobClient(path);
  await blob.uploadFile(file);
  return blob.url;
}
