import { describe, expect, it } from 'vitest';
import type { Table } from '../../../shared/data/table.js';
import { encodeColumns, rankCategories } from '../../../shared/ml/features.js';
import { predictOutputs } from '../../../shared/ml/predict.js';
import { trainModel } from '../../../shared/ml/train-model.js';

describe('categorical features', () => {
  const values = ['a', 'b', 'c', 'd', 'a', 'b', 'c', 'd', null, 'e'];
  const target = Float64Array.from([1, 0, 1, 0, 1, 0, 1, 0, 1, 1]);

  it('orders kept categories by smoothed target mean and drops rare ones', () => {
    expect(rankCategories(values, target, { maxCategories: 10, minCount: 2 })).toEqual(['b', 'd', 'a', 'c']);
    expect(rankCategories(values, null, { maxCategories: 2, minCount: 1 })).toEqual(['a', 'b']);
  });

  it('does not let a small category with an extreme target mean outrank a large one', () => {
    // 20 rows all positive vs 200 rows at 0.8: the small category's perfect mean is mostly
    // noise, so the smoothed order keeps it below the large one.
    const names = [
      ...Array<string>(20).fill('small'),
      ...Array<string>(200).fill('large'),
      ...Array<string>(200).fill('low'),
    ];
    const y = Float64Array.from(names, (name, i) =>
      name === 'small' ? 1 : name === 'large' ? (i % 5 === 0 ? 0 : 1) : i % 10 === 0 ? 1 : 0,
    );
    expect(rankCategories(names, y, { maxCategories: 10, minCount: 1 })).toEqual(['low', 'small', 'large']);
  });

  it('encodes unknown, rare and missing categories as NaN', () => {
    const table: Table = {
      names: ['k'],
      columns: new Map([['k', { kind: 'categorical', values: ['c', 'zzz', null, 'b'] }]]),
      rowCount: 4,
    };
    const [codes] = encodeColumns(table, [{ name: 'k', type: 'categorical', categories: ['b', 'c'] }]);
    expect(Array.from(codes ?? [])).toEqual([1, Number.NaN, Number.NaN, 0]);
  });

  it('lets one split separate interleaved categories (no ordinal assumption)', () => {
    const rows = 400;
    const k = Array.from({ length: rows }, (_, r) => 'abcd'[r % 4] as string);
    const y = k.map((c) => (c === 'a' || c === 'c' ? 10 : 0));
    const table: Table = {
      names: ['k', 'y'],
      columns: new Map([
        ['k', { kind: 'categorical', values: k }],
        ['y', { kind: 'numeric', values: Float64Array.from(y) }],
      ]),
      rowCount: rows,
    };
    const { model } = trainModel({
      task: 'regression',
      algorithm: 'gbdt',
      target: 'y',
      features: [{ name: 'k', type: 'categorical' }],
      train: table,
      validation: null,
      gbdt: { maxRounds: 1, maxLeaves: 2, learningRate: 1, l2: 0 },
    });
    const p = predictOutputs(model, table);
    // Base 5, then one two-leaf tree: exactly 10 for a/c and 0 for b/d.
    p.forEach((v, r) => expect(v).toBeCloseTo(y[r] as number, 4));
  });
});
