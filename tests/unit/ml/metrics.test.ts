import { describe, expect, it } from 'vitest';
import { aucOf, classificationMetrics, regressionMetrics } from '../../../shared/ml/metrics.js';

describe('classification metrics', () => {
  // 4 rows, binary; probabilities of [no, yes]. Predictions: yes, no, yes, no; truth: 1, 0, 0, 1.
  const probabilities = [0.2, 0.8, 0.6, 0.4, 0.3, 0.7, 0.9, 0.1];
  const y = [1, 0, 0, 1];

  it('matches hand-computed binary values', () => {
    const m = classificationMetrics(probabilities, y, 2);
    expect(m.accuracy).toBe(0.5);
    // tp 1, fp 1, fn 1 -> 2 / 4.
    expect(m.f1).toBeCloseTo(0.5, 12);
    // Positive scores 0.8, 0.1; negative 0.4, 0.7: pairs won 0.8>0.4, 0.8>0.7 -> 2 of 4.
    expect(m.rocAuc).toBeCloseTo(0.5, 12);
    expect(m.logLoss).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6) + Math.log(0.3) + Math.log(0.1)) / 4, 12);
  });

  it('counts ties as half in the AUC', () => {
    expect(aucOf([0.5, 0.5, 0.5, 0.5], [1, 0], 1, 2)).toBe(0.5);
    expect(aucOf([0.9, 0.1, 0.1, 0.9], [0, 1], 1, 2)).toBe(1);
  });

  it('has no AUC when one outcome is absent', () => {
    expect(classificationMetrics([0.3, 0.7, 0.4, 0.6], [1, 1], 2).rocAuc).toBeNull();
  });

  it('macro-averages F1 and one-vs-rest AUC over classes', () => {
    // Three classes, three rows, each predicted right except the last (true 2, predicted 1).
    const p = [0.8, 0.1, 0.1, 0.1, 0.8, 0.1, 0.1, 0.5, 0.4];
    const m = classificationMetrics(p, [0, 1, 2], 3);
    expect(m.accuracy).toBeCloseTo(2 / 3, 12);
    // F1 per class: 1, 2/3 (tp1 fp1), 0 -> mean 5/9.
    expect(m.f1).toBeCloseTo(5 / 9, 12);
    // Class 0: 0.8 vs 0.1, 0.1 -> 1; class 1: 0.8 vs 0.1, 0.5 -> 1; class 2: 0.4 vs 0.1, 0.1 -> 1.
    expect(m.rocAuc).toBeCloseTo(1, 12);
    expect(m.logLoss).toBeCloseTo(-(Math.log(0.8) * 2 + Math.log(0.4)) / 3, 12);
  });

  it('clips probabilities so log loss stays finite', () => {
    expect(Number.isFinite(classificationMetrics([1, 0], [1], 2).logLoss)).toBe(true);
  });
});

describe('regression metrics', () => {
  it('matches hand-computed values', () => {
    const m = regressionMetrics([2, 4, 6], [1, 4, 8]);
    expect(m.rmse).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(m.mae).toBeCloseTo(1, 12);
    // mean 13/3; total = (10/3)^2 + (1/3)^2 + (11/3)^2 = 222/9; residual 5.
    expect(m.r2).toBeCloseTo(1 - 5 / (222 / 9), 12);
  });
});
