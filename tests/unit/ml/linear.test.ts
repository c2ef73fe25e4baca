import { describe, expect, it } from 'vitest';
import type { Column, Table } from '../../../shared/data/table.js';
import { minimizeLbfgs } from '../../../shared/ml/lbfgs.js';
import type { LinearModel } from '../../../shared/ml/model.js';
import { predictOutputs } from '../../../shared/ml/predict.js';
import { trainModel } from '../../../shared/ml/train-model.js';
import { seededRandom } from '../../../shared/data/prng.js';

function table(columns: Record<string, Column>, rows: number): Table {
  return { names: Object.keys(columns), columns: new Map(Object.entries(columns)), rowCount: rows };
}

describe('L-BFGS', () => {
  it('finds the minimum of a badly scaled quadratic', () => {
    const scales = [1, 100, 0.01];
    const { x } = minimizeLbfgs(
      (w, g) => {
        let f = 0;
        w.forEach((v, i) => {
          const d = v - (i + 1);
          f += 0.5 * (scales[i] as number) * d * d;
          g[i] = (scales[i] as number) * d;
        });
        return f;
      },
      new Float64Array(3),
      { maxIterations: 200, tolerance: 1e-15 },
    );
    expect(Array.from(x).map((v) => Number(v.toFixed(4)))).toEqual([1, 2, 3]);
  });
});

describe('linear models', () => {
  const rows = 2000;
  const random = seededRandom(3);
  const a = Float64Array.from({ length: rows }, () => random() * 10);
  const b = Float64Array.from({ length: rows }, () => random() - 0.5);
  const city = Array.from({ length: rows }, (_, r) => ['north', 'south', 'east'][r % 3] as string);
  const cityEffect: Record<string, number> = { north: 0, south: 5, east: -2 };
  const features = [
    { name: 'a', type: 'numeric' as const },
    { name: 'b', type: 'numeric' as const },
    { name: 'city', type: 'categorical' as const },
  ];

  it('recovers an exact linear relation with one-hot categories (regression)', () => {
    const y = Float64Array.from(
      { length: rows },
      (_, r) => 3 * (a[r] as number) - 7 * (b[r] as number) + (cityEffect[city[r] as string] as number) + 1,
    );
    const data = table(
      {
        a: { kind: 'numeric', values: a },
        b: { kind: 'numeric', values: b },
        city: { kind: 'categorical', values: city },
        y: { kind: 'numeric', values: y },
      },
      rows,
    );
    const { model } = trainModel({
      task: 'regression',
      algorithm: 'linear',
      target: 'y',
      features,
      train: data,
      validation: null,
      linear: { l2: 0 },
    });
    const predicted = predictOutputs(model, data);
    predicted.forEach((p, r) => expect(p).toBeCloseTo(y[r] as number, 3));
    // Standardized weights: slope times the feature's standard deviation.
    const linear = model as LinearModel;
    expect((linear.weights[0] as number) / (linear.numericScales[0] as number)).toBeCloseTo(3, 4);
  });

  it('imputes missing numbers with the training mean', () => {
    const withGap = Float64Array.from(a, (v, r) => (r === 0 ? Number.NaN : v));
    const y = Float64Array.from({ length: rows }, (_, r) => 2 * (a[r] as number));
    const data = table({ a: { kind: 'numeric', values: withGap }, y: { kind: 'numeric', values: y } }, rows);
    const { model } = trainModel({
      task: 'regression',
      algorithm: 'linear',
      target: 'y',
      features: [features[0]!],
      train: data,
      validation: null,
      linear: { l2: 0 },
    });
    const linear = model as LinearModel;
    expect(predictOutputs(model, data)[0]).toBeCloseTo(linear.intercepts[0] as number, 9);
  });

  it('fits logistic regression whose probabilities follow the signal', () => {
    const labels = Array.from({ length: rows }, (_, r) =>
      random() < 1 / (1 + Math.exp(-((a[r] as number) - 5))) ? 'yes' : 'no',
    );
    const data = table(
      { a: { kind: 'numeric', values: a }, label: { kind: 'categorical', values: labels } },
      rows,
    );
    const { model } = trainModel({
      task: 'binary',
      algorithm: 'linear',
      target: 'label',
      features: [features[0]!],
      train: data,
      validation: null,
    });
    const linear = model as LinearModel;
    // True slope 1 per unit of a.
    expect((linear.weights[0] as number) / (linear.numericScales[0] as number)).toBeGreaterThan(0.8);
    expect((linear.weights[0] as number) / (linear.numericScales[0] as number)).toBeLessThan(1.25);
    const p = predictOutputs(model, data);
    expect((p[1] as number) + (p[0] as number)).toBeCloseTo(1, 12);
  });
});
