import { cpus, totalmem } from 'node:os';

/** What one benchmark measures: `ratio` is oriented so that above 1 means this project is ahead. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  baseline: number;
  ratio: number;
}

export type Benchmark = (progress: (message: string) => void) => Promise<BenchResult>;

export function machine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown cpu';
  return `${cpus().length} x ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`;
}

/** Ratio for throughputs (higher is better): ours / baseline. */
export const throughputRatio = (ours: number, baseline: number): number => round(ours / baseline);
/** Ratio for durations (lower is better): baseline / ours. */
export const timeRatio = (ours: number, baseline: number): number => round(baseline / ours);

export const round = (value: number, digits = 3): number => Number(value.toFixed(digits));
