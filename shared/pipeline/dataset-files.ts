// How the pipeline's steps read data from Blob Storage. A run's data files are streamed, one
// chunk of rows at a time (memory bounded by the chunk, not the file), each pinned to its
// version and checked, once read, against the SHA-256 it was dropped with: a file changed since
// is refused, never trained on. The run's own small files (the holdout) are read whole.
import type { Readable } from 'node:stream';
import type { BlobServiceClient } from '@azure/storage-blob';
import { openBlobTable, formatOf } from '../data/blob-table.js';
import type { Dataset, DatasetOptions } from '../data/dataset.js';
import type { ChunkedFile } from '../data/read-chunks.js';
import { readCsv } from '../data/read-csv.js';
import { datasetError } from '../data/validate-dataset.js';
import { blobAt } from './run-blobs.js';
import type { DatasetRef } from './training-request.js';

const chunkRows = 4096;

/** Streams each data file of a run in turn through `visit`, then checks it was the file dropped. */
export async function forEachDatasetFile(
  blobs: BlobServiceClient,
  refs: readonly DatasetRef[],
  maxBytes: number | undefined,
  visit: (file: ChunkedFile, ref: DatasetRef, index: number) => Promise<void>,
): Promise<void> {
  for (const [index, ref] of refs.entries()) {
    const opened = await openBlobTable(blobAt(blobs, ref.uri), formatOf(ref.uri), { chunkRows, maxBytes });
    try {
      await visit(opened.file, ref, index);
      const actual = await opened.sha256;
      if (actual !== ref.sha256) {
        throw datasetError([
          {
            kind: 'MALFORMED_FILE',
            message: `${ref.uri} has SHA-256 ${actual}, not the ${ref.sha256} it was dropped with; it changed after upload, so upload it again`,
          },
        ]);
      }
    } finally {
      opened.close();
    }
  }
}

/** A run's own CSV file (written by the split) as a Dataset in memory. */
export async function readRunCsv(
  blobs: BlobServiceClient,
  uri: string,
  options: DatasetOptions,
): Promise<Dataset> {
  const download = await blobAt(blobs, uri).download();
  return readCsv(download.readableStreamBody as Readable, options);
}
