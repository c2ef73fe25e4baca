import { Readable } from 'node:stream';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { readCsvChunks, readParquetChunks } from '../../../shared/data/read-chunks.js';
import {
  featureColumns,
  outputHeader,
  outputLines,
  prepareChunk,
  rejectLines,
} from '../../../shared/batch/score-chunk.js';
import type { ModelInterface } from '../../../shared/ml/model-interface.js';
import type { ModelFeature } from '../../../shared/ml/model.js';

const features: ModelFeature[] = [
  { name: 'age', type: 'numeric' },
  { name: 'plan', type: 'categorical', categories: ['basic', 'pro'] },
  { name: 'active', type: 'boolean' },
];
const model: ModelInterface = { task: 'binary', classes: ['no', 'yes'], features };

describe('scoring a chunk', () => {
  it('refuses a file without a feature column, naming every missing one', () => {
    expect(() => featureColumns(['plan'], features)).toThrow(/no column 'age', 'active'/);
    expect(featureColumns(['id', 'active', 'plan', 'age'], features)).toEqual([3, 2, 1]);
  });

  it('splits a chunk into the model table of valid rows and numbered rejects', () => {
    const header = ['id', 'age', 'plan', 'active'];
    const chunk = {
      firstRow: 11,
      rows: [
        ['a', '30', 'pro', 'true'],
        ['b', 'old', 'pro', 'true'],
        ['c', '', 'basic', 'false'],
        ['d', '5', 'pro'],
      ],
    };
    const prepared = prepareChunk(chunk, header.length, features, featureColumns(header, features));
    expect(prepared.kept).toEqual([0, 2]);
    expect(prepared.rejects).toEqual([
      { row: 12, reason: 'feature \'age\' must be a finite number, got "old"' },
      { row: 14, reason: 'the row has 3 field(s), the header 4' },
    ]);
    expect(prepared.table.rowCount).toBe(2);
    expect(Array.from((prepared.table.columns.get('age') as { values: Float64Array }).values)).toEqual([
      30,
      Number.NaN,
    ]);
    expect(prepared.table.columns.get('plan')).toEqual({ kind: 'categorical', values: ['pro', 'basic'] });

    expect(outputHeader(header, model)).toBe(
      'id,age,plan,active,prediction,probability_no,probability_yes\r\n',
    );
    const probabilities = Float32Array.from([0.25, 0.75, 0.6, 0.4]);
    expect(outputLines(chunk, prepared, { labels: ['yes', 'no'], probabilities }, model)).toBe(
      'a,30,pro,true,yes,0.25,0.75\r\nc,,basic,false,no,0.600000024,0.400000006\r\n',
    );
    expect(Math.fround(0.600000024)).toBe(probabilities[2]);
    expect(rejectLines(prepared.rejects)).toBe(
      '12,"feature \'age\' must be a finite number, got ""old"""\r\n14,"the row has 3 field(s), the header 4"\r\n',
    );
  });

  it('writes regression outputs as one prediction column', () => {
    const regression: ModelInterface = { task: 'regression', classes: [], features: [features[0]!] };
    const chunk = { firstRow: 1, rows: [['2'], ['3']] };
    const prepared = prepareChunk(chunk, 1, regression.features, [0]);
    expect(outputHeader(['age'], regression)).toBe('age,prediction\r\n');
    expect(outputLines(chunk, prepared, { values: Float32Array.from([1.5, -2]) }, regression)).toBe(
      '2,1.5\r\n3,-2\r\n',
    );
  });
});

describe('reading inputs in chunks', () => {
  it('streams a CSV in chunks of rows, numbering them from the first data row', async () => {
    const text = `\uFEFFa,b\r\n${Array.from({ length: 25 }, (_, i) => `${i},"x,${i}"`).join('\r\n')}\r\n`;
    const file = await readCsvChunks(Readable.from([Buffer.from(text)]), { chunkRows: 10 });
    expect(file.header).toEqual(['a', 'b']);
    const chunks = [];
    for await (const chunk of file.chunks) chunks.push(chunk);
    expect(chunks.map((c) => [c.firstRow, c.rows.length])).toEqual([
      [1, 10],
      [11, 10],
      [21, 5],
    ]);
    expect(chunks[2]!.rows[4]).toEqual(['24', 'x,24']);
  });

  it('reads Parquet a row group at a time through ranged reads', async () => {
    const rows = 50;
    const bytes = parquetWriteBuffer({
      rowGroupSize: 16,
      columnData: [
        { name: 'x', data: Float64Array.from({ length: rows }, (_, i) => i), type: 'DOUBLE' },
        {
          name: 'n',
          data: Array.from({ length: rows }, (_, i) => (i % 5 ? BigInt(i) : null)),
          type: 'INT64',
        },
      ],
    });
    const reads: number[] = [];
    const file = await readParquetChunks(
      { byteLength: bytes.byteLength, slice: (start, end) => (reads.push(start), bytes.slice(start, end)) },
      { chunkRows: 10 },
    );
    expect(file.header).toEqual(['x', 'n']);
    const chunks = [];
    for await (const chunk of file.chunks) chunks.push(chunk);
    expect(chunks.map((c) => [c.firstRow, c.rows.length])).toEqual([
      [1, 10],
      [11, 6],
      [17, 10],
      [27, 6],
      [33, 10],
      [43, 6],
      [49, 2],
    ]);
    expect(chunks[6]!.rows).toEqual([
      [48, 48],
      [49, 49],
    ]);
    expect(chunks[0]!.rows[0]).toEqual([0, null]);
    expect(reads.length).toBeGreaterThan(1);
  });

  it('turns broken files into INVALID_DATASET', async () => {
    await expect(readCsvChunks(Readable.from([Buffer.from('')]), { chunkRows: 10 })).rejects.toMatchObject({
      code: 'INVALID_DATASET',
    });
    const bad = new Uint8Array(64);
    await expect(
      readParquetChunks({ byteLength: 64, slice: (s, e) => bad.slice(s, e).buffer }, { chunkRows: 10 }),
    ).rejects.toMatchObject({
      code: 'INVALID_DATASET',
    });
  });
});
