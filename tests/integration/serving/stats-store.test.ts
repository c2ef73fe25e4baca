// One contract for the stores behind automatic rollback: the Table storage store (on Azurite)
// and its in-memory twin must count, replace and window cells the same way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Azurite } from '../../../local/emulators/azurite.js';
import { record, type Histogram } from '../../../shared/serving/latency-histogram.js';
import {
  bucketMs,
  MemoryStatsStore,
  type StatsCell,
  type StatsStore,
} from '../../../shared/serving/stats-store.js';
import { TableStatsStore } from '../../../shared/serving/table-stats-store.js';
import { startTestAzurite } from '../../support/storage.js';

let azurite: Azurite;
let tables = 0;

beforeAll(async () => {
  azurite = await startTestAzurite();
}, 60_000);
afterAll(async () => {
  await azurite?.stop();
});

const latencies = (...ms: number[]): Histogram => {
  const histogram: Histogram = {};
  for (const value of ms) record(histogram, value);
  return histogram;
};

const cell = (overrides: Partial<StatsCell>): StatsCell => ({
  model: 'churn',
  alias: 'champion',
  version: 2,
  bucket: 10 * bucketMs,
  instance: 'a',
  requests: 10,
  errors: 1,
  histogram: latencies(5, 5, 5, 900),
  ...overrides,
});

describe.each([
  ['in memory', (): StatsStore => new MemoryStatsStore()],
  [
    'Table storage',
    (): StatsStore =>
      TableStatsStore.fromSettings({ AzureWebJobsStorage: azurite.connectionString }, `stats${++tables}`),
  ],
])('stats store %s', (_name, open) => {
  it('sums every instance within the window, and nothing outside it or of another alias or version', async () => {
    const store = open();
    await store.put([
      cell({}),
      cell({ instance: 'b', requests: 5, errors: 0, histogram: latencies(7) }),
      cell({ bucket: 11 * bucketMs, requests: 1, errors: 1, histogram: latencies(1) }),
      cell({ bucket: 12 * bucketMs, requests: 100 }),
      cell({ bucket: 9 * bucketMs, requests: 100 }),
      cell({ alias: 'challenger', requests: 100 }),
      cell({ version: 3, requests: 100 }),
      cell({ model: 'other', requests: 100 }),
    ]);
    const window = await store.window('churn', 'champion', 2, 10 * bucketMs, 12 * bucketMs);
    expect(window.requests).toBe(16);
    expect(window.errors).toBe(2);
    expect(window.p99Ms).toBeGreaterThanOrEqual(900);
    expect(window.p99Ms).toBeLessThan(1000);
  });

  it('replaces a cell written again (cumulative counts, so a retried write is harmless)', async () => {
    const store = open();
    await store.put([cell({ requests: 3, errors: 0, histogram: latencies(2) })]);
    await store.put([cell({ requests: 4, errors: 1, histogram: latencies(2, 3) })]);
    expect(await store.window('churn', 'champion', 2, 0, 20 * bucketMs)).toMatchObject({
      requests: 4,
      errors: 1,
    });
  });

  it('answers an empty window with zero requests', async () => {
    expect(await open().window('nobody', 'champion', 1, 0, bucketMs)).toMatchObject({
      requests: 0,
      errors: 0,
    });
  });
});
