// Losses the booster minimizes, as first and second derivatives per row of the raw scores
// (row-major, `outputs` scores per row). Base scores start from the priors: the logit of the
// positive rate, the log of each class frequency, or the target mean.
import type { Task } from '../data/kinds.js';

export interface Objective {
  outputs: number;
  /** The validation metric early stopping watches: the loss itself. */
  metric: 'logloss' | 'mlogloss' | 'rmse';
  baseScores(y: Float64Array): number[];
  /**
   * Fills the gradients and hessians at scores and returns loss(scores): the loss falls out of
   * the same pass (the softmax or sigmoid it needs is already computed), which saves the
   * booster a second pass of exponentials over the training rows every round.
   */
  gradients(scores: Float64Array, y: Float64Array, grad: Float64Array[], hess: Float64Array[]): number;
  /**
   * The same pass over rows [from, to) only, returning their part of the loss: parts of
   * several ranges (threads) add up, and lossOf turns the total into the loss.
   */
  gradientsOf(
    scores: Float64Array,
    y: Float64Array,
    grad: Float64Array[],
    hess: Float64Array[],
    from: number,
    to: number,
  ): number;
  lossOf(parts: number, rows: number): number;
  loss(scores: Float64Array, y: Float64Array): number;
}

type RangedObjective = Omit<Objective, 'gradients'>;

/** Adds the whole-set gradient pass to an objective that makes it by range. */
const withWholePass = (objective: RangedObjective): Objective => ({
  ...objective,
  gradients: (scores, y, grad, hess) =>
    objective.lossOf(objective.gradientsOf(scores, y, grad, hess, 0, y.length), y.length),
});

const meanOf = (parts: number, rows: number): number => parts / Math.max(1, rows);

// Keeps leaf values finite where predictions are already near-certain.
const minHessian = 1e-16;
// Floors a class prior so a class absent from training still has a finite base score.
const minPrior = 1e-6;

export function objectiveFor(task: Task, classCount: number): Objective {
  if (task === 'binary') return logistic;
  if (task === 'multiclass') return softmax(classCount);
  return squaredError;
}

export const sigmoid = (s: number): number => 1 / (1 + Math.exp(-s));

/** log(1 + e^-|s|) + max(s, 0) - y s, stable for large |s|, given e = e^-|s|. */
const logisticLoss = (s: number, e: number, y: number): number => Math.log1p(e) + Math.max(s, 0) - y * s;

const logistic = withWholePass({
  outputs: 1,
  metric: 'logloss',
  baseScores(y) {
    let positives = 0;
    for (const v of y) positives += v;
    const p = Math.min(1 - minPrior, Math.max(minPrior, positives / Math.max(1, y.length)));
    return [Math.log(p / (1 - p))];
  },
  gradientsOf(scores, y, [grad], [hess], from, to) {
    const g = grad as Float64Array;
    const h = hess as Float64Array;
    let sum = 0;
    for (let r = from; r < to; r++) {
      const s = scores[r] as number;
      const label = y[r] as number;
      // One exponential serves the sigmoid and the loss: e = e^-|s|.
      const e = Math.exp(-Math.abs(s));
      const p = s >= 0 ? 1 / (1 + e) : e / (1 + e);
      g[r] = p - label;
      h[r] = Math.max(p * (1 - p), minHessian);
      sum += logisticLoss(s, e, label);
    }
    return sum;
  },
  lossOf: meanOf,
  loss(scores, y) {
    let sum = 0;
    for (let r = 0; r < y.length; r++) {
      const s = scores[r] as number;
      sum += logisticLoss(s, Math.exp(-Math.abs(s)), y[r] as number);
    }
    return sum / Math.max(1, y.length);
  },
});

function softmax(k: number): Objective {
  const p = new Float64Array(k);
  return withWholePass({
    outputs: k,
    metric: 'mlogloss',
    baseScores(y) {
      const counts = new Float64Array(k);
      for (const v of y) counts[v] = (counts[v] as number) + 1;
      return Array.from(counts, (c) => Math.log(Math.max(minPrior, c / Math.max(1, y.length))));
    },
    gradientsOf(scores, y, grad, hess, from, to) {
      let sum = 0;
      for (let r = from; r < to; r++) {
        // -log p_label = log z + max - s_label, with z and max from the softmax itself.
        const logZ = softmaxInto(scores, r * k, k, p);
        const label = y[r] as number;
        sum += logZ - (scores[r * k + label] as number);
        for (let c = 0; c < k; c++) {
          const pc = p[c] as number;
          (grad[c] as Float64Array)[r] = pc - (c === label ? 1 : 0);
          (hess[c] as Float64Array)[r] = Math.max(pc * (1 - pc), minHessian);
        }
      }
      return sum;
    },
    lossOf: meanOf,
    loss(scores, y) {
      let sum = 0;
      for (let r = 0; r < y.length; r++) {
        const o = r * k;
        let max = -Infinity;
        for (let c = 0; c < k; c++) max = Math.max(max, scores[o + c] as number);
        let z = 0;
        for (let c = 0; c < k; c++) z += Math.exp((scores[o + c] as number) - max);
        sum += max + Math.log(z) - (scores[o + (y[r] as number)] as number);
      }
      return sum / Math.max(1, y.length);
    },
  });
}

/** Softmax of scores[offset .. offset + k) into out; returns the log-sum-exp of those scores. */
export function softmaxInto(scores: Float64Array, offset: number, k: number, out: Float64Array): number {
  let max = -Infinity;
  for (let c = 0; c < k; c++) max = Math.max(max, scores[offset + c] as number);
  let z = 0;
  for (let c = 0; c < k; c++) {
    const e = Math.exp((scores[offset + c] as number) - max);
    out[c] = e;
    z += e;
  }
  for (let c = 0; c < k; c++) out[c] = (out[c] as number) / z;
  return max + Math.log(z);
}

const squaredError = withWholePass({
  outputs: 1,
  metric: 'rmse',
  baseScores(y) {
    let sum = 0;
    for (const v of y) sum += v;
    return [sum / Math.max(1, y.length)];
  },
  gradientsOf(scores, y, [grad], [hess], from, to) {
    const g = grad as Float64Array;
    let sum = 0;
    for (let r = from; r < to; r++) {
      const d = (scores[r] as number) - (y[r] as number);
      g[r] = d;
      sum += d * d;
    }
    (hess as Float64Array).fill(1, from, to);
    return sum;
  },
  lossOf: (parts, rows) => Math.sqrt(meanOf(parts, rows)),
  loss(scores, y) {
    let sum = 0;
    for (let r = 0; r < y.length; r++) sum += ((scores[r] as number) - (y[r] as number)) ** 2;
    return Math.sqrt(sum / Math.max(1, y.length));
  },
});
