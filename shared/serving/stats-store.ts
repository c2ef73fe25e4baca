// The store behind automatic rollback's decisions: each instance's request counts per alias,
// version and 10-second bucket, read back as a window over all instances. Table storage serves
// in Azure and locally (table-stats-store.ts); the in-memory twin serves tests and one-process runs.
import { merge, quantileMs, type Histogram } from './latency-histogram.js';
import type { WindowStats } from './rollback-rule.js';

export const bucketMs = 10_000;

export interface StatsCell {
  readonly model: string;
  readonly alias: string;
  readonly version: number;
  /** Start of the bucket, epoch ms. */
  readonly bucket: number;
  readonly instance: string;
  readonly requests: number;
  readonly errors: number;
  readonly histogram: Histogram;
}

export interface StatsStore {
  put(cells: readonly StatsCell[]): Promise<void>;
  /** Requests, errors and p99 of every instance for buckets starting in [from, to). */
  window(model: string, alias: string, version: number, from: number, to: number): Promise<WindowStats>;
}

type Counts = Pick<StatsCell, 'requests' | 'errors' | 'histogram'>;

/** One window's requests, errors and p99 from the counts of its cells. */
export function sumWindow(cells: Iterable<Counts>): WindowStats {
  let requests = 0;
  let errors = 0;
  const histogram: Histogram = {};
  for (const cell of cells) {
    requests += cell.requests;
    errors += cell.errors;
    merge(histogram, cell.histogram);
  }
  return { requests, errors, p99Ms: quantileMs(histogram, 0.99) };
}

/** The store in one process's memory: the same cells, replaced by key like Table upserts. */
export class MemoryStatsStore implements StatsStore {
  private readonly cells = new Map<string, StatsCell>();

  async put(cells: readonly StatsCell[]): Promise<void> {
    for (const cell of cells) {
      const key = [cell.model, cell.alias, cell.version, cell.bucket, cell.instance].join('|');
      this.cells.set(key, { ...cell, histogram: { ...cell.histogram } });
    }
  }

  async window(
    model: string,
    alias: string,
    version: number,
    from: number,
    to: number,
  ): Promise<WindowStats> {
    return sumWindow(
      [...this.cells.values()].filter(
        (c) =>
          c.model === model &&
          c.alias === alias &&
          c.version === version &&
          c.bucket >= from &&
          c.bucket < to,
      ),
    );
  }
}
