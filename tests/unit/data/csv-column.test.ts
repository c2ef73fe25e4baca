import { describe, expect, it } from 'vitest';
import { CsvColumn } from '../../../shared/data/csv-column.js';

function columnOf(cells: readonly string[]): CsvColumn {
  const column = new CsvColumn();
  for (const cell of cells) column.push(cell);
  return column;
}

describe('CsvColumn', () => {
  it('keeps an all-numeric column as numbers, NaN where missing', () => {
    const column = columnOf(Array.from({ length: 5000 }, (_, i) => (i === 3 ? 'NA' : String(i / 2))));
    const numbers = column.asNumbers();
    expect(numbers).toBeInstanceOf(Float64Array);
    expect(numbers).toHaveLength(5000);
    expect([numbers?.[2], numbers?.[3], numbers?.[4999]]).toEqual([1, Number.NaN, 2499.5]);
  });

  it('restores the exact text of earlier cells when a later cell is text', () => {
    const column = columnOf(['1', '007', '1.50', '', 'x']);
    expect(column.asNumbers()).toBeUndefined();
    expect([0, 1, 2, 3, 4].map((row) => column.cell(row))).toEqual(['1', '007', '1.50', '', 'x']);
  });

  it('keeps mostly unusually written numbers as text, still numbers when read', () => {
    const cells = Array.from({ length: 3000 }, (_, i) => (i % 100).toFixed(2));
    const column = columnOf(cells);
    expect(column.asNumbers()).toBeUndefined();
    expect(column.cell(2999)).toBe('99.00');
    expect(column.cell(1)).toBe('1.00');
  });
});
