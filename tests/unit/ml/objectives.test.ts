import { describe, expect, it } from 'vitest';
import { objectiveFor } from '../../../shared/ml/objectives.js';

// The booster takes each round's training loss from the gradient pass: it must be loss() exactly.
describe('objectives', () => {
  const cases = [
    { task: 'binary' as const, classes: 2, y: [0, 1, 1, 0, 1], scores: [-40, 0.3, 2, 45, -0.7] },
    {
      task: 'multiclass' as const,
      classes: 3,
      y: [0, 2, 1, 1],
      scores: [1, -2, 0.5, 30, 0, -30, 0, 0, 0, -1, 2, 0.1],
    },
    { task: 'regression' as const, classes: 0, y: [1.5, -2, 10], scores: [1, 0, 12] },
  ];

  for (const c of cases) {
    it(`${c.task}: the gradient pass returns the loss at the same scores`, () => {
      const objective = objectiveFor(c.task, c.classes);
      const y = Float64Array.from(c.y);
      const scores = Float64Array.from(c.scores);
      const grad = Array.from({ length: objective.outputs }, () => new Float64Array(y.length));
      const hess = Array.from({ length: objective.outputs }, () => new Float64Array(y.length));
      const loss = objective.gradients(scores, y, grad, hess);
      expect(loss).toBeCloseTo(objective.loss(scores, y), 12);
      for (const h of hess) for (const v of h) expect(v).toBeGreaterThan(0);
    });

    it(`${c.task}: passes over row ranges fill the same gradients and their loss parts add up to the loss`, () => {
      const objective = objectiveFor(c.task, c.classes);
      const y = Float64Array.from(c.y);
      const scores = Float64Array.from(c.scores);
      const buffers = () => Array.from({ length: objective.outputs }, () => new Float64Array(y.length));
      const [grad, hess, rangedGrad, rangedHess] = [buffers(), buffers(), buffers(), buffers()];
      const loss = objective.gradients(scores, y, grad, hess);
      const parts =
        objective.gradientsOf(scores, y, rangedGrad, rangedHess, 0, 2) +
        objective.gradientsOf(scores, y, rangedGrad, rangedHess, 2, y.length);
      expect(rangedGrad).toEqual(grad);
      expect(rangedHess).toEqual(hess);
      expect(objective.lossOf(parts, y.length)).toBeCloseTo(loss, 12);
    });
  }

  it('binary gradients are p - y without overflow at extreme scores', () => {
    const objective = objectiveFor('binary', 2);
    const grad = [new Float64Array(3)];
    const hess = [new Float64Array(3)];
    objective.gradients(Float64Array.from([-800, 0, 800]), Float64Array.from([1, 1, 0]), grad, hess);
    expect(Array.from(grad[0] ?? [])).toEqual([-1, -0.5, 1]);
  });
});
