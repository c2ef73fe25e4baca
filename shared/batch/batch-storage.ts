// The two containers batch scoring works in: partitions and their files in `scoring-input`,
// run folders and manifests in `scoring-output`. Listings go one folder level at a time, so a
// name never reaches outside its folder.
import type { BlobServiceClient, ContainerClient } from '@azure/storage-blob';
import { storageStatus } from '../storage-status.js';
import { inputContainer, manifestName, outputContainer, runFolder } from './batch-layout.js';
import { batchManifestSchema, type BatchManifest } from './batch-manifest.js';

export interface BatchContainers {
  readonly inputs: ContainerClient;
  readonly outputs: ContainerClient;
}

export async function openBatchContainers(service: BlobServiceClient): Promise<BatchContainers> {
  const inputs = service.getContainerClient(inputContainer);
  const outputs = service.getContainerClient(outputContainer);
  await Promise.all([inputs.createIfNotExists(), outputs.createIfNotExists()]);
  return { inputs, outputs };
}

/** The names one level below `prefix`: sub-folders, or blobs when `blobs` is set. */
export async function listLevel(
  container: ContainerClient,
  prefix: string,
  blobs = false,
): Promise<string[]> {
  const names: string[] = [];
  for await (const item of container.listBlobsByHierarchy('/', { prefix })) {
    if ((item.kind === 'prefix') !== blobs) names.push(item.name.slice(prefix.length).replace(/\/$/, ''));
  }
  return names.sort();
}

export async function readManifest(
  outputs: ContainerClient,
  model: string,
  runId: string,
): Promise<BatchManifest | undefined> {
  try {
    const bytes = await outputs.getBlobClient(`${runFolder(model, runId)}${manifestName}`).downloadToBuffer();
    return batchManifestSchema.parse(JSON.parse(bytes.toString('utf8')));
  } catch (error) {
    if (storageStatus(error) === 404) return undefined;
    throw error;
  }
}

/** Writes the manifest once; a replay finds the one written before and returns that. */
export async function writeManifest(
  outputs: ContainerClient,
  manifest: BatchManifest,
): Promise<BatchManifest> {
  const body = JSON.stringify(manifest, null, 2);
  try {
    await outputs
      .getBlockBlobClient(`${runFolder(manifest.model, manifest.runId)}${manifestName}`)
      .upload(body, Buffer.byteLength(body), {
        conditions: { ifNoneMatch: '*' },
        blobHTTPHeaders: { blobContentType: 'application/json' },
      });
    return manifest;
  } catch (error) {
    const status = storageStatus(error);
    if (status !== 409 && status !== 412) throw error;
    return (await readManifest(outputs, manifest.model, manifest.runId)) ?? manifest;
  }
}

/** The manifests of a model's finished runs, oldest run folder first: what the drift monitor reads. */
export async function listManifests(outputs: ContainerClient, model: string): Promise<BatchManifest[]> {
  const runs = await listLevel(outputs, `${model}/`);
  const manifests = await Promise.all(runs.map((runId) => readManifest(outputs, model, runId)));
  return manifests.filter((m): m is BatchManifest => m !== undefined);
}
