// Where a run keeps its working files (DESIGN.md section 4: `runs/{model}/{runId}/...`) and the
// few blob operations the steps need. Locations are container-relative (`runs/churn/...`), as
// in the registry, so they stay valid across storage accounts.
import type { BlobServiceClient, BlockBlobClient } from '@azure/storage-blob';

export function runPaths(model: string, runId: string) {
  const base = `runs/${model}/${runId}`;
  return {
    profile: `${base}/profile.json`,
    train: `${base}/data/train.csv`,
    validation: `${base}/data/validation.csv`,
    holdout: `${base}/data/holdout.csv`,
    trainerSpec: `${base}/trainer/spec.json`,
    /** The trainer's `out/` folder is uploaded here, so its files land in `trainer/out/`. */
    trainerOutput: `${base}/trainer`,
    model: `${base}/trainer/out/model.onnx`,
    trainerMetrics: `${base}/trainer/out/metrics.json`,
    baseline: `${base}/evaluation/profile.json`,
    report: `${base}/report.json`,
  };
}

export type RunPaths = ReturnType<typeof runPaths>;

export function blobAt(blobs: BlobServiceClient, uri: string): BlockBlobClient {
  const slash = uri.indexOf('/');
  return blobs.getContainerClient(uri.slice(0, slash)).getBlockBlobClient(uri.slice(slash + 1));
}

/** Writes a run file; the same step run again writes the same bytes, so overwriting is harmless. */
export async function writeBlob(
  blobs: BlobServiceClient,
  uri: string,
  body: string | Uint8Array,
): Promise<void> {
  const blob = blobAt(blobs, uri);
  await blobs.getContainerClient(blob.containerName).createIfNotExists();
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  await blob.uploadData(bytes);
}

export async function writeJson(blobs: BlobServiceClient, uri: string, value: unknown): Promise<void> {
  await writeBlob(blobs, uri, `${JSON.stringify(value, null, 2)}\n`);
}

export function readBlob(blobs: BlobServiceClient, uri: string): Promise<Buffer> {
  return blobAt(blobs, uri).downloadToBuffer();
}
