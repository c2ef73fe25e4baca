import { describe, expect, it } from 'vitest';
import { batchRunId, parseRunId, partitionSchema, planInputs } from '../../../shared/batch/batch-layout.js';
import { batchSettingsSchema, thresholdBreach } from '../../../shared/batch/batch-settings.js';
import { totalsOf, type FileResult } from '../../../shared/batch/batch-manifest.js';

describe('batch layout', () => {
  it('derives run ids that name one model, partition and version, and parses them back', () => {
    expect(batchRunId('churn', '2026-11-30', 3)).toBe('batch:churn:2026-11-30:v3');
    // Dashes in both names cannot make two runs share an id.
    expect(batchRunId('a-b', 'c', 1)).not.toBe(batchRunId('a', 'b-c', 1));
    expect(parseRunId('batch:a-b:c.d:v12')).toEqual({ model: 'a-b', partition: 'c.d', version: 12 });
    expect(parseRunId('train-churn-abc')).toBeUndefined();
  });

  it('accepts folder-like partitions only', () => {
    for (const ok of ['2026-11-30', 'night_1', 'a.b'])
      expect(partitionSchema.safeParse(ok).success, ok).toBe(true);
    for (const bad of ['../x', 'a/b', 'a:b', '', '.hidden'])
      expect(partitionSchema.safeParse(bad).success, bad).toBe(false);
  });

  it('plans one output per input stem, in name order, and passes over what would collide', () => {
    const { inputs, skipped } = planInputs([
      'b.parquet',
      'a.csv',
      'a.parquet',
      'notes.txt',
      'x.rejects.csv',
      'c.CSV',
    ]);
    expect(inputs).toEqual([
      { file: 'a.csv', format: 'csv', output: 'a.csv', rejects: 'a.rejects.csv' },
      { file: 'b.parquet', format: 'parquet', output: 'b.csv', rejects: 'b.rejects.csv' },
      { file: 'c.CSV', format: 'csv', output: 'c.csv', rejects: 'c.rejects.csv' },
    ]);
    expect(skipped.map((s) => s.file)).toEqual(['a.parquet', 'x.rejects.csv']);
    expect(skipped[0]!.reason).toMatch(/same output as a.csv/);
  });
});

describe('batch settings and the error threshold', () => {
  const file = (status: FileResult['status'], rows: number, rejected: number): FileResult => ({
    file: 'f.csv',
    status,
    input: 'scoring-input/m/p/f.csv',
    rows,
    scored: rows - rejected,
    rejected,
  });
  const totals = totalsOf([file('scored', 1000, 10), file('scored', 1000, 0), file('failed', 0, 0)]);

  it('sums files into totals', () => {
    expect(totals).toEqual({ files: 3, failedFiles: 1, rows: 2000, scored: 1990, rejected: 10 });
  });

  it('never fails a run without a threshold, and names the limit a run passed', () => {
    expect(thresholdBreach(undefined, totals)).toBeUndefined();
    expect(thresholdBreach({ rejectedRows: 10, failedFiles: 1 }, totals)).toBeUndefined();
    expect(thresholdBreach({ rejectedRows: 9 }, totals)).toMatch(
      /10 row\(s\) were rejected, more than .*rejectedRows \(9\)/,
    );
    expect(thresholdBreach({ rejectedFraction: 0.004 }, totals)).toMatch(/10 of 2000 row\(s\)/);
    expect(thresholdBreach({ failedFiles: 0 }, totals)).toMatch(/1 file\(s\) failed/);
  });

  it('has defaults and refuses an empty threshold', () => {
    expect(batchSettingsSchema.parse({})).toEqual({ concurrency: 4, chunkRows: 10_000, fileAttempts: 3 });
    expect(batchSettingsSchema.safeParse({ errorThreshold: {} }).success).toBe(false);
    expect(batchSettingsSchema.safeParse({ concurrency: 0 }).success).toBe(false);
  });
});
