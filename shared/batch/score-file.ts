// Scores one input file of a run into its output (and rejects) file: read a chunk, check its
// rows, score the valid ones, stage the lines, repeat; commit the rejects, then the output.
// The output's commit is the file's completion mark and carries the file's counts, so a retry,
// a replay or a duplicate activity that finds it reads the counts back and moves on.
import type { ContainerClient } from '@azure/storage-blob';
import { openBlobTable, type OpenTable } from '../data/blob-table.js';
import { isPlatformError } from '../errors.js';
import { ignoreStatus } from '../storage-status.js';
import type { ServedModel } from '../scoring/model-cache.js';
import type { ArtifactOwner } from '../artifacts/model-artifacts.js';
import { inputUri, outputUri, partitionPrefix, runFolder, type InputFile } from './batch-layout.js';
import { failedFile, type FileResult } from './batch-manifest.js';
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

export async function scoreFile(deps: ScoreFileDeps, input: ScoreFileInput): Promise<ScoreFileOutcome> {
  const folder = runFolder(input.model, input.runId);
  const outputBlob = deps.outputs.getBlockBlobClient(`${folder}${input.input.output}`);
  const existing = await outputBlob.getProperties().catch(ignoreStatus(404));
  if (existing) return { result: resultFromMetadata(input, existing.metadata ?? {}), written: false };

  const inputBlob = deps.inputs.getBlobClient(
    `${partitionPrefix(input.model, input.partition)}${input.input.file}`,
  );
  let opened: OpenTable | undefined;
  try {
    const served = await deps.loadModel(input);
    const model = served.meta;
    opened = await openBlobTable(inputBlob, input.input.format, { chunkRows: input.chunkRows });
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
