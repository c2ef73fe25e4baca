// Scores one input file of a run into its output (and rejects) file: read a chunk, check its
// rows, score the valid ones, stage the lines, repeat; commit the rejects, then the output.
// The output's commit is the file's completion mark and carries the file's counts, so a retry,
// a replay or a duplicate activity that finds it reads the counts back and moves on.
import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import type { BlobClient, ContainerClient } from '@azure/storage-blob';
import type { AsyncBuffer } from 'hyparquet';
import { isPlatformError } from '../errors.js';
import type { ModelInterface } from '../ml/model-interface.js';
import { scoreTable, type Session } from '../ml/onnx-runtime.js';
import type { ArtifactOwner } from '../artifacts/model-artifacts.js';
import {
  inputContainer,
  outputContainer,
  partitionPrefix,
  runFolder,
  type InputFile,
} from './batch-layout.js';
import type { FileResult } from './batch-manifest.js';
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

export interface ScoringModel {
  readonly session: Session;
  readonly model: ModelInterface;
}

export interface ScoreFileDeps {
  readonly inputs: ContainerClient;
  readonly outputs: ContainerClient;
  loadModel(owner: ArtifactOwner): Promise<ScoringModel>;
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

function uris(input: ScoreFileInput) {
  const folder = runFolder(input.model, input.runId);
  return {
    input: `${inputContainer}/${partitionPrefix(input.model, input.partition)}${input.input.file}`,
    output: `${outputContainer}/${folder}${input.input.output}`,
    rejects: `${outputContainer}/${folder}${input.input.rejects}`,
  };
}

function resultFromMetadata(input: ScoreFileInput, metadata: Record<string, string>): FileResult {
  const where = uris(input);
  const number = (key: string) => Number(metadata[key] ?? 0);
  const rejected = number('rejected');
  return {
    file: input.input.file,
    status: 'scored',
    input: where.input,
    inputSha256: metadata.inputsha256,
    rows: number('rows'),
    scored: number('scored'),
    rejected,
    output: where.output,
    sha256: metadata.sha256,
    ...(rejected > 0 ? { rejects: where.rejects } : {}),
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

async function openInput(
  blob: BlobClient,
  input: ScoreFileInput,
): Promise<{ file: ChunkedFile; sha256: Promise<string> }> {
  const properties = await blob.getProperties();
  const conditions = { ifMatch: properties.etag };
  const hash = createHash('sha256');
  if (input.input.format === 'csv') {
    const download = await blob.download(0, undefined, { conditions });
    let done!: () => void;
    const hashed = new Promise<void>((resolve) => (done = resolve));
    const tap = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        callback(null, chunk);
      },
      flush(callback) {
        done();
        callback();
      },
    });
    const body = download.readableStreamBody;
    body?.on('error', (error) => tap.destroy(error));
    body?.pipe(tap);
    const file = await readCsvChunks(tap, input.chunkRows);
    return { file, sha256: hashed.then(() => hash.digest('hex')) };
  }
  // Parquet is read by ranges; its checksum takes one sequential pass of its own.
  const sha256 = blob.download(0, undefined, { conditions }).then(async (download) => {
    for await (const chunk of download.readableStreamBody ?? []) hash.update(chunk as Buffer);
    return hash.digest('hex');
  });
  sha256.catch(() => {});
  const file = await readParquetChunks(
    blobBuffer(blob, properties.contentLength ?? 0, properties.etag ?? '*'),
    input.chunkRows,
  );
  return { file, sha256 };
}

export async function scoreFile(deps: ScoreFileDeps, input: ScoreFileInput): Promise<ScoreFileOutcome> {
  const folder = runFolder(input.model, input.runId);
  const outputBlob = deps.outputs.getBlockBlobClient(`${folder}${input.input.output}`);
  const existing = await outputBlob.getProperties().catch(() => undefined);
  if (existing) return { result: resultFromMetadata(input, existing.metadata ?? {}), written: false };

  const where = uris(input);
  const inputBlob = deps.inputs.getBlobClient(
    `${partitionPrefix(input.model, input.partition)}${input.input.file}`,
  );
  try {
    const { session, model } = await deps.loadModel(input);
    const { file, sha256 } = await openInput(inputBlob, input);
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
      const outputs = await scoreTable(session, prepared.table, model.features, input.chunkRows);
      await output.append(outputLines(chunk, prepared, outputs, model));
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
    // Bad data fails the file for good; anything else is thrown for the orchestrator to retry.
    if (!(isPlatformError(error) && error.code === 'INVALID_DATASET')) throw error;
    return {
      result: {
        file: input.input.file,
        status: 'failed',
        input: where.input,
        rows: 0,
        scored: 0,
        rejected: 0,
        error: error.message,
      },
      written: false,
    };
  }
}
