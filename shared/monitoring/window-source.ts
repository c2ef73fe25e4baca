// Reads a monitoring window from Blob Storage into a WindowProfiler: the captured scoring
// requests of the version (`inference-logs/{model}/{yyyy-mm-dd}/{hh}/*.jsonl`, only the hours
// the window touches are listed) and the outputs of batch-scoring runs of the version whose
// manifest was written in the window (`scoring-output/{model}/{runId}/`: input columns plus
// `prediction`). Everything is streamed; memory stays that of the profile builders.
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { BlobServiceClient, ContainerClient } from '@azure/storage-blob';
import { z } from 'zod';
import { manifestName, outputContainer } from '../batch/batch-layout.js';
import { readCsvChunks } from '../data/read-chunks.js';
import { storageError, storageStatus } from '../storage-status.js';
import type { WindowProfiler } from './window-profiler.js';

export interface TimeWindow {
  readonly from: Date;
  readonly to: Date;
}

export interface WindowCounts {
  /** Captured request rows in the window for the version. */
  requests: number;
  /** Batch-scored rows of the version's runs finished in the window. */
  batch: number;
  /** Lines that were not a captured row (malformed JSON, no inputs). */
  skipped: number;
}

const hourMs = 3_600_000;

/** The `{yyyy-mm-dd}/{hh}/` folders a window touches. */
export function hourPrefixes(window: TimeWindow): string[] {
  const prefixes: string[] = [];
  for (let t = Math.floor(window.from.getTime() / hourMs) * hourMs; t < window.to.getTime(); t += hourMs) {
    const iso = new Date(t).toISOString();
    prefixes.push(`${iso.slice(0, 10)}/${iso.slice(11, 13)}/`);
  }
  return prefixes;
}

async function* blobsUnder(container: ContainerClient, prefix: string) {
  try {
    for await (const blob of container.listBlobsFlat({ prefix })) yield blob;
  } catch (error) {
    if (storageStatus(error) !== 404) throw storageError(error, 'Listing the monitoring window');
  }
}

async function download(container: ContainerClient, name: string): Promise<Readable> {
  const response = await container.getBlobClient(name).download();
  return response.readableStreamBody as Readable;
}

/** Adds one JSON Lines row if it belongs to the window and version; returns whether it was a row at all. */
function addCaptured(
  line: string,
  version: number,
  window: TimeWindow,
  profiler: WindowProfiler,
): 'added' | 'outside' | 'skipped' {
  let row: { ts?: unknown; version?: unknown; inputs?: unknown; outputs?: { prediction?: unknown } };
  try {
    row = JSON.parse(line) as typeof row;
  } catch {
    return 'skipped';
  }
  if (typeof row !== 'object' || row === null || typeof row.inputs !== 'object' || row.inputs === null)
    return 'skipped';
  const ts = typeof row.ts === 'string' ? Date.parse(row.ts) : Number.NaN;
  if (Number(row.version) !== version || !(ts >= window.from.getTime() && ts < window.to.getTime()))
    return 'outside';
  const inputs = row.inputs as Record<string, unknown>;
  profiler.add((name) => inputs[name], row.outputs?.prediction);
  return 'added';
}

/** What one read of a window needs and counts. */
interface WindowRead {
  readonly service: BlobServiceClient;
  readonly model: string;
  readonly version: number;
  readonly window: TimeWindow;
  readonly profiler: WindowProfiler;
  readonly counts: WindowCounts;
}

async function readCaptured({
  service,
  model,
  version,
  window,
  profiler,
  counts,
}: WindowRead): Promise<void> {
  const container = service.getContainerClient('inference-logs');
  for (const hour of hourPrefixes(window)) {
    for await (const blob of blobsUnder(container, `${model}/${hour}`)) {
      if (!blob.name.endsWith('.jsonl')) continue;
      const lines = createInterface({ input: await download(container, blob.name), crlfDelay: Infinity });
      for await (const line of lines) {
        if (line.trim() === '') continue;
        const outcome = addCaptured(line, version, window, profiler);
        if (outcome === 'added') counts.requests += 1;
        else if (outcome === 'skipped') counts.skipped += 1;
      }
    }
  }
}

const manifestSchema = z.object({
  version: z.coerce.number(),
  status: z.string().optional(),
  files: z.array(z.object({ output: z.string().optional() })).default([]),
});

async function readBatch({ service, model, version, window, profiler, counts }: WindowRead): Promise<void> {
  const container = service.getContainerClient(outputContainer);
  // A manifest names each output by its path with the container first (batch-layout's outputUri).
  const inContainer = `${outputContainer}/`;
  for await (const blob of blobsUnder(container, `${model}/`)) {
    const written = blob.properties.lastModified.getTime();
    if (
      !blob.name.endsWith(`/${manifestName}`) ||
      written < window.from.getTime() ||
      written >= window.to.getTime()
    )
      continue;
    const body = await container.getBlobClient(blob.name).downloadToBuffer();
    const manifest = manifestSchema.safeParse(JSON.parse(body.toString('utf8')));
    if (!manifest.success || manifest.data.version !== version || manifest.data.status === 'failed') continue;
    for (const { output } of manifest.data.files) {
      if (!output?.startsWith(inContainer)) continue;
      counts.batch += await addCsv(await download(container, output.slice(inContainer.length)), profiler);
    }
  }
}

/** Adds every row of a scored CSV (input columns, then `prediction`); returns the row count. */
async function addCsv(stream: Readable, profiler: WindowProfiler): Promise<number> {
  // The product's one CSV reader; a window may hold outputs of any size, read a chunk at a time.
  const file = await readCsvChunks(stream, { chunkRows: 4_096, maxBytes: Number.POSITIVE_INFINITY });
  const header = new Map(file.header.map((name, i) => [name, i]));
  const prediction = header.get('prediction');
  let rows = 0;
  for await (const chunk of file.chunks) {
    for (const cells of chunk.rows) {
      const at = (name: string) => {
        const index = header.get(name);
        return index === undefined ? undefined : (cells[index] as string | undefined);
      };
      profiler.add(at, prediction === undefined ? undefined : (cells[prediction] as string | undefined));
      rows += 1;
    }
  }
  return rows;
}

/** Feeds the version's rows in the window to the profiler. */
export async function readWindow(
  service: BlobServiceClient,
  model: string,
  version: number,
  window: TimeWindow,
  profiler: WindowProfiler,
): Promise<WindowCounts> {
  const read: WindowRead = {
    service,
    model,
    version,
    window,
    profiler,
    counts: { requests: 0, batch: 0, skipped: 0 },
  };
  await readCaptured(read);
  await readBatch(read);
  return read.counts;
}
