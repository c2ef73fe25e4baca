import { describe, expect, it } from 'vitest';
import { defaultGbdtParams, trainGbdt, type GbdtInput } from '../../../shared/ml/gbdt.js';
import type { ModelFeature } from '../../../shared/ml/model.js';
import { objectiveFor, sigmoid } from '../../../shared/ml/objectives.js';
import { seededRandom } from '../../../shared/data/prng.js';
import { predictOutputs } from '../../../shared/ml/predict.js';
import { trainModel } from '../../../shared/ml/train-model.js';
import { slice, synthetic, textColumn } from '../../support/ml/synthetic.js';

const oneFeature: ModelFeature[] = [{ name: 'x', type: 'numeric' }];

function input(x: number[], y: number[], overrides: Partial<GbdtInput> = {}): GbdtInput {
  return {
    task: 'regression',
    features: oneFeature,
    classes: [],
    train: { columns: [Float64Array.from(x)], y: Float64Array.from(y) },
    validation: null,
    params: { ...defaultGbdtParams, minSamplesLeaf: 1, maxRounds: 1 },
    ...overrides,
  };
}

describe('gradient boosting math', () => {
  it('starts regression from the mean and splits where the target jumps, leaves -G/(H+l2) * rate', () => {
    const x = [1, 2, 3, 4, 5, 6];
    const y = [0, 0, 0, 10, 10, 10];
    const { model } = trainGbdt(
      input(x, y, {
        params: {
          ...defaultGbdtParams,
          minSamplesLeaf: 1,
          maxRounds: 1,
          maxLeaves: 2,
          l2: 1,
          learningRate: 0.5,
        },
      }),
    );
    expect(model.baseScores).toEqual([5]);
    const tree = model.trees[0];
    expect(tree?.threshold[0]).toBe(3.5);
    // Left: g = 5 - 0 on 3 rows -> G = 15, H = 3; value = -15 / 4 * 0.5.
    expect(tree?.value[1]).toBeCloseTo(Math.fround((-15 / 4) * 0.5), 6);
    expect(tree?.value[2]).toBeCloseTo(Math.fround((15 / 4) * 0.5), 6);
  });

  it('starts binary from the logit of the positive rate', () => {
    const { model } = trainGbdt(
      input([1, 2, 3, 4], [0, 0, 0, 1], {
        task: 'binary',
        classes: ['0', '1'],
        params: { ...defaultGbdtParams, maxRounds: 1 },
      }),
    );
    expect(model.baseScores[0]).toBeCloseTo(Math.log(0.25 / 0.75), 12);
  });

  it('uses logistic gradient and hessian for a single-leaf tree', () => {
    // minSamplesLeaf above the row count: every tree is one leaf, value -sum(p - y) / (sum p(1-p) + l2) * rate.
    const y = [0, 0, 0, 1];
    const { model } = trainGbdt(
      input([1, 2, 3, 4], y, {
        task: 'binary',
        classes: ['0', '1'],
        params: { ...defaultGbdtParams, minSamplesLeaf: 10, maxRounds: 1, l2: 1, learningRate: 0.3 },
      }),
    );
    const p = 0.25;
    const g = y.reduce((s, v) => s + p - v, 0);
    const h = 4 * p * (1 - p);
    expect(model.trees[0]?.left[0]).toBe(-1);
    expect(model.trees[0]?.value[0]).toBeCloseTo(Math.fround((-g / (h + 1)) * 0.3), 7);
  });

  it('starts multiclass from log class priors', () => {
    const { model } = trainGbdt(
      input([1, 2, 3, 4], [0, 1, 1, 2], {
        task: 'multiclass',
        classes: ['a', 'b', 'c'],
        params: { ...defaultGbdtParams, maxRounds: 1 },
      }),
    );
    expect(model.baseScores.map((s) => Math.exp(s))).toEqual(
      [0.25, 0.5, 0.25].map((p) => expect.closeTo(p, 12)),
    );
    expect(model.trees).toHaveLength(3);
  });

  it('learns where missing values go', () => {
    // Missing x behaves like large x: the split must send missing right.
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 300; i++) {
      const missing = i % 3 === 0;
      x.push(missing ? Number.NaN : i % 2);
      y.push(missing || i % 2 === 1 ? 1 : 0);
    }
    const { model } = trainGbdt(
      input(x, y, { params: { ...defaultGbdtParams, maxRounds: 1, maxLeaves: 2, minSamplesLeaf: 5 } }),
    );
    const tree = model.trees[0];
    expect(tree?.missingLeft[0]).toBe(0);
    expect(tree?.threshold[0]).toBe(0.5);
  });

  it('respects minSamplesLeaf and maxDepth', () => {
    const x = Array.from({ length: 200 }, (_, i) => i);
    const y = x.map((v) => Math.sin(v / 10));
    const { model } = trainGbdt(
      input(x, y, {
        params: { ...defaultGbdtParams, maxRounds: 1, maxDepth: 2, maxLeaves: 31, minSamplesLeaf: 30 },
      }),
    );
    const tree = model.trees[0];
    const leaves = Array.from(tree?.left ?? []).filter((l) => l < 0).length;
    expect(leaves).toBeLessThanOrEqual(4);
  });
});

