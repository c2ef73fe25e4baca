// A data file in Blob Storage opened for one streaming pass, pinned to the version (ETag) it
// had when opened, so a file replaced mid-read fails the pass instead of mixing two versions.
// Its SHA-256 is computed on the way: CSV as it streams, Parquet (read by ranges, a row group
// at a time) by one sequential read of its own.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { BlobClient } from '@azure/storage-blob';
import type { AsyncBuffer } from 'hyparquet';
import { readCsvChunks, readParquetChunks, type ChunkedFile, type ChunkOptions } from './read-chunks.js';

export type TableFormat = 'csv' | 'parquet';

export const formatOf = (name: string): TableFormat =>
  name.toLowerCase().endsWith('.parquet') ? 'parquet' : 'csv';

export interface OpenTable {
  readonly file: ChunkedFile;
  /** The file's SHA-256, once it has been read to the end. */
  readonly sha256: Promise<string>;
  /** Stops reading (a file given up before its end). */
  close(): void;
}

/** The blob as hyparquet's random-access buffer: every slice is one ranged read of that version. */
function blobBuffer(blob: BlobClient, size: number, etag: string): AsyncBuffer {
  return {
    byteLength: size,
    slice: async (start, end = size) => {
      const bytes = await blob.downloadToBuffer(start, end - start, { conditions: { ifMatch: etag } });
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    },
  };
}

export async function openBlobTable(
  blob: BlobClient,
  format: TableFormat,
  options: ChunkOptions,
): Promise<OpenTable> {
  const properties = await blob.getProperties();
  const conditions = { ifMatch: properties.etag };
  const hash = createHash('sha256');
  const hashed = async (body: NodeJS.ReadableStream | undefined) => {
    const stream = body as Readable;
    stream.on('data', (chunk: Buffer) => hash.update(chunk));
    await finished(stream);
    return hash.digest('hex');
  };
  if (format === 'csv') {
    const body = (await blob.download(0, undefined, { conditions })).readableStreamBody as Readable;
    const sha256 = hashed(body);
    sha256.catch(() => {});
    return { file: await readCsvChunks(body, options), sha256, close: () => body.destroy() };
  }
  const buffer = blobBuffer(blob, properties.contentLength ?? 0, properties.etag ?? '*');
  const file = await readParquetChunks(buffer, options);
  // Started only once the footer is read, so a refused file (too large, not Parquet) costs no full read.
  const download = blob.download(0, undefined, { conditions });
  const sha256 = download.then((d) => hashed(d.readableStreamBody));
  sha256.catch(() => {});
  let closed = false;
  return {
    file,
    sha256,
    close: () => {
      if (closed) return;
      closed = true;
      void download.then((d) => (d.readableStreamBody as Readable | undefined)?.destroy()).catch(() => {});
    },
  };
}
