import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { DatasetOptions } from '../../../shared/data/dataset.js';
import { readCsv } from '../../../shared/data/read-csv.js';
import { readCsvChunks } from '../../../shared/data/read-chunks.js';
import { maxClasses, scanFile } from '../../../shared/data/scan-dataset.js';
import { csv, goodRows, problemsOf } from './dataset-problems.js';

const header = 'x,colour,label';

/** The streaming scan of a CSV text, in small chunks so rows cross chunk boundaries. */
async function scanCsv(text: string, options: DatasetOptions = {}) {
  return scanFile(await readCsvChunks(Readable.from([Buffer.from(text)]), { chunkRows: 7 }), options);
}

const edit = (rows: string[], at: Record<number, string>) => rows.map((row, i) => at[i] ?? row);

// Each file the in-memory reader refuses, refused by the streaming scan with the same problems.
const refused: [string, string, DatasetOptions?][] = [
  ['ragged rows', csv(header, edit(goodRows(30), { 4: '1,red,a,extra', 9: '1,red' }))],
  ['missing target', csv('x,colour,y', goodRows(30))],
  ['declared column absent', csv(header, goodRows(30)), { features: [{ name: 'age', type: 'numeric' }] }],
  ['missing target value', csv(header, edit(goodRows(30), { 2: '2,red,' }))],
  [
    'one class',
    csv(
      header,
      goodRows(30).map((row) => row.replace(/,[ab]$/, ',a')),
    ),
  ],
  [
    'wrong numeric',
    csv(header, edit(goodRows(30), { 0: 'ten,red,a', 7: '7x,blue,b' })),
    { features: [{ name: 'x', type: 'numeric' }] },
  ],
  [
    'wrong boolean',
    csv(
      `${header},active`,
      goodRows(30).map((row, i) => `${row},${i === 3 ? 'maybe' : 'yes'}`),
    ),
    { features: [{ name: 'active', type: 'boolean' }] },
  ],
  [
    'too many missing',
    csv(
      header,
      goodRows(30).map((row, i) => (i < 20 ? row.replace(/^\d+,/, 'NA,') : row)),
    ),
  ],
  ['too few rows', csv(header, goodRows(5))],
  ['first row is data', csv('1,2.5,3', ['4,5,6'])],
  ['duplicate and empty names', csv('x,x,,y', goodRows(10)), { features: [{ name: 'x', type: 'numeric' }] }],
  [
    'regression target with text',
    csv(header, edit(goodRows(30), { 5: '5,red,n/a?' })),
    { task: 'regression' },
  ],
  ['unclosed quote', csv(header, [...goodRows(30), '1,"red,a'])],
];

describe('streaming dataset scan', () => {
  it.each(refused)('refuses %s with the problems of the in-memory reader', async (_name, text, options) => {
    expect(await problemsOf(scanCsv(text, options))).toEqual(await problemsOf(readCsv(text, options)));
  });

  it('refuses a file over the size limit before reading it to the end', async () => {
    let produced = 0;
    const endless = new Readable({
      read() {
        produced += 1;
        this.push(produced === 1 ? `${header}\n` : '1,red,a\n'.repeat(100));
      },
    });
    const file = readCsvChunks(endless, { chunkRows: 10, maxBytes: 1000 });
    const problems = await problemsOf(file.then((f) => scanFile(f)));
    expect(problems).toMatchObject([{ kind: 'FILE_TOO_LARGE' }]);
    expect(produced).toBeLessThan(100);
  });

  it('settles the same schema as the in-memory reader, with stray text as a warning', async () => {
    const rows = goodRows(200).map(
      (row, i) => `${row},${i % 2 ? 'yes' : 'no'},${i === 17 ? '#REF!' : i / 4}`,
    );
    const text = csv(`${header},active,ratio`, rows);
    const scan = await scanCsv(text, { task: 'binary' });
    const dataset = await readCsv(text, { task: 'binary' });
    expect(scan.schema).toEqual(dataset.schema);
    expect(scan.warnings).toEqual(dataset.warnings);
    expect(scan.warnings).toMatchObject([{ kind: 'STRAY_TEXT', column: 'ratio', rows: [18] }]);
    expect(scan.rowCount).toBe(200);
    expect(Object.fromEntries(scan.classes!)).toEqual({ a: 100, b: 100 });
  });

  it('infers the task from the target in the same pass, and says so', async () => {
    const task = async (labels: (i: number) => string) =>
      (
        await scanCsv(
          csv(
            'x,label',
            Array.from({ length: 30 }, (_, i) => `${i},${labels(i)}`),
          ),
        )
      ).task;
    expect(await task((i) => (i % 2 ? 'yes' : 'no'))).toBe('binary');
    expect(await task((i) => ['a', 'b', 'c'][i % 3]!)).toBe('multiclass');
    expect(await task((i) => String(i % 2))).toBe('binary');
    expect(await task((i) => String(i / 3))).toBe('regression');
    const scan = await scanCsv(
      csv(
        'x,label',
        Array.from({ length: 30 }, (_, i) => `${i},${i % 2}`),
      ),
    );
    expect(scan).toMatchObject({
      taskInferred: true,
      classes: new Map([
        ['0', 15],
        ['1', 15],
      ]),
    });
  });

  it(`refuses a classification target with more than ${maxClasses} classes`, async () => {
    const rows = Array.from({ length: maxClasses + 5 }, (_, i) => `${i},id-${i}`);
    expect(await problemsOf(scanCsv(csv('x,label', rows)))).toMatchObject([
      { kind: 'TOO_MANY_CLASSES', column: 'label' },
    ]);
  });
});
