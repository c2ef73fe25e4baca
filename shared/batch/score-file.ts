// Scores one input file of a run into its output (and rejects) file: read a chunk, check its
// rows, score the valid ones, stage the lines, repeat; commit the rejects, then the output.
// The output's commit is the file's completion mark and carries the file's counts, so a retry,
// a replay or a duplicate activity that finds it reads the counts back and moves on.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { BlobClient, ContainerClient } from '@azure/storage-blob';
import type { AsyncBuffer } from 'hyparquet';
import { isPlatformError } from '../errors.js';
import { ignoreStatus } from '../storage-status.js';
import type { ServedModel } from '../scoring/model-cache.js';
import type { ArtifactOwner } from '../artifacts/model-artifacts.js';
import { inputUri, outputUri, partitionPrefix, runFolder, type InputFile } from './batch-layout.js';
import { failedFile, type FileResult } from './batch-manifest.js';
import { readCsvChunks, readParquetChunks, type ChunkedFile } from './read-chunks.js';
import {
  featureColumns,
  outputHeader,
  outputLines,
  prepareChunk,
  rejectLines,
  rejectsHeader,
} from './score-chunk.js';
import { StagedBlob } from './staged-blob.js';

export interface ScoreFileDeps {
  readonly inputs: ContainerClient;
  readonly outputs: ContainerClient;
  loadModel(owner: ArtifactOwner): Promise<ServedModel>;
}

export interface ScoreFileInput extends ArtifactOwner {
  readonly runId: string;
  readonly partition: string;
  readonly input: InputFile;
  readonly chunkRows: number;
}

export interface ScoreFileOutcome {
  readonly result: FileResult;
  /** False when the output was already there and this attempt only read it back. */
  readonly written: boolean;
}

function resultFromMetadata(input: ScoreFileInput, metadata: Record<string, string>): FileResult {
  const { model, runId, partition } = input;
  const number = (key: string) => Number(metadata[key] ?? 0);
  const rejected = number('rejected');
  return {
    file: input.input.file,
    status: 'scored',
    input: inputUri(model, partition, input.input.file),
    inputSha256: metadata.inputsha256,
    rows: number('rows'),
    scored: number('scored'),
    rejected,
    output: outputUri(model, runId, input.input.output),
    sha256: metadata.sha256,
    ...(rejected > 0 ? { rejects: outputUri(model, runId, input.input.rejects) } : {}),
  };
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

interface OpenInput {
  readonly file: ChunkedFile;
  /** The input's SHA-256, once it has been read to the end. */
  readonly sha256: Promise<string>;
  /** Stops reading (a file given up before its end). */
  close(): void;
}

/** Opens the input at its current version (ETag): a file replaced mid-read fails the attempt. */
async function openInput(blob: BlobClient, input: ScoreFileInput): Promise<OpenInput> {
  const properties = await blob.getProperties();
  const conditions = { ifMatch: properties.etag };
  const hash = createHash('sha256');
  const hashed = async (body: NodeJS.ReadableStream | undefined) => {
    const stream = body as Readable;
    stream.on('data', (chunk: Buffer) => hash.update(chunk));
    await finished(stream);
    return hash.digest('hex');
  };
  const download = blob.download(0, undefined, { conditions });
  if (input.input.format === 'csv') {
    const body = (await download).readableStreamBody as Readable;
    const sha256 = hashed(body);
    sha256.catch(() => {});
    return { file: await readCsvChunks(body, input.chunkRows), sha256, close: () => body.destroy() };
  }
  // Parquet is read by ranges; its checksum takes one sequential pass of its own.
  const sha256 = download.then((d) => hashed(d.readableStreamBody));
  sha256.catch(() => {});
  const buffer = blobBuffer(blob, properties.contentLength ?? 0, properties.etag ?? '*');
  return { file: await readParquetChunks(buffer, input.chunkRows), sha256, close: () => {} };
}

export async function scoreFile(deps: ScoreFileDeps, input: ScoreFileInput): Promise<ScoreFileOutcome> {
  const folder = runFolder(input.model, input.runId);
  const outputBlob = deps.outputs.getBlockBlobClient(`${folder}${input.input.output}`);
  const existing = await outputBlob.getProperties().catch(ignoreStatus(404));
  if (existing) return { result: resultFromMetadata(input, existing.metadata ?? {}), written: false };

  const inputBlob = deps.inputs.getBlobClient(
    `${partitionPrefix(input.model, input.partition)}${input.input.file}`,
  );
  let opened: OpenInput | undefined;
  try {
    const served = await deps.loadModel(input);
    const model = served.meta;
    opened = await openInput(inputBlob, input);
    const { file, sha256 } = opened;
    const positions = featureColumns(file.header, model.features);
    const output = new StagedBlob(outputBlob);
    const rejects = new StagedBlob(deps.outputs.getBlockBlobClient(`${folder}${input.input.rejects}`));
    await output.append(outputHeader(file.header, model));
    let rows = 0;
    let rejected = 0;
    for await (const chunk of file.chunks) {
      const prepared = prepareChunk(chunk, file.header.length, model.features, positions);
      rows += chunk.rows.length;
      if (prepared.rejects.length > 0) {
        if (rejected === 0) await rejects.append(rejectsHeader);
        rejected += prepared.rejects.length;
        await rejects.append(rejectLines(prepared.rejects));
      }
      if (prepared.kept.length === 0) continue;
      await output.append(outputLines(chunk, prepared, await served.score(prepared.table), model));
    }
    const inputSha256 = await sha256;
    const counts = { rows: String(rows), scored: String(rows - rejected), rejected: String(rejected) };
    // Rejects first: a committed output says its file is complete, rejects included.
    if (rejected > 0) await rejects.commit({ ...counts, inputsha256: inputSha256 });
    const committed = await output.commit({ ...counts, inputsha256: inputSha256 });
    if (!committed.committed) {
      const finished = await outputBlob.getProperties();
      return { result: resultFromMetadata(input, finished.metadata ?? {}), written: false };
    }
    return {
      result: resultFromMetadata(input, { ...counts, inputsha256: inputSha256, sha256: committed.sha256 }),
      written: true,
    };
  } catch (error) {
    opened?.close();
    // Bad data fails the file for good; anything else is thrown for the orchestrator to retry.
    if (!(isPlatformError(error) && error.code === 'INVALID_DATASET')) throw error;
    const failed = failedFile(
      input.input.file,
      inputUri(input.model, input.partition, input.input.file),
      error.message,
    );
    return { result: failed, written: false };
  }
}
