// Losses the booster minimizes, as first and second derivatives per row of the raw scores
// (row-major, `outputs` scores per row). Base scores start from the priors: the logit of the
// positive rate, the log of each class frequency, or the target mean.

export interface Objective {
  outputs: number;
  /** The validation metric early stopping watches: the loss itself. */
  metric: 'logloss' | 'mlogloss' | 'rmse';
  baseScores(y: Float64Array): number[];
  gradients(scores: Float64Array, y: Float64Array, grad: Float64Array[], hess: Float64Array[]): void;
  loss(scores: Float64Array, y: Float64Array): number;
}

// Keeps leaf values finite where predictions are already near-certain.
const minHessian = 1e-16;
// Floors a class prior so a class absent from training still has a finite base score.
const minPrior = 1e-6;

export function objectiveFor(task: 'binary' | 'multiclass' | 'regression', classCount: number): Objective {
  if (task === 'binary') return logistic;
  if (task === 'multiclass') return softmax(classCount);
  return squaredError;
}

export const sigmoid = (s: number): number => 1 / (1 + Math.exp(-s));

const logistic: Objective = {
  outputs: 1,
  metric: 'logloss',
  baseScores(y) {
    let positives = 0;
    for (const v of y) positives += v;
    const p = Math.min(1 - minPrior, Math.max(minPrior, positives / Math.max(1, y.length)));
    return [Math.log(p / (1 - p))];
  },
  gradients(scores, y, [grad], [hess]) {
    const g = grad as Float64Array;
    const h = hess as Float64Array;
    for (let r = 0; r < y.length; r++) {
      const p = sigmoid(scores[r] as number);
      g[r] = p - (y[r] as number);
      h[r] = Math.max(p * (1 - p), minHessian);
    }
  },
  loss(scores, y) {
    let sum = 0;
    for (let r = 0; r < y.length; r++) {
      const s = scores[r] as number;
      // log(1 + e^-|s|) + max(s, 0) - y s, stable for large |s|.
      sum += Math.log1p(Math.exp(-Math.abs(s))) + Math.max(s, 0) - (y[r] as number) * s;
    }
    return sum / Math.max(1, y.length);
  },
};

function softmax(k: number): Objective {
  const p = new Float64Array(k);
  return {
    outputs: k,
    metric: 'mlogloss',
    baseScores(y) {
      const counts = new Float64Array(k);
      for (const v of y) counts[v] = (counts[v] as number) + 1;
      return Array.from(counts, (c) => Math.log(Math.max(minPrior, c / Math.max(1, y.length))));
    },
    gradients(scores, y, grad, hess) {
      for (let r = 0; r < y.length; r++) {
        softmaxInto(scores, r * k, k, p);
        const label = y[r] as number;
        for (let c = 0; c < k; c++) {
          const pc = p[c] as number;
          (grad[c] as Float64Array)[r] = pc - (c === label ? 1 : 0);
          (hess[c] as Float64Array)[r] = Math.max(pc * (1 - pc), minHessian);
        }
      }
    },
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
  };
}

/** Softmax of scores[offset .. offset + k) into out. */
export function softmaxInto(scores: Float64Array, offset: number, k: number, out: Float64Array): void {
  let max = -Infinity;
  for (let c = 0; c < k; c++) max = Math.max(max, scores[offset + c] as number);
  let z = 0;
  for (let c = 0; c < k; c++) {
    const e = Math.exp((scores[offset + c] as number) - max);
    out[c] = e;
    z += e;
  }
  for (let c = 0; c < k; c++) out[c] = (out[c] as number) / z;
}

const squaredError: Objective = {
  outputs: 1,
  metric: 'rmse',
  baseScores(y) {
    let sum = 0;
    for (const v of y) sum += v;
    return [sum / Math.max(1, y.length)];
  },
  gradients(scores, y, [grad], [hess]) {
    (grad as Float64Array).set(scores.subarray(0, y.length));
    const g = grad as Float64Array;
    for (let r = 0; r < y.length; r++) g[r] = (g[r] as number) - (y[r] as number);
    (hess as Float64Array).fill(1);
  },
  loss(scores, y) {
    let sum = 0;
    for (let r = 0; r < y.length; r++) sum += ((scores[r] as number) - (y[r] as number)) ** 2;
    return Math.sqrt(sum / Math.max(1, y.length));
  },
};
