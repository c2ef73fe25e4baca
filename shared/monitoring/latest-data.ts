// The newest data set of a model (`datasets/{model}/`) and its newest labelled feedback file
// (`feedback/{model}/`), by last write, with their SHA-256 (streamed, as the ingest records it).
import { createHash } from 'node:crypto';
import type { BlobServiceClient } from '@azure/storage-blob';
import { storageError, storageStatus } from '../storage-status.js';
import type { DataRef } from './retrain.js';

async function newest(
  service: BlobServiceClient,
  container: string,
  model: string,
): Promise<DataRef | undefined> {
  const client = service.getContainerClient(container);
  let found: { name: string; at: number } | undefined;
  try {
    for await (const blob of client.listBlobsFlat({ prefix: `${model}/` })) {
      if (!/\.(csv|parquet)$/i.test(blob.name)) continue;
      const at = blob.properties.lastModified.getTime();
      if (!found || at > found.at || (at === found.at && blob.name > found.name))
        found = { name: blob.name, at };
    }
  } catch (error) {
    if (storageStatus(error) === 404) return undefined;
    throw storageError(error, `Listing ${container}/${model}/`);
  }
  if (!found) return undefined;
  const hash = createHash('sha256');
  const body = (await client.getBlobClient(found.name).download()).readableStreamBody;
  if (body) for await (const chunk of body) hash.update(chunk as Buffer);
  return { uri: `${container}/${found.name}`, sha256: hash.digest('hex') };
}

export async function latestData(service: BlobServiceClient, model: string): Promise<DataRef[]> {
  const found = await Promise.all([newest(service, 'datasets', model), newest(service, 'feedback', model)]);
  return found.filter((ref): ref is DataRef => ref !== undefined);
}
