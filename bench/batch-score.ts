// Batch scoring end to end: 20 CSV files of 50,000 rows (BENCH_BATCH_FILES, BENCH_BATCH_ROWS)
// under one partition in Azurite, scored through the product's batch run (POST to the host,
// the orchestration, one activity per file reading, checking, scoring and writing in chunks,
// the manifest), rows/s from the request to the manifest. Baseline: one plain Node process
// doing the same read -> check -> score -> write with the same modules on local files.
//
// What bounds it: CPU. Each file costs parsing, row checks, onnxruntime and formatting, in
// both runs; the batch run adds blob reads and staged block writes to Azurite (another process
// on the same cores), the task hub's episodes, and the registry lookups at the start.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { BlobServiceClient } from '@azure/storage-blob';
import { startAzurite } from '../local/emulators/azurite.js';
import { startCosmosEmulator } from '../local/emulators/cosmos.js';
import { defaultExtensions } from '../local/default-extensions.js';
import { startHost, type RunningHost } from '../local/host/host.js';
import { createLogger } from '../local/host/logger.js';
import { BlobArtifactStore } from '../shared/artifacts/blob-artifact-store.js';
import { sha256Hex } from '../shared/artifacts/checksum.js';
import type { BatchRunView } from '../shared/batch/batch-runs.js';
import { readCsvChunks } from '../shared/data/read-chunks.js';
import { featureColumns, outputHeader, outputLines, prepareChunk } from '../shared/batch/score-chunk.js';
import { csvLines } from '../shared/data/csv-format.js';
import { interfaceOf } from '../shared/ml/model-interface.js';
import { exportGbdt } from '../shared/ml/export-gbdt.js';
import { openSession } from '../shared/ml/onnx-runtime.js';
import { runTable } from '../shared/scoring/model-run.js';
import { cosmosClient, cosmosSettings } from '../shared/registry/cosmos-connection.js';
import { CosmosRegistryStore } from '../shared/registry/cosmos-registry-store.js';
import { artifactContainer } from '../shared/artifacts/artifact-paths.js';
import { newVersionSchema } from '../shared/registry/model-version.js';
import { signatureOf } from '../shared/registry/onnx-signature.js';
import { publishVersion } from '../shared/registry/publish-version.js';
import { generateMatrix, tableOf, trainOnMatrix } from './python/synthetic-matrix.js';
import { round, throughputRatio, type Benchmark } from './result.js';

const files = Number(process.env.BENCH_BATCH_FILES ?? 20);
const rows = Number(process.env.BENCH_BATCH_ROWS ?? 50_000);
const chunkRows = 10_000;
const key = 'bench-batch-key';
// Compiled benchmarks run from dist/bench; `tsx bench/...` runs them from source.
const app = fileURLToPath(
  new URL(
    import.meta.url.includes('/dist/bench/')
      ? '../functions/batch-scoring.js'
      : '../functions/batch-scoring.ts',
    import.meta.url,
  ),
);

async function baseline(model: Uint8Array, inputs: string[], outDir: string): Promise<void> {
  const scoring = interfaceOf(model);
  const session = await openSession(model);
  for (const input of inputs) {
    const file = await readCsvChunks(createReadStream(input), { chunkRows });
    const positions = featureColumns(file.header, scoring.features);
    const out = createWriteStream(join(outDir, `${input.split('/').pop()}.out.csv`));
    const write = async (text: string) => {
      if (!out.write(text)) await once(out, 'drain');
    };
    await write(outputHeader(file.header, scoring));
    for await (const chunk of file.chunks) {
      const prepared = prepareChunk(chunk, file.header.length, scoring.features, positions);
      const scores = await runTable(session, scoring.features, prepared.table);
      await write(outputLines(chunk, prepared, scores, scoring));
    }
    out.end();
    await once(out, 'finish');
  }
  await session.release();
}

