// Reads a run's data from Blob Storage into one validated Dataset: each file streamed once
// through the SHA-256 it was dropped with (a blob overwritten since is refused, not trained on)
// and the platform's CSV or Parquet reader; several files are concatenated and must share the
// first one's columns and types. The last result is kept per process, so the validate, profile
// and split steps of one run read the data once when they run on the same instance.
import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobServiceClient } from '@azure/storage-blob';
import type { Dataset, DatasetOptions } from '../data/dataset.js';
import { readCsv } from '../data/read-csv.js';
import { readParquet } from '../data/read-parquet.js';
import type { Column } from '../data/table.js';
import { datasetError } from '../data/validate-dataset.js';
import { blobAt } from './run-blobs.js';
import type { DatasetRef } from './training-request.js';

/** One blob as a Dataset; with `ref.sha256`, only if the bytes still hash to it. */
export async function readBlobDataset(
  blobs: BlobServiceClient,
  ref: { uri: string; sha256?: string },
  options: DatasetOptions,
): Promise<Dataset> {
  const hash = createHash('sha256');
  const download = await blobAt(blobs, ref.uri).download();
  const body = download.readableStreamBody as NodeJS.ReadableStream;
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  let dataset: Dataset;
  if (ref.uri.toLowerCase().endsWith('.parquet')) {
    const chunks: Buffer[] = [];
    await pipeline(body, hashing, async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) chunks.push(chunk);
    });
    dataset = await readParquet(Buffer.concat(chunks), options);
  } else {
    const reading = readCsv(hashing, options);
    await Promise.all([pipeline(body, hashing).catch(() => undefined), reading]);
    dataset = await reading;
  }
  const actual = hash.digest('hex');
  if (ref.sha256 !== undefined && actual !== ref.sha256) {
    throw datasetError([
      {
        kind: 'MALFORMED_FILE',
        message: `${ref.uri} has SHA-256 ${actual}, not the ${ref.sha256} it was dropped with; it changed after upload, so upload it again`,
      },
    ]);
  }
  return dataset;
}

function concatColumn(parts: readonly Column[]): Column {
  if (parts.every((p) => p.kind === 'numeric')) {
    const values = new Float64Array(parts.reduce((n, p) => n + p.values.length, 0));
    let offset = 0;
    for (const part of parts) {
      values.set(part.values as Float64Array, offset);
      offset += part.values.length;
    }
    return { kind: 'numeric', values };
  }
  return { kind: 'categorical', values: parts.flatMap((p) => p.values as (string | null)[]) };
}

function concat(first: Dataset, rest: readonly Dataset[], refs: readonly DatasetRef[]): Dataset {
  rest.forEach((part, i) => {
    if (part.names.join('\n') !== first.names.join('\n')) {
      throw datasetError([
        {
          kind: 'MISSING_COLUMN',
          message: `${refs[i + 1]!.uri} has columns (${part.names.join(', ')}), not those of ${refs[0]!.uri} (${first.names.join(', ')})`,
        },
      ]);
    }
  });
  const all = [first, ...rest];
  const columns = new Map(
    first.names.map((name) => [name, concatColumn(all.map((d) => d.columns.get(name)!))]),
  );
  return { ...first, columns, rowCount: all.reduce((n, d) => n + d.rowCount, 0) };
}

let last: { key: string; dataset: Promise<Dataset> } | undefined;

export function readDatasets(
  blobs: BlobServiceClient,
  refs: readonly DatasetRef[],
  options: DatasetOptions,
): Promise<Dataset> {
  const key = JSON.stringify([refs, options]);
  if (last?.key === key) return last.dataset;
  const dataset = (async () => {
    const first = await readBlobDataset(blobs, refs[0]!, options);
    const rest: Dataset[] = [];
    // Later files take the first one's column types, so one schema describes the whole run.
    for (const ref of refs.slice(1))
      rest.push(await readBlobDataset(blobs, ref, { ...options, features: first.schema }));
    return rest.length === 0 ? first : concat(first, rest, refs);
  })();
  last = { key, dataset };
  dataset.catch(() => {
    if (last?.dataset === dataset) last = undefined;
  });
  return dataset;
}
