// Exported graphs scored by onnxruntime-node must reproduce the trainer's own predictions.
import { describe, expect, it } from 'vitest';
import type { Table } from '../../../shared/data/table.js';
import { exportModel } from '../../../shared/ml/export-model.js';
import { blendModels } from '../../../shared/ml/blend.js';
import type { Algorithm, GbdtModel, TabularModel, Task } from '../../../shared/ml/model.js';
import { readMetadata } from '../../../shared/ml/onnx-graph.js';
import { ModelProto } from '../../../shared/ml/onnx-proto.js';
import { openSession, scoreTable } from '../../../shared/ml/onnx-runtime.js';
import { assertParity } from '../../../shared/ml/parity.js';
import { predictOutputs } from '../../../shared/ml/predict.js';
import { trainModel } from '../../../shared/ml/train-model.js';
import { slice, synthetic, textColumn } from '../../support/ml/synthetic.js';

async function parity(model: TabularModel, table: Table): Promise<number> {
  const session = await openSession(exportModel(model, 'test'));
  try {
    const onnx = await scoreTable(session, table, model.features, 700);
    const width = model.task === 'regression' ? 1 : model.classes.length;
    return assertParity(onnx, predictOutputs(model, table), width).maxScaledDiff;
  } finally {
    await session.release();
  }
}

const cases: [Task, Algorithm][] = [
  ['binary', 'gbdt'],
  ['multiclass', 'gbdt'],
  ['regression', 'gbdt'],
  ['binary', 'linear'],
  ['multiclass', 'linear'],
  ['regression', 'linear'],
];