describe('boosting', () => {
  it('stops early on the validation loss and keeps the best round', () => {
    const outcome = earlyStopped('binary', 7, {
      maxRounds: 1000,
      learningRate: 0.3,
      earlyStoppingRounds: 10,
    });
    expect(outcome.rounds).toBeLessThan(200);
    expect(outcome.trees).toBe(outcome.rounds);
  });

  it('returns the validation scores of the round it keeps, not of the last round it ran', () => {
    const random = seededRandom(3);
    const noisy = (n: number) => {
      const x = Array.from({ length: n }, () => random() * 10);
      return { x, y: x.map((v) => Math.sin(v) + random()) };
    };
    const train = noisy(300);
    const valid = noisy(200);
    const result = trainGbdt(
      input(train.x, train.y, {
        validation: { columns: [Float64Array.from(valid.x)], y: Float64Array.from(valid.y) },
        params: { ...defaultGbdtParams, minSamplesLeaf: 1, learningRate: 0.5, maxRounds: 300 },
      }),
    );
    expect(result.history.length).toBeGreaterThan(result.rounds);
    const kept = objectiveFor('regression', 0).loss(result.validationScores!, Float64Array.from(valid.y));
    expect(kept).toBe(result.history[result.rounds - 1]?.validation);
  });

  it('counts only improvements above the tolerance, a share of the starting loss', () => {
    const fit = (earlyStoppingTolerance: number) =>
      earlyStopped('regression', 5, {
        maxRounds: 2000,
        learningRate: 0.05,
        earlyStoppingRounds: 10,
        earlyStoppingTolerance,
      });
    const exact = fit(0);
    const tolerant = fit(1e-3);
    expect(tolerant.rounds).toBeLessThan(exact.rounds);
    expect(tolerant.ran).toBe(tolerant.rounds + 10);
    expect(tolerant.loss).toBeLessThan(exact.loss * 1.05);
  });

  it('is deterministic for a seed, with row and feature subsampling', () => {
    const { table, features } = synthetic({
      task: 'regression',
      rows: 2000,
      seed: 3,
      missing: 0.1,
      categorical: true,
    });
    const train = (seed: number) =>
      predictOutputs(
        trainModel({
          task: 'regression',
          algorithm: 'gbdt',
          target: 'label',
          features,
          train: table,
          validation: null,
          gbdt: { maxRounds: 20, subsample: 0.7, colsample: 0.6, seed },
        }).model,
        table,
      );
    expect(train(1)).toEqual(train(1));
    expect(train(1)).not.toEqual(train(2));
  });

  it('keeps a tiny class (10 rows in 6000) learnable, with finite probabilities summing to 1', () => {
    const { table, features } = synthetic({
      task: 'multiclass',
      rows: 6000,
      seed: 11,
      tinyClassRows: 10,
      missing: 0.05,
      categorical: true,
    });
    const holdout = slice(table, 4000, 6000);
    const rareProbability = (minSamplesLeaf: number): number[] => {
      const outcome = trainModel({
        task: 'multiclass',
        algorithm: 'gbdt',
        target: 'label',
        features,
        train: slice(table, 0, 4000),
        validation: holdout,
        gbdt: { minSamplesLeaf },
        tuning: false,
      });
      expect(outcome.rounds).toBeGreaterThan(5);
      const { classes } = outcome.model;
      const p = predictOutputs(outcome.model, holdout);
      for (let r = 0; r < holdout.rowCount; r++) {
        let sum = 0;
        for (let c = 0; c < classes.length; c++) {
          const v = p[r * classes.length + c] as number;
          expect(Number.isFinite(v)).toBe(true);
          sum += v;
        }
        expect(sum).toBeCloseTo(1, 9);
      }
      const rare = classes.indexOf('rare');
      const labels = textColumn(holdout, 'label');
      return labels.flatMap((label, r) => (label === 'rare' ? [p[r * classes.length + rare] as number] : []));
    };
    // 6 training rows cannot fill a default leaf (20 rows), yet the class's region stands out...
    for (const p of rareProbability(20)) expect(p).toBeGreaterThan(10 * (10 / 6000));
    // ...and with leaves allowed that small, the class is predicted outright.
    for (const p of rareProbability(3)) expect(p).toBeGreaterThan(0.5);
  });

  it('reaches a clearly better loss than the prior', () => {
    const { table, features } = synthetic({ task: 'binary', rows: 4000, seed: 2 });
    const { model } = trainModel({
      task: 'binary',
      algorithm: 'gbdt',
      target: 'label',
      features,
      train: slice(table, 0, 3000),
      validation: slice(table, 3000, 4000),
      tuning: false,
    });
    const holdout = slice(table, 3000, 4000);
    const p = predictOutputs(model, holdout);
    const labels = textColumn(holdout, 'label');
    const correct = labels.filter((l, r) => (p[2 * r + 1] as number) > 0.5 === (l === 'yes')).length;
    expect(correct / holdout.rowCount).toBeGreaterThan(0.8);
    expect(sigmoid(0)).toBe(0.5);
  });
});

/** Trains on 2,000 synthetic rows, stopping early on 1,000 more. */
function earlyStopped(
  task: 'binary' | 'regression',
  seed: number,
  gbdt: Partial<typeof defaultGbdtParams>,
): { rounds: number; ran: number; loss: number; trees: number } {
  const { table, features } = synthetic({ task, rows: 3000, seed });
  const losses: number[] = [];
  const outcome = trainModel({
    task,
    algorithm: 'gbdt',
    target: 'label',
    features,
    train: slice(table, 0, 2000),
    validation: slice(table, 2000, 3000),
    tuning: false,
    gbdt,
    onRound: (report) => losses.push(report.validation ?? Number.NaN),
  });
  return {
    rounds: outcome.rounds,
    ran: losses.length,
    loss: losses[outcome.rounds - 1] ?? Number.NaN,
    trees: (outcome.model as { trees: unknown[] }).trees.length,
  };
}
