import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../../shared/data/read-csv.js';
import { csv, goodRows, problemsOf } from './dataset-problems.js';

const header = 'x,colour,label';

describe('dataset validation: one test per kind of problem', () => {
  it('accepts a good file', async () => {
    const dataset = await readCsv(csv(header, goodRows(30)));
    expect(dataset.rowCount).toBe(30);
  });

  it('NO_HEADER: empty file', async () => {
    expect(await problemsOf(readCsv(''))).toMatchObject([{ kind: 'NO_HEADER' }]);
  });

  it('NO_HEADER: first row is data', async () => {
    const problems = await problemsOf(readCsv(csv('1,2.5,3', ['4,5,6'])));
    expect(problems).toMatchObject([{ kind: 'NO_HEADER' }]);
  });

  it('EMPTY_COLUMN_NAME', async () => {
    const problems = await problemsOf(readCsv(csv('x,,label', goodRows(30))));
    expect(problems).toEqual([
      expect.objectContaining({ kind: 'EMPTY_COLUMN_NAME', message: expect.stringContaining('column 2') }),
    ]);
  });

  it('DUPLICATE_COLUMN_NAME', async () => {
    const problems = await problemsOf(readCsv(csv('x,x,label', goodRows(30))));
    expect(problems).toEqual([expect.objectContaining({ kind: 'DUPLICATE_COLUMN_NAME', column: 'x' })]);
  });

  it('ROW_LENGTH names the rows', async () => {
    const rows = goodRows(30);
    rows[4] = '1,red,a,extra,extra';
    rows[9] = '1,red,a,extra';
    const problems = await problemsOf(readCsv(csv(header, rows)));
    expect(problems).toEqual([expect.objectContaining({ kind: 'ROW_LENGTH', rows: [5, 10], count: 2 })]);
  });

  it('MISSING_TARGET, also for a target named by the spec', async () => {
    expect(await problemsOf(readCsv(csv('x,colour,y', goodRows(30))))).toMatchObject([
      { kind: 'MISSING_TARGET', column: 'label' },
    ]);
    expect(await problemsOf(readCsv(csv(header, goodRows(30)), { target: 'churned' }))).toMatchObject([
      { kind: 'MISSING_TARGET', column: 'churned' },
    ]);
  });

  it('MISSING_COLUMN: the spec declares a column the file lacks', async () => {
    const problems = await problemsOf(
      readCsv(csv(header, goodRows(30)), { features: [{ name: 'age', type: 'numeric' }] }),
    );
    expect(problems).toMatchObject([{ kind: 'MISSING_COLUMN', column: 'age' }]);
  });

  it('MISSING_TARGET_VALUE', async () => {
    const rows = goodRows(30);
    rows[2] = '2,red,';
    const problems = await problemsOf(readCsv(csv(header, rows)));
    expect(problems).toMatchObject([{ kind: 'MISSING_TARGET_VALUE', column: 'label', rows: [3], count: 1 }]);
  });

  it('SINGLE_CLASS_TARGET', async () => {
    const rows = goodRows(30).map((row) => row.replace(/,[ab]$/, ',a'));
    expect(await problemsOf(readCsv(csv(header, rows)))).toMatchObject([
      { kind: 'SINGLE_CLASS_TARGET', column: 'label' },
    ]);
  });

  it('WRONG_TYPE against the spec, with rows and count', async () => {
    const rows = goodRows(30);
    rows[0] = 'ten,red,a';
    rows[7] = '7x,blue,b';
    const problems = await problemsOf(
      readCsv(csv(header, rows), { features: [{ name: 'x', type: 'numeric' }] }),
    );
    expect(problems).toMatchObject([{ kind: 'WRONG_TYPE', column: 'x', rows: [1, 8], count: 2 }]);
  });

  it('WRONG_TYPE for a declared boolean', async () => {
    const rows = goodRows(30).map((row, i) => `${row},${i === 3 ? 'maybe' : 'yes'}`);
    const problems = await problemsOf(
      readCsv(csv(`${header},active`, rows), { features: [{ name: 'active', type: 'boolean' }] }),
    );
    expect(problems).toMatchObject([{ kind: 'WRONG_TYPE', column: 'active', rows: [4] }]);
  });

  it('TOO_MANY_MISSING', async () => {
    const rows = goodRows(30).map((row, i) => (i < 20 ? row.replace(/^\d+,/, 'NA,') : row));
    const problems = await problemsOf(readCsv(csv(header, rows)));
    expect(problems).toMatchObject([{ kind: 'TOO_MANY_MISSING', column: 'x', count: 20 }]);
  });

  it('TOO_FEW_ROWS', async () => {
    const problems = await problemsOf(readCsv(csv(header, goodRows(5))));
    expect(problems).toMatchObject([{ kind: 'TOO_FEW_ROWS', count: 5 }]);
  });

  it('FILE_TOO_LARGE for text and for a stream, refused before the end', async () => {
    const text = csv(header, goodRows(1000));
    const limits = { maxBytes: 1000 };
    expect(await problemsOf(readCsv(text, { limits }))).toMatchObject([{ kind: 'FILE_TOO_LARGE' }]);
    let produced = 0;
    const endless = new Readable({
      read() {
        produced += 1;
        this.push(produced === 1 ? `${header}\n` : '1,red,a\n'.repeat(100));
      },
    });
    expect(await problemsOf(readCsv(endless, { limits }))).toMatchObject([{ kind: 'FILE_TOO_LARGE' }]);
    // The stream is endless: getting here at all shows reading stopped at the limit.
    expect(produced).toBeLessThan(100);
  });

  it('MALFORMED_FILE for an unclosed quote', async () => {
    const problems = await problemsOf(readCsv(csv(header, [...goodRows(30), '1,"red,a'])));
    expect(problems).toMatchObject([{ kind: 'MALFORMED_FILE' }]);
  });

  it('reports every problem of a file at once', async () => {
    const rows = goodRows(10).map((row) => row.replace(/^0,/, 'zero,'));
    const problems = await problemsOf(
      readCsv(csv('x,x,,y', rows), { features: [{ name: 'x', type: 'numeric' }] }),
    );
    // Rows have 3 fields for a 4-column header, so column y is also entirely missing.
    expect(new Set(problems.map((p) => p.kind))).toEqual(
      new Set([
        'DUPLICATE_COLUMN_NAME',
        'EMPTY_COLUMN_NAME',
        'MISSING_TARGET',
        'ROW_LENGTH',
        'TOO_FEW_ROWS',
        'WRONG_TYPE',
        'TOO_MANY_MISSING',
      ]),
    );
    expect(problems.find((p) => p.kind === 'WRONG_TYPE')).toMatchObject({ column: 'x', rows: [1] });
  });
});