describe('ONNX parity', () => {
  it.each(cases)(
    '%s %s, with categorical and missing values, matches within 1e-4',
    async (task, algorithm) => {
      const { table, features } = synthetic({
        task,
        rows: 3000,
        seed: 21,
        missing: 0.15,
        categorical: true,
        classes: 4,
      });
      const { model } = trainModel({
        task,
        algorithm,
        target: 'label',
        features,
        train: slice(table, 0, 2000),
        validation: slice(table, 2000, 2500),
        tuning: false,
      });
      expect(await parity(model, slice(table, 2500, 3000))).toBeLessThan(1e-4);
    },
  );

  it.each(['binary', 'multiclass', 'regression'] as const)(
    '%s: a blend of tuning trials (one ensemble of scaled trees) matches within 1e-4',
    async (task) => {
      const { table, features } = synthetic({ task, rows: 1500, seed: 8, categorical: true, classes: 3 });
      const fit = (maxLeaves: number) =>
        trainModel({
          task,
          algorithm: 'gbdt',
          target: 'label',
          features,
          train: slice(table, 0, 1000),
          validation: slice(table, 1000, 1200),
          gbdt: { maxLeaves },
          tuning: false,
        }).model as GbdtModel;
      const blend = blendModels([fit(4), fit(15), fit(31)]);
      expect(await parity(blend, slice(table, 1200, 1500))).toBeLessThan(1e-4);
    },
  );

  it('handles single-leaf trees under a logistic link (binary) and a softmax (multiclass)', async () => {
    for (const task of ['binary', 'multiclass'] as const) {
      const { table, features } = synthetic({ task, rows: 200, seed: 4 });
      // More rows per leaf than the data has: every tree is a lone leaf with a non-zero value.
      const { model } = trainModel({
        task,
        algorithm: 'gbdt',
        target: 'label',
        features,
        train: table,
        validation: null,
        gbdt: { minSamplesLeaf: 500, maxRounds: 5 },
      });
      if (model.kind !== 'gbdt') throw new Error('expected trees');
      expect(model.trees.every((t) => t.left.length === 1)).toBe(true);
      expect(await parity(model, table)).toBeLessThan(1e-4);
    }
  });

  it('gives the right probabilities when every leaf weight is positive (a case onnxruntime binary classifiers skip the sigmoid for)', async () => {
    // Positives are the majority, so single-leaf gradients push every weight up.
    const { table, features } = synthetic({ task: 'binary', rows: 100, seed: 9 });
    const labels = textColumn(table, 'label').map((_, r) => (r % 10 === 0 ? 'no' : 'yes'));
    const skewed: Table = {
      ...table,
      columns: new Map([...table.columns, ['label', { kind: 'categorical', values: labels }]]),
    };
    const { model } = trainModel({
      task: 'binary',
      algorithm: 'gbdt',
      target: 'label',
      features,
      train: skewed,
      validation: null,
      gbdt: { minSamplesLeaf: 500, maxRounds: 3 },
    });
    if (model.kind !== 'gbdt') throw new Error('expected trees');
    expect(model.trees.every((t) => (t.value[0] as number) > 0)).toBe(true);
    const session = await openSession(exportModel(model, 'test'));
    const onnx = await scoreTable(session, skewed, model.features);
    await session.release();
    // 90% positives: prior logit ln 9 plus the three leaves, through the sigmoid.
    const score =
      (model.baseScores[0] as number) + model.trees.reduce((s, t) => s + (t.value[0] as number), 0);
    expect(onnx[1]).toBeCloseTo(1 / (1 + Math.exp(-score)), 5);
    expect(onnx[0]).toBeCloseTo(1 - (onnx[1] as number), 6);
  });

  it('keeps a tiny class (10 rows in 6000) in the probabilities', async () => {
    const { table, features } = synthetic({
      task: 'multiclass',
      rows: 6000,
      seed: 11,
      tinyClassRows: 10,
      missing: 0.05,
      categorical: true,
    });
    const { model } = trainModel({
      task: 'multiclass',
      algorithm: 'gbdt',
      target: 'label',
      features,
      train: slice(table, 0, 4000),
      validation: slice(table, 4000, 6000),
      tuning: false,
    });
    expect(model.classes).toContain('rare');
    expect(await parity(model, slice(table, 4000, 6000))).toBeLessThan(1e-4);
  });

  it('treats unseen and missing categories as missing, in the graph as in the trainer', async () => {
    const { table, features } = synthetic({ task: 'binary', rows: 1500, seed: 5, categorical: true });
    const { model } = trainModel({
      task: 'binary',
      algorithm: 'gbdt',
      target: 'label',
      features,
      train: table,
      validation: null,
      gbdt: { maxRounds: 30 },
    });
    const colour = textColumn(table, 'colour').map((v, r) =>
      r % 3 === 0 ? 'never-seen' : r % 3 === 1 ? null : v,
    );
    const odd: Table = {
      ...table,
      columns: new Map([...table.columns, ['colour', { kind: 'categorical', values: colour }]]),
    };
    expect(await parity(model, odd)).toBeLessThan(1e-4);
    const linear = trainModel({
      task: 'binary',
      algorithm: 'linear',
      target: 'label',
      features,
      train: table,
      validation: null,
    }).model;
    expect(await parity(linear, odd)).toBeLessThan(1e-4);
  });

  it('exports one-feature models and linear models without numeric features', async () => {
    const { table } = synthetic({ task: 'binary', rows: 1200, seed: 13, categorical: true, missing: 0.1 });
    for (const algorithm of ['gbdt', 'linear'] as const) {
      for (const features of [
        [{ name: 'x0', type: 'numeric' as const }],
        [{ name: 'colour', type: 'categorical' as const }],
      ]) {
        const { model } = trainModel({
          task: 'binary',
          algorithm,
          target: 'label',
          features,
          train: table,
          validation: null,
          gbdt: { maxRounds: 20 },
        });
        expect(await parity(model, table)).toBeLessThan(1e-4);
      }
    }
  });

  it('follows the model interface: inputs per column, outputs, metadata, no ZipMap', async () => {
    const { table, features } = synthetic({
      task: 'multiclass',
      rows: 800,
      seed: 6,
      categorical: true,
      classes: 3,
    });
    const { model } = trainModel({
      task: 'multiclass',
      algorithm: 'gbdt',
      target: 'label',
      features,
      train: table,
      validation: null,
      gbdt: { maxRounds: 5 },
    });
    const bytes = exportModel(model, 'test');
    const session = await openSession(bytes);
    expect([...session.inputNames]).toEqual(['x0', 'x1', 'x2', 'x3', 'colour']);
    expect([...session.outputNames].sort()).toEqual(['label', 'probabilities']);
    const feeds = { x0: 0, x1: 1, x2: -1, x3: Number.NaN };
    const { Tensor } = await import('onnxruntime-node');
    const result = await session.run({
      ...Object.fromEntries(
        Object.entries(feeds).map(([k, v]) => [k, new Tensor('float32', Float32Array.from([v]), [1, 1])]),
      ),
      colour: new Tensor('string', ['red'], [1, 1]),
    });
    await session.release();
    expect(result.probabilities?.dims).toEqual([1, 3]);
    expect(result.label?.dims).toEqual([1]);
    expect(model.classes).toContain(result.label?.data[0]);
    const metadata = readMetadata(bytes);
    expect(JSON.parse(metadata.classes ?? '')).toEqual(model.classes);
    expect(JSON.parse(metadata.features ?? '')[4]).toMatchObject({ name: 'colour', type: 'categorical' });
    const graph = ModelProto.toObject(ModelProto.decode(bytes)) as { graph: { node: { op_type: string }[] } };
    const ops = graph.graph.node.map((n) => n.op_type);
    expect(ops).toContain('TreeEnsembleRegressor');
    expect(ops).toContain('LabelEncoder');
    expect(ops).not.toContain('ZipMap');
  });
});
