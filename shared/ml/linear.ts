// The linear baseline: least squares, logistic or softmax regression with an L2 penalty on
// the weights (not the intercepts), on the standardized design matrix, fitted by L-BFGS.
import type { Table } from '../data/table.js';
import { minimizeLbfgs } from './lbfgs.js';
import { designMatrix, designWidth, scoresOf, standardization } from './linear-design.js';
import { outputCount, type LinearModel, type ModelFeature, type Task } from './model.js';
import { objectiveFor } from './objectives.js';

export interface LinearParams {
  /** Penalty on the mean loss: l2 / 2 * ||w||^2. */
  l2: number;
  maxIterations: number;
}

export const defaultLinearParams: LinearParams = { l2: 1e-4, maxIterations: 300 };

export interface LinearInput {
  task: Task;
  features: ModelFeature[];
  classes: string[];
  table: Table;
  y: Float64Array;
  params: LinearParams;
  onIteration?: (iteration: number, loss: number) => void;
}

export function trainLinear(input: LinearInput): { model: LinearModel; iterations: number } {
  const { task, features, classes, table, y, params } = input;
  const { means, scales } = standardization(table, features);
  const x = designMatrix({ features, numericMeans: means, numericScales: scales }, table);
  const width = designWidth(features);
  const objective = objectiveFor(task, classes.length);
  const k = outputCount(task, classes.length);
  const n = y.length;
  const scores = new Float64Array(n * k);
  const grad = Array.from({ length: k }, () => new Float64Array(n));
  const hess = Array.from({ length: k }, () => new Float64Array(n));

  // Parameters: k * width weights, then k intercepts.
  const lossAndGradient = (theta: Float64Array, gradient: Float64Array): number => {
    const weights = theta.subarray(0, k * width);
    const intercepts = theta.subarray(k * width);
    scoresOf(x, width, weights, intercepts, scores);
    objective.gradients(scores, y, grad, hess);
    gradient.fill(0);
    let loss = 0;
    if (task === 'regression') {
      const g = grad[0] as Float64Array;
      for (let r = 0; r < n; r++) loss += 0.5 * (g[r] as number) ** 2;
      loss /= Math.max(1, n);
    } else loss = objective.loss(scores, y);
    for (let c = 0; c < k; c++) {
      const g = grad[c] as Float64Array;
      const w = c * width;
      let interceptGradient = 0;
      for (let r = 0; r < n; r++) {
        const gr = (g[r] as number) / n;
        interceptGradient += gr;
        const o = r * width;
        for (let j = 0; j < width; j++)
          gradient[w + j] = (gradient[w + j] as number) + gr * (x[o + j] as number);
      }
      gradient[k * width + c] = interceptGradient;
    }
    for (let j = 0; j < k * width; j++) {
      const wj = theta[j] as number;
      loss += 0.5 * params.l2 * wj * wj;
      gradient[j] = (gradient[j] as number) + params.l2 * wj;
    }
    return loss;
  };

  const start = new Float64Array(k * width + k);
  start.set(objective.baseScores(y), k * width);
  const fit = minimizeLbfgs(lossAndGradient, start, {
    maxIterations: params.maxIterations,
    tolerance: 1e-9,
    onIteration: input.onIteration,
  });
  return {
    model: {
      kind: 'linear',
      task,
      features,
      classes,
      numericMeans: means,
      numericScales: scales,
      weights: fit.x.slice(0, k * width),
      intercepts: fit.x.slice(k * width),
    },
    iterations: fit.iterations,
  };
}
