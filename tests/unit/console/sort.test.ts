import { describe, expect, it } from 'vitest';
import { nextSort, sortRows } from '../../../console/src/sort.js';

describe('table sorting', () => {
  it('sorts numbers numerically and text naturally, blanks last either way', () => {
    const rows = [{ v: 10 }, { v: undefined }, { v: 9 }, { v: 0.5 }];
    expect(sortRows(rows, (r) => r.v, false).map((r) => r.v)).toEqual([0.5, 9, 10, undefined]);
    expect(sortRows(rows, (r) => r.v, true).map((r) => r.v)).toEqual([10, 9, 0.5, undefined]);
    const names = [{ n: 'run-10' }, { n: 'run-9' }, { n: '' }];
    expect(sortRows(names, (r) => r.n, false).map((r) => r.n)).toEqual(['run-9', 'run-10', '']);
  });

  it('flips the sorted column and starts a new one descending', () => {
    expect(nextSort(null, 'auc')).toEqual({ column: 'auc', descending: true });
    expect(nextSort({ column: 'auc', descending: true }, 'auc')).toEqual({
      column: 'auc',
      descending: false,
    });
    expect(nextSort({ column: 'auc', descending: false }, 'f1')).toEqual({ column: 'f1', descending: true });
  });
});