const benchmark: Benchmark = async (progress) => {
  const workspace = await mkdtemp(join(tmpdir(), 'bench-batch-'));
  const [azurite, cosmos] = await Promise.all([
    startAzurite({ location: join(workspace, 'azurite') }),
    startCosmosEmulator(),
  ]);
  const client = cosmosClient(cosmosSettings({ COSMOS_CONNECTION_STRING: cosmos.connectionString }));
  let host: RunningHost | undefined;
  try {
    progress(`training a 100-tree model and writing ${files} files of ${rows} rows`);
    const bytes = exportGbdt(trainOnMatrix(generateMatrix(20_000, 10, 3), { maxRounds: 100 }).model, 'bench');
    const text = [...csvLines(tableOf(generateMatrix(rows, 10, 4)))].join('');
    const local = join(workspace, 'inputs');
    await mkdir(join(workspace, 'outputs'), { recursive: true });
    await mkdir(local);
    const inputs = Array.from({ length: files }, (_, i) =>
      join(local, `part-${String(i).padStart(2, '0')}.csv`),
    );
    await Promise.all(inputs.map((path) => writeFile(path, text)));

    progress('baseline: one plain process, local files');
    let began = performance.now();
    await baseline(bytes, inputs, join(workspace, 'outputs'));
    const baselineRate = (files * rows) / ((performance.now() - began) / 1000);
    progress(`baseline: ${round(baselineRate, 0)} rows/s`);

    const registry = await CosmosRegistryStore.open(client, 'bench');
    const blobs = BlobServiceClient.fromConnectionString(azurite.connectionString);
    const version = newVersionSchema.parse({
      model: 'bench',
      runId: 'bench-run',
      artifact: { sha256: sha256Hex(bytes), size: bytes.length },
      signature: signatureOf(interfaceOf(bytes)),
      metrics: {},
      dataset: { uri: 'datasets/bench/train.csv', sha256: sha256Hex(Buffer.from(text)) },
      trainer: { name: 'bench' },
    });
    await publishVersion(registry, await BlobArtifactStore.open(blobs, artifactContainer), version, bytes);
    await registry.promote('bench', 'champion', 1, { actor: 'bench' });
    const container = blobs.getContainerClient('scoring-input');
    await container.createIfNotExists();
    for (const path of inputs)
      await container.getBlockBlobClient(`bench/p1/${path.split('/').pop()}`).uploadData(Buffer.from(text));

    const appDir = join(workspace, 'app');
    await mkdir(appDir);
    await writeFile(join(appDir, 'package.json'), JSON.stringify({ type: 'module', main: app }));
    await writeFile(
      join(appDir, 'host.json'),
      JSON.stringify({ version: '2.0', extensions: { durableTask: { hubName: 'BenchBatch' } } }),
    );
    await writeFile(
      join(appDir, 'local.settings.json'),
      JSON.stringify({
        Values: {
          AzureWebJobsStorage: azurite.connectionString,
          COSMOS_CONNECTION_STRING: cosmos.connectionString,
          COSMOS_DATABASE: 'bench',
          FUNCTIONS_FUNCTION_KEY: key,
          BATCH_SCORING_SCHEDULE: '0 0 0 1 1 *',
        },
      }),
    );
    host = await startHost({
      appDir,
      port: 0,
      extensions: defaultExtensions(),
      log: createLogger({ level: 'warn' }),
    });
    progress('batch run through the host');
    began = performance.now();
    const started = await fetch(`${host.url}/api/batch-scoring/bench`, {
      method: 'POST',
      headers: { 'x-functions-key': key },
      body: JSON.stringify({ partition: 'p1' }),
    });
    const { statusUri } = (await started.json()) as { statusUri: string };
    let view: BatchRunView;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const response = await fetch(statusUri, { headers: { 'x-functions-key': key } });
      // A poll that fails (a busy machine) is only a missed look at a run that goes on.
      if (!response.ok) continue;
      view = (await response.json()) as BatchRunView;
      if (view.status !== 'running') break;
    }
    const seconds = (performance.now() - began) / 1000;
    if (view.status !== 'succeeded' || view.manifest?.totals.scored !== files * rows)
      throw new Error(`the batch run ended ${view.status}: ${JSON.stringify(view.manifest?.totals)}`);
    const rate = (files * rows) / seconds;
    progress(`batch run: ${round(rate, 0)} rows/s (${round(seconds, 1)} s)`);
    return {
      name: 'batch-score',
      value: round(rate, 0),
      unit: 'rows/s',
      baseline: round(baselineRate, 0),
      ratio: throughputRatio(rate, baselineRate),
    };
  } finally {
    await host?.stop();
    client.dispose();
    await Promise.all([azurite.stop(), cosmos.stop()]);
    await rm(workspace, { recursive: true, force: true });
  }
};

export default benchmark;
