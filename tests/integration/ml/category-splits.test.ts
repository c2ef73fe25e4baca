// Native categorical splits end to end: trained set splits route categories as meant, and the
// exported graph's BRANCH_EQ chains (the set, its complement, or no code at all) route them alike.
import { describe, expect, it } from 'vitest';
import type { Table } from '../../../shared/data/table.js';
import { setMembers } from '../../../shared/ml/category-set.js';
import { exportModel } from '../../../shared/ml/export-model.js';
import type { GbdtModel, TabularModel } from '../../../shared/ml/model.js';
import { openSession, scoreTable } from '../../../shared/ml/onnx-runtime.js';
import { assertParity } from '../../../shared/ml/parity.js';
import { predictOutputs } from '../../../shared/ml/predict.js';
import { trainModel } from '../../../shared/ml/train-model.js';
import { slice, synthetic, textColumn } from '../../support/ml/synthetic.js';

async function onnxOutputs(model: TabularModel, table: Table): Promise<Float32Array> {
  const session = await openSession(exportModel(model, 'test'));
  try {
    return await scoreTable(session, table, model.features);
  } finally {
    await session.release();
  }
}

/** A regression table of one categorical column `c` (null = missing) and its target. */
function table(cells: [string | null, number][], repeat: number): Table {
  const rows = Array.from({ length: repeat }, () => cells).flat();
  return {
    names: ['c', 'y'],
    columns: new Map([
      ['c', { kind: 'categorical', values: rows.map(([c]) => c) }],
      ['y', { kind: 'numeric', values: Float64Array.from(rows, ([, y]) => y) }],
    ]),
    rowCount: rows.length,
  } as Table;
}

/** One tree, one split, every row counted: the split's sides are the point. */
function oneSplit(train: Table): GbdtModel {
  const { model } = trainModel({
    task: 'regression',
    algorithm: 'gbdt',
    target: 'y',
    features: [{ name: 'c', type: 'categorical' }],
    train,
    validation: null,
    tuning: false,
    gbdt: {
      categoricalSplits: 'native',
      maxRounds: 1,
      maxLeaves: 2,
      minSamplesLeaf: 1,
      minDataPerGroup: 0,
      catSmooth: 1,
      learningRate: 1,
    },
  });
  if (model.kind !== 'gbdt') throw new Error('expected trees');
  return model;
}

const probe = table(
  [
    ['a', 0],
    ['b', 0],
    ['c', 0],
    [null, 0],
    ['never-seen', 0],
  ],
  1,
);

describe('native categorical splits', () => {
  it.each([
    // {b, c} against {a, missing}: the graph tests the complement, code a.
    [
      'a set larger than its complement',
      [
        ['a', 0],
        ['b', 10],
        ['c', 10],
        [null, 0],
      ],
      [0, 10, 10, 0, 0],
    ],
    // Only missing values differ: a set of no category, missing (and unseen) on their own side.
    [
      'a set of missing values only',
      [
        ['a', 0],
        ['b', 0],
        ['c', 0],
        [null, 10],
      ],
      [0, 0, 0, 10, 10],
    ],
    // Every category one way, missing the other.
    [
      'a set of every category',
      [
        ['a', 10],
        [null, 0],
      ],
      [10, 0, 0, 0, 0],
    ],
  ] as const)('routes %s the same in the trainer and the graph', async (_, cells, expected) => {
    const model = oneSplit(table(cells as unknown as [string | null, number][], 20));
    expect(model.trees[0]?.categorySets[0]).not.toBeNull();
    const own = predictOutputs(model, probe);
    expect(Array.from(own, (v) => Math.round(v))).toEqual(expected);
    assertParity(await onnxOutputs(model, probe), own, 1);
  });

  it('splits many-level columns into sets by default, and matches the graph within 1e-4 with unseen and missing values', async () => {
    const { table: data, features } = synthetic({
      task: 'binary',
      rows: 3000,
      seed: 8,
      missing: 0.1,
      categorical: true,
    });
    // A category effect no single order of codes captures: parity of a hash of the category.
    const score = new Float64Array(data.rowCount);
    const values = Array.from({ length: data.rowCount }, (_, r) => {
      const c = (r * 7919) % 43;
      score[r] = (c * 37) % 5 < 2 ? 1 : -1;
      return r % 17 === 0 ? null : `k${c}`;
    });
    const labels = Array.from({ length: data.rowCount }, (_, r) =>
      (score[r] as number) + ((r * 104729) % 100) / 50 - 1 > 0 ? 'yes' : 'no',
    );
    const withCategory: Table = {
      names: [...data.names, 'k'],
      columns: new Map([
        ...data.columns,
        ['k', { kind: 'categorical', values }],
        ['label', { kind: 'categorical', values: labels }],
      ]),
      rowCount: data.rowCount,
    };
    const { model } = trainModel({
      task: 'binary',
      algorithm: 'gbdt',
      target: 'label',
      features: [...features, { name: 'k', type: 'categorical' }],
      train: slice(withCategory, 0, 2000),
      validation: slice(withCategory, 2000, 2500),
      tuning: false,
    });
    if (model.kind !== 'gbdt') throw new Error('expected trees');
    // 43 levels get set splits ('auto'), the 7 colours one order.
    const k = model.features.length - 1;
    const colour = model.features.findIndex((f) => f.name === 'colour');
    const setsOf = (feature: number): (Uint32Array | null)[] =>
      model.trees.flatMap((t) => t.categorySets.filter((s, n) => s && t.feature[n] === feature));
    expect(setsOf(k).some((s) => s && setMembers(s, 43).length > 1)).toBe(true);
    expect(
      model.trees.some((t) => t.feature.some((f, n) => f === colour && (t.left[n] as number) >= 0)),
    ).toBe(true);
    expect(setsOf(colour)).toEqual([]);
    const part = slice(withCategory, 2500, 3000);
    const unseen = textColumn(part, 'k').map((v, r) => (r % 11 === 0 ? 'never-seen' : v));
    const holdout: Table = {
      ...part,
      columns: new Map([...part.columns, ['k', { kind: 'categorical', values: unseen }]]),
    };
    assertParity(await onnxOutputs(model, holdout), predictOutputs(model, holdout), 2);
  });
});
