import { describe, expect, it } from 'vitest';
import { applyGates } from '../../../shared/pipeline/gate.js';
import { predictionsTable } from '../../../shared/pipeline/model-baseline.js';

const noGates = { thresholds: [] };

describe('applyGates', () => {
  it('passes a first model with no champion and no thresholds', () => {
    expect(
      applyGates({ gates: noGates, task: 'binary', metrics: { rocAuc: 0.6 }, champion: null }),
    ).toMatchObject({
      passed: true,
      failures: [],
      champion: null,
    });
  });

  it('reports every failed threshold and the champion margin side by side', () => {
    const report = applyGates({
      gates: {
        thresholds: [
          { metric: 'accuracy', min: 0.9 },
          { metric: 'logLoss', max: 0.2 },
        ],
        champion: { metric: 'rocAuc', margin: 0.02, higherIsBetter: true },
      },
      task: 'binary',
      metrics: { accuracy: 0.8, logLoss: 0.3, rocAuc: 0.9 },
      champion: { version: 3, metrics: { accuracy: 0.85, rocAuc: 0.89 } },
    });
    expect(report.passed).toBe(false);
    expect(report.failures).toHaveLength(3);
    expect(report.metrics.rocAuc).toEqual({ challenger: 0.9, champion: 0.89 });
    expect(report.metrics.logLoss).toEqual({ challenger: 0.3, champion: null });
    expect(report.champion).toMatchObject({ championVersion: 3, source: 'spec', passed: false });
  });

  it('by default keeps a regression challenger from being worse than the champion on rmse', () => {
    const champion = { version: 1, metrics: { rmse: 2 } };
    const worse = applyGates({ gates: noGates, task: 'regression', metrics: { rmse: 2.5 }, champion });
    const better = applyGates({ gates: noGates, task: 'regression', metrics: { rmse: 1.5 }, champion });
    expect(worse.champion).toMatchObject({
      metric: 'rmse',
      higherIsBetter: false,
      source: 'default',
      passed: false,
    });
    expect(better.passed).toBe(true);
  });
});

describe('predictionsTable', () => {
  it('turns probabilities into the predicted class and one probability column per class', () => {
    const { table, schema } = predictionsTable(
      'multiclass',
      ['a', 'b', 'c'],
      [0.1, 0.7, 0.2, 0.5, 0.2, 0.3],
      2,
    );
    expect(schema.map((f) => `${f.name}:${f.type}`)).toEqual([
      'prediction:categorical',
      'probability_a:numeric',
      'probability_b:numeric',
      'probability_c:numeric',
    ]);
    expect(table.columns.get('prediction')!.values).toEqual(['b', 'a']);
    expect([...(table.columns.get('probability_c')!.values as Float64Array)]).toEqual([0.2, 0.3]);
  });
});
