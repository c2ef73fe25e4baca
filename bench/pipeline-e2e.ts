// Journey 1 end to end: seconds from dropping a generated 100,000 x 20 CSV into `datasets/` to
// its version promoted, through the built app on the local host with Azurite, the Cosmos DB
// emulator and the training pool service. Baseline: the same steps (read and validate,
// profile, split, train, evaluate with onnxruntime) called one after another in this process,
// with nothing in between, before and after the pipeline (the mean of the two). Also the
// host's peak RSS (VmHWM). BENCH_RSS_ROWS=1000000 then drops
// a second, larger file for the host's peak RSS on it: opt-in, as it takes about 17 minutes on
// the shared machine. BENCH_ROWS scales the first file.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { BlobServiceClient } from '@azure/storage-blob';
import { startAzurite } from '../local/emulators/azurite.js';
import { startCosmosEmulator } from '../local/emulators/cosmos.js';
import { startTrainingPool } from '../local/emulators/training-pool.js';
import { startServiceBusEmulator } from '../local/servicebus/emulator.js';
import { csvLines } from '../shared/data/csv-format.js';
import { profileTable } from '../shared/data/profile/profile-builder.js';
import { readCsv } from '../shared/data/read-csv.js';
import { splitRows, takeRows } from '../shared/data/split.js';
import type { Table } from '../shared/data/table.js';
import { evaluateOnnx } from '../shared/ml/evaluate.js';
import { exportModel } from '../shared/ml/export-model.js';
import { trainModel } from '../shared/ml/train-model.js';
import { generateMatrix, tableOf } from './python/synthetic-matrix.js';
import { round, timeRatio, type Benchmark } from './result.js';

const root = fileURLToPath(
  new URL(import.meta.url.includes('/dist/bench/') ? '../../' : '../', import.meta.url),
);
const key = 'bench-pipeline-key';
const busConfig = join(root, 'local/servicebus/config.json');

function labelled(rows: number, seed: number): Table {
  const matrix = generateMatrix(rows, 20, seed);
  const table = tableOf(matrix);
  const columns = new Map(table.columns);
  columns.set('label', { kind: 'numeric', values: Float64Array.from(matrix.y) });
  return { names: [...columns.keys()], columns, rowCount: rows };
}

async function writeCsvFile(table: Table, path: string): Promise<void> {
  await writeFile(path, Readable.from(csvLines(table)));
}

/** The pipeline's steps as plain calls: what the product adds on top is the measure. */
async function inProcess(path: string): Promise<number> {
  const began = performance.now();
  const dataset = await readCsv(createReadStream(path), { target: 'label', task: 'binary' });
  profileTable(dataset, dataset.schema, 'label');
  const parts = splitRows(dataset, { seed: 42, stratifyBy: 'label' });
  const features = dataset.schema.filter((f) => f.name !== 'label');
  const { model } = trainModel({
    task: 'binary',
    algorithm: 'gbdt',
    target: 'label',
    features,
    train: takeRows(dataset, parts.train),
    validation: takeRows(dataset, parts.validation),
  });
  await evaluateOnnx(exportModel(model, 'bench'), takeRows(dataset, parts.holdout), 'label');
  return (performance.now() - began) / 1000;
}

