import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../../shared/data/read-csv.js';
import type { Column } from '../../../shared/data/table.js';

const filler = (count: number): string[] => Array.from({ length: count }, (_, i) => `${i},plain,${i % 2}`);

function values(column: Column | undefined): unknown[] {
  return column ? Array.from(column.values as ArrayLike<unknown>) : [];
}

describe('readCsv (RFC 4180)', () => {
  it('reads quoted fields with commas, doubled quotes and embedded newlines', async () => {
    const text = [
      'id,note,label',
      '1,"a, b",0',
      '2,"say ""hi""",1',
      '3,"line one\nline two",0',
      ...filler(20),
    ].join('\n');
    const dataset = await readCsv(text);
    expect(values(dataset.columns.get('note')).slice(0, 3)).toEqual([
      'a, b',
      'say "hi"',
      'line one\nline two',
    ]);
    expect(dataset.rowCount).toBe(23);
  });

  it('reads CRLF line ends, also inside quoted fields', async () => {
    const text = ['id,note,label', '1,"two\r\nlines",0', ...filler(20)].join('\r\n');
    const dataset = await readCsv(text);
    expect(values(dataset.columns.get('note'))[0]).toBe('two\r\nlines');
    expect(values(dataset.columns.get('label'))[0]).toBe(0);
  });

  it('strips a UTF-8 byte order mark from the first column name', async () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(['id,note,label', ...filler(20)].join('\n')),
    ]);
    const dataset = await readCsv(bytes);
    expect(dataset.names).toEqual(['id', 'note', 'label']);
  });

  it('reads a stream split at awkward places (inside quotes, between CR and LF)', async () => {
    const text = ['id,note,label', '1,"x\r\ny",0', ...filler(20)].join('\r\n');
    const chunks = text.match(/[\s\S]{1,3}/g) ?? [];
    const dataset = await readCsv(Readable.from(chunks.map((c) => Buffer.from(c))));
    expect(dataset.rowCount).toBe(21);
    expect(values(dataset.columns.get('note'))[0]).toBe('x\r\ny');
  });

  it('infers numeric, categorical and boolean columns and reads missing values', async () => {
    const rows = Array.from(
      { length: 20 },
      (_, i) => `${i % 5 === 0 ? 'NA' : i * 1.5},${i % 2 ? 'yes' : 'no'},c${i % 3},${i % 2}`,
    );
    const dataset = await readCsv(['x,flag,kind,label', ...rows].join('\n'));
    expect(dataset.schema).toEqual([
      { name: 'x', type: 'numeric' },
      { name: 'flag', type: 'boolean' },
      { name: 'kind', type: 'categorical' },
      { name: 'label', type: 'numeric' },
    ]);
    expect(values(dataset.columns.get('x')).slice(0, 2)).toEqual([Number.NaN, 1.5]);
    expect(values(dataset.columns.get('flag')).slice(0, 2)).toEqual([0, 1]);
  });

  it('keeps the exact text of number-like cells in a column that turns out categorical', async () => {
    const codes = [
      '1',
      '007',
      '1.50',
      'NA',
      '2e3',
      ...Array.from({ length: 16 }, (_, i) => String(i)),
      'B-12',
    ];
    const rows = codes.map((code, i) => `${code},${i % 2}`);
    const dataset = await readCsv(['code,label', ...rows].join('\n'));
    expect(dataset.schema[0]).toEqual({ name: 'code', type: 'categorical' });
    expect(values(dataset.columns.get('code')).slice(0, 6)).toEqual(['1', '007', '1.50', null, '2e3', '0']);
    expect(values(dataset.columns.get('code')).at(-1)).toBe('B-12');
  });

  it('reads a numeric column with a few stray tokens as numeric, the strays missing and reported', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => `${i === 7 || i === 50 ? '?' : i / 4},${i % 2}`);
    const dataset = await readCsv(['x,label', ...rows].join('\n'));
    expect(dataset.schema[0]).toEqual({ name: 'x', type: 'numeric' });
    expect(values(dataset.columns.get('x'))[7]).toBeNaN();
    expect(dataset.warnings).toEqual([
      expect.objectContaining({ kind: 'STRAY_TEXT', column: 'x', count: 2, rows: [8, 51] }),
    ]);
    expect(dataset.warnings[0]?.message).toMatch(/2 of its 200 values \(1\.00%\)/);
  });

  it('refuses a row longer than 1 MiB and a column name longer than 256 characters', async () => {
    const bigCell = readCsv(`x,label\n${'y'.repeat(2 << 20)},1\n`);
    await expect(bigCell).rejects.toMatchObject({
      details: { problems: [expect.objectContaining({ kind: 'MALFORMED_FILE' })] },
    });
    const longName = readCsv(`${'n'.repeat(300)},label\n1,0\n`);
    await expect(longName).rejects.toMatchObject({
      details: { problems: [expect.objectContaining({ kind: 'LONG_COLUMN_NAME' })] },
    });
  });

  it('takes types from the spec and the target type from the task', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => `${i % 4},${i * 2},${i % 2}`);
    const dataset = await readCsv(['zip,x,label', ...rows].join('\n'), {
      task: 'binary',
      features: [{ name: 'zip', type: 'categorical' }],
    });
    expect(dataset.schema).toEqual([
      { name: 'zip', type: 'categorical' },
      { name: 'x', type: 'numeric' },
      { name: 'label', type: 'categorical' },
    ]);
    expect(values(dataset.columns.get('label')).slice(0, 2)).toEqual(['0', '1']);
    expect(dataset.target).toBe('label');
  });

  it('reads scoring input without a target', async () => {
    const dataset = await readCsv(
      ['x,y', ...filler(20).map((r) => r.split(',').slice(0, 2).join(','))].join('\n'),
      { target: null },
    );
    expect(dataset.target).toBeNull();
    expect(dataset.rowCount).toBe(20);
  });
});
