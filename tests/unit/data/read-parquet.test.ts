import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { readParquet } from '../../../shared/data/read-parquet.js';
import { problemsOf } from './dataset-problems.js';

const rows = 50;
const bytes = new Uint8Array(
  parquetWriteBuffer({
    // Small row groups, so rows arrive in several chunks per column.
    rowGroupSize: 16,
    columnData: [
      { name: 'x', data: Float64Array.from({ length: rows }, (_, i) => i / 4), type: 'DOUBLE' },
      {
        name: 'count',
        data: Array.from({ length: rows }, (_, i) => (i % 7 === 0 ? null : BigInt(i))),
        type: 'INT64',
      },
      {
        name: 'colour',
        data: Array.from({ length: rows }, (_, i) => (i % 10 === 0 ? null : ['red', 'blue'][i % 2])),
        type: 'STRING',
      },
      { name: 'active', data: Array.from({ length: rows }, (_, i) => i % 3 === 0), type: 'BOOLEAN' },
      { name: 'label', data: Array.from({ length: rows }, (_, i) => (i % 2 ? 'yes' : 'no')), type: 'STRING' },
    ],
  }),
);

describe('readParquet', () => {
  it('round-trips typed columns, nulls included, from bytes and from a file', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'parquet-'));
    try {
      const path = join(folder, 'data.parquet');
      await writeFile(path, bytes);
      for (const source of [bytes, path]) {
        const dataset = await readParquet(source, { task: 'binary' });
        expect(dataset.rowCount).toBe(rows);
        expect(dataset.schema).toEqual([
          { name: 'x', type: 'numeric' },
          { name: 'count', type: 'numeric' },
          { name: 'colour', type: 'categorical' },
          { name: 'active', type: 'boolean' },
          { name: 'label', type: 'categorical' },
        ]);
        const count = dataset.columns.get('count');
        expect(count?.kind === 'numeric' && [count.values[0], count.values[1]]).toEqual([Number.NaN, 1]);
        expect(dataset.columns.get('colour')?.values.slice(0, 2)).toEqual([null, 'blue']);
        const active = dataset.columns.get('active');
        expect(active?.kind === 'numeric' && [active.values[0], active.values[1]]).toEqual([1, 0]);
        expect(dataset.columns.get('x')?.values[3]).toBe(0.75);
        expect([dataset.columns.get('x')?.values[49], dataset.columns.get('count')?.values[48]]).toEqual([
          12.25, 48,
        ]);
      }
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('applies the same validation as CSV', async () => {
    expect(await problemsOf(readParquet(bytes, { target: 'churned' }))).toMatchObject([
      { kind: 'MISSING_TARGET' },
    ]);
    expect(await problemsOf(readParquet(bytes, { limits: { maxBytes: 100 } }))).toMatchObject([
      { kind: 'FILE_TOO_LARGE' },
    ]);
  });

  it('reports a file that is not Parquet', async () => {
    const problems = await problemsOf(readParquet(new TextEncoder().encode('x,label\n1,a\n')));
    expect(problems).toMatchObject([{ kind: 'MALFORMED_FILE' }]);
  });
});
