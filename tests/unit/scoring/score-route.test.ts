// The score route's table: rows of plain numbers take the quick path, every other row the full
// checks, and both give the same table or the same 400.
import { describe, expect, it } from 'vitest';
import { isPlatformError } from '../../../shared/errors.js';
import type { ModelInterface } from '../../../shared/ml/model-interface.js';
import { rowsTable } from '../../../shared/scoring/score-route.js';

const meta = {
  features: [
    { name: 'a', type: 'numeric' },
    { name: 'b', type: 'numeric' },
  ],
  classes: [],
} as unknown as ModelInterface;

const values = (rows: Record<string, unknown>[], model = meta) =>
  [...rowsTable(rows, model).columns.values()].map((column) =>
    Array.from(column.values as ArrayLike<unknown>),
  );

function refusal(rows: Record<string, unknown>[]) {
  try {
    rowsTable(rows, meta);
  } catch (error) {
    if (isPlatformError(error)) return { message: error.message, details: error.details };
    throw error;
  }
  throw new Error('accepted');
}

describe('rowsTable', () => {
  it('sets plain rows and rows that need the full checks alike', () => {
    expect(
      values([
        { a: 1, b: -2.5 },
        { b: '3', a: null },
        { a: 0, b: 1e30 },
      ]),
    ).toEqual([
      [1, Number.NaN, 0],
      [-2.5, 3, 1e30],
    ]);
  });

  it('refuses an unknown field, a missing feature or a number float32 cannot hold, naming row and field', () => {
    expect(
      refusal([
        { a: 1, b: 2 },
        { a: 1, b: 2, c: 3 },
      ]),
    ).toMatchObject({
      message: "Row 1: 'c' is not a feature of the model.",
      details: { field: 'rows.1.c', row: 1 },
    });
    expect(refusal([{ a: 1 }]).details).toMatchObject({ field: 'rows.0.b' });
    expect(refusal([{ a: 1, b: 1e39 }]).details).toMatchObject({ field: 'rows.0.b' });
    expect(refusal([{ a: 1, b: [2] }]).details).toMatchObject({ field: 'rows.0.b' });
  });

  it('reads categorical and boolean features through the full checks', () => {
    const mixed = {
      features: [
        { name: 'kind', type: 'categorical', categories: ['x'] },
        { name: 'flag', type: 'boolean' },
      ],
      classes: [],
    } as unknown as ModelInterface;
    expect(values([{ kind: 'x', flag: true }], mixed)).toEqual([['x'], [1]]);
  });
});
