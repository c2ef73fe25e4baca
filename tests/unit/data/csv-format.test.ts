import { describe, expect, it } from 'vitest';
import { typedLine } from '../../../shared/data/csv-format.js';
import type { FeatureType } from '../../../shared/data/kinds.js';
import { typedCell, type RawCell } from '../../../shared/data/raw-table.js';
import { readCsv } from '../../../shared/data/read-csv.js';

describe('typedLine', () => {
  const types: FeatureType[] = ['numeric', 'numeric', 'boolean', 'categorical', 'categorical'];
  const rows: RawCell[][] = [
    ['1.50', 2e-7, 'yes', ' padded, "quoted" ', 'NA'],
    ['?', Number.NaN, 'maybe', '007', 'b'],
    ['-3', '', true, 12, 'c'],
  ];

  it('writes numbers in their own spelling and what is not of the type as empty cells', () => {
    expect(typedLine(rows[0]!, types)).toBe('1.50,2e-7,1," padded, ""quoted"" ",\r\n');
    expect(typedLine(rows[1]!, types)).toBe(',,,007,b\r\n');
  });

  it('copies the cells of a plain column (numbers or missing) as read', () => {
    const plain = ['plain', 'plain', 'plain', 'plain'] as const;
    expect(typedLine(['1.50', 'NA', 7, null], plain)).toBe('1.50,NA,7,\r\n');
    expect(typedLine([Number.NaN, true, '', '-2e3'], plain)).toBe(',1,,-2e3\r\n');
  });

  it('reads back to the cells its types give', async () => {
    const text = `a,b,c,d,e\r\n${rows.map((row) => typedLine(row, types)).join('')}`;
    const features = types.map((type, i) => ({ name: 'abcde'[i]!, type }));
    const dataset = await readCsv(text, {
      target: null,
      features,
      limits: { minRows: 1, maxMissingFraction: 1 },
    });
    for (const [i, { name, type }] of features.entries()) {
      const expected = rows.map((row) => typedCell(type, row[i] ?? null));
      expect(Array.from(dataset.columns.get(name)!.values as ArrayLike<unknown>), name).toEqual(expected);
    }
  });
});
