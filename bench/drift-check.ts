// Rows per second of a drift check over captured scoring requests: JSON Lines blobs in
// Azurite streamed, parsed, profiled with the training profile's builder and compared with the
// baseline (BENCH_ROWS rows, default 1,000,000). The baseline is reading the same blobs line by
// line without computing anything, in the same run, so the ratio says what the check costs on
// top of the I/O it cannot avoid.
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import { startAzurite } from '../local/emulators/azurite.js';
import { ProfileBuilder } from '../shared/data/profile/profile-builder.js';
import { seededRandom, type Random } from '../shared/data/prng.js';
import type { FeatureSpec } from '../shared/data/table.js';
import { compareProfiles } from '../shared/drift/compare-profiles.js';
import { defaultDriftSettings } from '../shared/drift/drift-settings.js';
import { WindowProfiler } from '../shared/monitoring/window-profiler.js';
import { readWindow } from '../shared/monitoring/window-source.js';
import { round, throughputRatio, type Benchmark } from './result.js';

const model = 'bench';
const rowsPerBlob = 50_000;
const schema: FeatureSpec[] = [
  { name: 'age', type: 'numeric' },
  { name: 'income', type: 'numeric' },
  { name: 'tenure', type: 'numeric' },
  { name: 'score', type: 'numeric' },
  { name: 'plan', type: 'categorical' },
  { name: 'region', type: 'categorical' },
];
const plans = ['basic', 'plus', 'pro'];
const regions = ['north', 'south', 'east', 'west', 'central'];

function gaussian(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function inputs(random: Random): Record<string, number | string> {
  return {
    age: Math.round(40 + 12 * gaussian(random)),
    income: Math.round(Math.exp(10 + 0.6 * gaussian(random))),
    tenure: Math.floor(random() * 120),
    score: Number(random().toFixed(4)),
    plan: plans[Math.floor(random() ** 1.5 * plans.length)] as string,
    region: regions[Math.floor(random() * regions.length)] as string,
  };
}

function prediction(row: Record<string, number | string>): string {
  return (row.age as number) > 45 ? 'yes' : 'no';
}

async function lines(stream: Readable, onLine: (line: string) => void): Promise<void> {
  for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) onLine(line);
}

const bench: Benchmark = async (progress) => {
  const total = Number(process.env.BENCH_ROWS ?? 1_000_000);
  const dir = await mkdtemp(join(tmpdir(), 'bench-drift-'));
  const azurite = await startAzurite({ location: dir });
  try {
    const service = BlobServiceClient.fromConnectionString(azurite.connectionString);
    const container = service.getContainerClient('inference-logs');
    await container.createIfNotExists();
    const random = seededRandom(42);

    const features = new ProfileBuilder(schema, null);
    const predictions = new ProfileBuilder([{ name: 'prediction', type: 'categorical' }], null);
    for (let i = 0; i < 20_000; i += 1) {
      const row = inputs(random);
      features.addRow(schema.map((s) => row[s.name] as number | string));
      predictions.addRow([prediction(row)]);
    }
    const baseline = { features: features.finish(), predictions: predictions.finish() };

    const start = Date.UTC(2026, 0, 1);
    const names: string[] = [];
    for (let written = 0, part = 0; written < total; part += 1) {
      const count = Math.min(rowsPerBlob, total - written);
      const text = Array.from({ length: count }, (_, i) => {
        const row = inputs(random);
        return JSON.stringify({
          ts: new Date(start + ((written + i) % 3_600_000)).toISOString(),
          requestId: `r-${written + i}`,
          model,
          version: 1,
          alias: 'champion',
          inputs: row,
          outputs: { prediction: prediction(row), probabilities: [0.4, 0.6] },
        });
      }).join('\n');
      const name = `${model}/2026-01-01/00/part-${String(part).padStart(4, '0')}.jsonl`;
      await container.getBlockBlobClient(name).uploadData(Buffer.from(text));
      names.push(name);
      written += count;
    }
    progress(`uploaded ${total} captured rows in ${names.length} blobs`);

    const readOnly = async (): Promise<number> => {
      const began = performance.now();
      let count = 0;
      for (const name of names) {
        const body = (await container.getBlobClient(name).download()).readableStreamBody as Readable;
        await lines(body, () => (count += 1));
      }
      if (count !== total) throw new Error(`read ${count} lines, expected ${total}`);
      return total / ((performance.now() - began) / 1000);
    };
    const check = async (): Promise<number> => {
      const began = performance.now();
      const profiler = new WindowProfiler(baseline);
      const window = { from: new Date(start), to: new Date(start + 3_600_000) };
      const counts = await readWindow(service, model, 1, window, profiler);
      const verdict = compareProfiles(baseline, profiler.finish(), defaultDriftSettings);
      if (counts.requests !== total || verdict.rows !== total)
        throw new Error(`checked ${counts.requests} rows`);
      return total / ((performance.now() - began) / 1000);
    };

    const baselineRate = Math.max(await readOnly(), await readOnly());
    progress(`reading the lines only: ${Math.round(baselineRate)} rows/s`);
    const ours = Math.max(await check(), await check());
    progress(`drift check: ${Math.round(ours)} rows/s`);
    return {
      name: 'drift-check',
      value: round(ours, 0),
      unit: 'rows/s',
      baseline: round(baselineRate, 0),
      ratio: throughputRatio(ours, baselineRate),
    };
  } finally {
    await azurite.stop();
    await rm(dir, { recursive: true, force: true });
  }
};

export default bench;