async function startProductHost(settings: Record<string, string>) {
  const appDir = await mkdtemp(join(tmpdir(), 'bench-pipeline-app-'));
  const main = join(root, 'dist/functions/index.js');
  await writeFile(join(appDir, 'package.json'), JSON.stringify({ name: 'bench', type: 'module', main }));
  await writeFile(join(appDir, 'host.json'), await readFile(join(root, 'host.json')));
  await writeFile(
    join(appDir, 'local.settings.json'),
    JSON.stringify({ IsEncrypted: false, Values: { FUNCTIONS_WORKER_RUNTIME: 'node', ...settings } }),
  );
  const child = spawn(
    process.execPath,
    [join(root, 'dist/local/host-cli.js'), '--app', appDir, '--port', '0', '--no-emulators'],
    { env: { ...process.env, HOST_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout });
  let url = '';
  for await (const line of lines) {
    url = /Host listening on (\S+)/.exec(line)?.[1] ?? '';
    if (url) break;
  }
  if (!url) throw new Error('the host exited before it listened');
  lines.on('line', () => undefined);
  return {
    url,
    peakRssMiB: async () => {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
    },
    stop: async () => {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

interface BenchRun {
  runId: string;
  status: string;
  alias?: string;
}
interface BenchStep {
  name: string;
  startedAt: string;
  endedAt?: string;
}

const benchmark: Benchmark = async (progress) => {
  const rows = Number(process.env.BENCH_ROWS ?? 100_000);
  const bigRows = Number(process.env.BENCH_RSS_ROWS ?? 0);
  const work = await mkdtemp(join(tmpdir(), 'bench-pipeline-'));
  progress(`generating ${rows} x 20 rows`);
  const path = join(work, 'data.csv');
  await writeCsvFile(labelled(rows, 1), path);

  progress('baseline: read, validate, profile, split, train and evaluate in one process');
  const before = await inProcess(path);
  progress(`baseline ${before.toFixed(1)} s`);

  const bigPath = join(work, 'big.csv');
  if (bigRows > 0) {
    progress(`generating ${bigRows} x 20 rows for the host's peak memory`);
    await writeCsvFile(labelled(bigRows, 2), bigPath);
  }

  const stops: (() => Promise<unknown>)[] = [];
  try {
    const [azurite, cosmos, bus] = await Promise.all([
      startAzurite({ location: join(work, 'azurite') }),
      startCosmosEmulator(),
      startServiceBusEmulator({ port: 0, config: busConfig, dataDir: join(work, 'servicebus') }),
    ]);
    stops.push(
      () => azurite.stop(),
      () => cosmos.stop(),
      () => bus.stop(),
    );
    const pool = await startTrainingPool({
      root: join(work, 'pool'),
      env: { ...process.env, AzureWebJobsStorage: azurite.connectionString },
    });
    stops.push(() => pool.stop());
    const host = await startProductHost({
      AzureWebJobsStorage: azurite.connectionString,
      COSMOS_CONNECTION_STRING: cosmos.connectionString,
      COSMOS_DATABASE: 'bench',
      SERVICEBUS_CONNECTION: bus.connectionString,
      FUNCTIONS_FUNCTION_KEY: key,
      TRAINING_POOL_URL: pool.url,
      TRAINING_POLL_SECONDS: '1',
    });
    stops.unshift(() => host.stop());
    const blobs = BlobServiceClient.fromConnectionString(azurite.connectionString);
    const datasets = blobs.getContainerClient('datasets');
    await datasets.createIfNotExists();
    /** Where the host's time goes: each step's start (seconds after the drop) and length, from the run's timeline. */
    const stepTimes = async (runId: string, dropped: number): Promise<string> => {
      const response = await fetch(`${host.url}/api/runs/${runId}`, { headers: { 'x-functions-key': key } });
      const run = (await response.json()) as { steps?: BenchStep[]; startedAt: string; endedAt?: string };
      const seconds = (from: number, to: string | undefined) =>
        ((Date.parse(to ?? '') - from) / 1000).toFixed(1);
      const steps = (run.steps ?? []).map(
        (s) => `${s.name} @${seconds(dropped, s.startedAt)} ${seconds(Date.parse(s.startedAt), s.endedAt)}`,
      );
      return `run @${seconds(dropped, run.startedAt)}, ${steps.join(', ')}, ended @${seconds(dropped, run.endedAt)}`;
    };
    const promoted = async (model: string, file: string): Promise<number> => {
      const began = performance.now();
      await datasets.getBlockBlobClient(`${model}/data.csv`).uploadFile(file);
      const dropped = Date.now();
      const upload = (performance.now() - began) / 1000;
      for (;;) {
        const response = await fetch(`${host.url}/api/runs?model=${model}`, {
          headers: { 'x-functions-key': key },
        });
        const runs = response.ok ? ((await response.json()) as { runs: BenchRun[] }).runs : [];
        const run = runs[0];
        if (run && run.status !== 'running') {
          if (run.status !== 'succeeded' || !run.alias) throw new Error(`run ended ${JSON.stringify(run)}`);
          const seconds = (performance.now() - began) / 1000;
          progress(`upload ${upload.toFixed(1)} s; steps: ${await stepTimes(run.runId, dropped)}`);
          return seconds;
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    };

    progress('pipeline: drop the file, wait for the promoted version');
    const seconds = await promoted('bench', path);
    progress(
      `drop to promoted ${seconds.toFixed(1)} s, host peak RSS ${(await host.peakRssMiB()).toFixed(0)} MiB`,
    );
    // Measured again after the pipeline, so a machine whose load changes during the run (a
    // shared one) weighs on both sides alike: the baseline is the mean of the two.
    const after = await inProcess(path);
    const baseline = (before + after) / 2;
    progress(`baseline again ${after.toFixed(1)} s, mean ${baseline.toFixed(1)} s`);
    if (bigRows > 0) {
      // Few rounds: the host's memory is the measure, not the pool's training time.
      await fetch(`${host.url}/api/registry/models/bench-big`, {
        method: 'PUT',
        headers: { 'x-functions-key': key, 'content-type': 'application/json' },
        body: JSON.stringify({ params: { maxRounds: 10 } }),
      });
      const bigSeconds = await promoted('bench-big', bigPath);
      progress(
        `${bigRows} rows: drop to promoted ${bigSeconds.toFixed(1)} s, host peak RSS ${(await host.peakRssMiB()).toFixed(0)} MiB`,
      );
    }
    return {
      name: 'pipeline-e2e',
      value: round(seconds, 2),
      unit: `s from drop to promoted, ${rows} x 20 CSV`,
      baseline: round(baseline, 2),
      ratio: timeRatio(seconds, baseline),
    };
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
  }
};

export default benchmark;
