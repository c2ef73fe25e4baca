// The platform's evaluation runs the graph and computes metrics itself.
import { describe, expect, it } from 'vitest';
import { evaluateOnnx } from '../../../shared/ml/evaluate.js';
import { exportModel } from '../../../shared/ml/export-model.js';
import { classificationMetrics, regressionMetrics } from '../../../shared/ml/metrics.js';
import { predictOutputs } from '../../../shared/ml/predict.js';
import { classIndices } from '../../../shared/ml/target.js';
import { trainModel } from '../../../shared/ml/train-model.js';
import { numberColumn, slice, synthetic, textColumn } from '../../support/ml/synthetic.js';

describe('evaluateOnnx', () => {
  it('computes classification metrics on the holdout from the graph outputs', async () => {
    const { table, features } = synthetic({
      task: 'multiclass',
      rows: 3000,
      seed: 8,
      missing: 0.1,
      categorical: true,
    });
    const train = slice(table, 0, 2000);
    const holdout = slice(table, 2000, 3000);
    const { model } = trainModel({
      task: 'multiclass',
      algorithm: 'gbdt',
      target: 'label',
      features,
      train,
      validation: holdout,
      tuning: false,
    });
    const evaluation = await evaluateOnnx(exportModel(model, 'test'), holdout, 'label');
    const own = classificationMetrics(
      predictOutputs(model, holdout),
      classIndices({ kind: 'categorical', values: textColumn(holdout, 'label') }, model.classes, 'label'),
      model.classes.length,
    );
    expect(evaluation.task).toBe('multiclass');
    expect(evaluation.rows).toBe(1000);
    expect(evaluation.metrics.accuracy).toBe(own.accuracy);
    expect(evaluation.metrics.logLoss).toBeCloseTo(own.logLoss, 5);
    expect(evaluation.metrics.rocAuc).toBeCloseTo(own.rocAuc ?? 0, 3);
    expect(evaluation.metrics.accuracy).toBeGreaterThan(0.6);
  });

  it('computes regression metrics', async () => {
    const { table, features } = synthetic({
      task: 'regression',
      rows: 2000,
      seed: 8,
      missing: 0.1,
      categorical: true,
    });
    const holdout = slice(table, 1500, 2000);
    const { model } = trainModel({
      task: 'regression',
      algorithm: 'linear',
      target: 'label',
      features,
      train: slice(table, 0, 1500),
      validation: null,
    });
    const evaluation = await evaluateOnnx(exportModel(model, 'test'), holdout, 'label');
    const own = regressionMetrics(predictOutputs(model, holdout), numberColumn(holdout, 'label'));
    expect(evaluation.metrics.rmse).toBeCloseTo(own.rmse, 4);
    expect(evaluation.metrics.r2).toBeCloseTo(own.r2, 5);
  });
});
