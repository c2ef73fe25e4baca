import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../../shared/data/read-csv.js';
import { splitRows, takeRows } from '../../../shared/data/split.js';
import type { Table } from '../../../shared/data/table.js';
import { writeCsv } from '../../../shared/data/write-csv.js';

/** 5,000 rows: classes a (70%), b (~30%) and a tiny class t of 10 rows. */
function table(): Table {
  const rows = 5000;
  const label = Array.from({ length: rows }, (_, i) => (i % 500 === 7 ? 't' : i % 10 < 7 ? 'a' : 'b'));
  const x = Float64Array.from({ length: rows }, (_, i) => i);
  return {
    names: ['x', 'label'],
    columns: new Map([
      ['x', { kind: 'numeric' as const, values: x }],
      ['label', { kind: 'categorical' as const, values: label }],
    ]),
    rowCount: rows,
  };
}

const countOf = (t: Table, rows: number[], value: string): number =>
  rows.filter((row) => t.columns.get('label')?.values[row] === value).length;

describe('seeded split', () => {
  const data = table();

  it('gives the same split for the same seed and a different one for another seed', () => {
    const options = { seed: 42, stratifyBy: 'label' };
    expect(splitRows(data, options)).toEqual(splitRows(data, options));
    expect(splitRows(data, { ...options, seed: 43 }).holdout).not.toEqual(splitRows(data, options).holdout);
  });

  it('partitions the rows: disjoint, complete, sized by the fractions', () => {
    const split = splitRows(data, { seed: 1, validationFraction: 0.1, holdoutFraction: 0.2 });
    const all = [...split.train, ...split.validation, ...split.holdout].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: data.rowCount }, (_, i) => i));
    expect(split.holdout).toHaveLength(1000);
    expect(split.validation).toHaveLength(500);
  });

  it('stratifies: each class keeps its share, and a 10-row class reaches every part', () => {
    const split = splitRows(data, {
      seed: 9,
      stratifyBy: 'label',
      validationFraction: 0.15,
      holdoutFraction: 0.15,
    });
    for (const [value, total] of [
      [
        'a',
        countOf(data, split.train, 'a') +
          countOf(data, split.validation, 'a') +
          countOf(data, split.holdout, 'a'),
      ],
      [
        'b',
        countOf(data, split.train, 'b') +
          countOf(data, split.validation, 'b') +
          countOf(data, split.holdout, 'b'),
      ],
    ] as const) {
      expect(Math.abs(countOf(data, split.holdout, value) - total * 0.15)).toBeLessThanOrEqual(1);
      expect(Math.abs(countOf(data, split.validation, value) - total * 0.15)).toBeLessThanOrEqual(1);
    }
    expect([split.train, split.validation, split.holdout].map((rows) => countOf(data, rows, 't'))).toEqual([
      expect.any(Number),
      2,
      2,
    ]);
    expect(countOf(data, split.train, 't')).toBe(6);
  });

  it('refuses bad fractions and unknown columns with INVALID_INPUT', () => {
    expect(() => splitRows(data, { seed: 1, holdoutFraction: 0.6, validationFraction: 0.5 })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }) as Error,
    );
    expect(() => splitRows(data, { seed: 1, stratifyBy: 'nope' })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }) as Error,
    );
  });

  it('writes a part to CSV that reads back to the same values', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'split-'));
    try {
      const odd: Table = {
        names: ['x', 'note', 'label'],
        rowCount: 30,
        columns: new Map([
          [
            'x',
            {
              kind: 'numeric' as const,
              values: Float64Array.from({ length: 30 }, (_, i) => (i === 3 ? Number.NaN : i / 3)),
            },
          ],
          [
            'note',
            {
              kind: 'categorical' as const,
              values: Array.from({ length: 30 }, (_, i) => (i === 4 ? null : `a, "b"\n${i}`)),
            },
          ],
          [
            'label',
            {
              kind: 'categorical' as const,
              values: Array.from({ length: 30 }, (_, i) => (i % 2 ? 'p' : 'q')),
            },
          ],
        ]),
      };
      const path = join(folder, 'train.csv');
      await writeCsv(odd, path);
      const back = await readCsv(await readFile(path));
      expect(back.rowCount).toBe(30);
      expect(back.columns.get('x')?.values).toEqual(odd.columns.get('x')?.values);
      expect(back.columns.get('note')?.values).toEqual(odd.columns.get('note')?.values);
      const rows = [5, 1, 2];
      await writeCsv(odd, path, rows);
      expect((await readFile(path, 'utf8')).split('\r\n')[1]).toBe(`${5 / 3},"a, ""b""\n5",p`);
      expect(takeRows(odd, rows).columns.get('label')?.values).toEqual(['p', 'p', 'q']);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
