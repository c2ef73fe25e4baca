// Exactly-once outputs under a crash, and one run however many callers ask: the nightly timer
// (firing every two seconds here) and a manual call race for the same partition, the host is
// killed with SIGKILL in the middle of the run, and a new host finishes it. Every output is
// written once, and the manifest's totals are exact.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BatchManifest } from '../../../shared/batch/batch-manifest.js';
import { eventually, type HostProcess } from '../../support/host.js';
import { registerTrainedModel } from '../../support/trained-model.js';
import {
  api,
  boot,
  csvRecords,
  csvText,
  download,
  finishedRun,
  scoringTable,
  startBatchStack,
  upload,
  type BatchStack,
} from './batch-app.js';

const files = 4;
const rows = 10_000;
let stack: BatchStack;
const hosts: HostProcess[] = [];

beforeAll(async () => {
  stack = await startBatchStack({ BATCH_SCORING_SCHEDULE: '*/2 * * * * *' });
  await registerTrainedModel(stack.registry, stack.blobs, 'fraud');
  // One file at a time in small chunks, so the kill lands between files and inside one.
  await stack.registry.putModel('fraud', {
    ...(await stack.registry.getModel('fraud')).spec,
    batch: { concurrency: 1, chunkRows: 1_000, fileAttempts: 3 },
  });
  const text = csvText(scoringTable(rows, 5));
  for (let i = 0; i < files; i++) await upload(stack, `fraud/night-1/part-${i}.csv`, text);
});

afterAll(async () => {
  await Promise.all(hosts.map((h) => h.stop()));
  await stack?.stop();
});

const wrote = (host: HostProcess, file: string) => host.count(new RegExp(`wrote output for ${file} `));

it(
  'starts one run for the timer and a manual call, and finishes it exactly once after a SIGKILL',
  { timeout: 300_000 },
  async () => {
    const first = await boot(stack);
    hosts.push(first);
    const response = await api(first, 'fraud', {
      method: 'POST',
      body: JSON.stringify({ partition: 'night-1' }),
    });
    expect(response.status).toBe(202);
    const started = (await response.json()) as { runId: string; created: boolean };
    expect(started.runId).toBe('batch:fraud:night-1:v1');
    // Killed while the second file is being scored: its staged blocks are left uncommitted.
    await first.waitForLine(/wrote output for part-0\.csv/, 60_000);
    await first.waitForLine(/batchScoringFile' \(batch:fraud:night-1:v1:file-1\) is Running/, 30_000);
    // The timer has fired by now; whichever asked first started the run, the other found it.
    expect(first.count(/batchScoringNightly/)).toBeGreaterThan(0);
    const timerStarts = first.count(/batch scoring started batch:fraud:night-1:v1/);
    expect(timerStarts + (started.created ? 1 : 0)).toBe(1);
    await first.kill();

    const second = await boot(stack);
    hosts.push(second);
    const run = await finishedRun(second, 'fraud', started.runId, 120_000);
    expect(run.status).toBe('succeeded');
    const manifest = run.manifest as BatchManifest;
    expect(manifest.totals).toEqual({
      files,
      failedFiles: 0,
      rows: files * rows,
      scored: files * rows,
      rejected: 0,
    });
    for (let i = 0; i < files; i++) {
      const file = `part-${i}.csv`;
      expect(wrote(first, file) + wrote(second, file), file).toBe(1);
      const output = csvRecords(await download(stack, manifest.files[i]!.output!));
      expect(output).toHaveLength(rows);
    }
    // The timer keeps firing on the second host and never starts the partition again.
    await eventually(
      () => (second.count(/batchScoringNightly/) >= 2 ? true : undefined),
      20_000,
      'two timer ticks',
    );
    expect(second.count(/batch scoring started/)).toBe(0);
    const list = (await (await api(second, 'fraud/runs')).json()) as { runs: unknown[] };
    expect(list.runs).toHaveLength(1);
  },
);
