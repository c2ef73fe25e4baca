// Holdout metrics from predicted outputs: accuracy, F1 (binary: of the positive class, the
// second in `classes`; multiclass: macro), ROC AUC (binary; multiclass: one-vs-rest macro over
// classes present with both outcomes), log loss; RMSE, MAE and R^2 for regression.

// Probability clip for log loss, as scikit-learn does, so one confident miss stays finite.
const epsilon = 1e-15;

export interface ClassificationMetrics {
  accuracy: number;
  f1: number;
  rocAuc: number | null;
  logLoss: number;
}

export interface RegressionMetrics {
  rmse: number;
  mae: number;
  r2: number;
}

/** probabilities: row-major [rows, classes]; y: class index per row. */
export function classificationMetrics(
  probabilities: ArrayLike<number>,
  y: ArrayLike<number>,
  classCount: number,
): ClassificationMetrics {
  const rows = y.length;
  const predicted = new Int32Array(rows);
  let correct = 0;
  let logLoss = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * classCount;
    let best = 0;
    for (let c = 1; c < classCount; c++)
      if ((probabilities[o + c] as number) > (probabilities[o + best] as number)) best = c;
    predicted[r] = best;
    const label = y[r] as number;
    if (best === label) correct += 1;
    logLoss -= Math.log(Math.min(1 - epsilon, Math.max(epsilon, probabilities[o + label] as number)));
  }
  const f1 =
    classCount === 2
      ? f1Of(predicted, y, 1)
      : meanOf(Array.from({ length: classCount }, (_, c) => f1Of(predicted, y, c)));
  const rocAuc =
    classCount === 2
      ? aucOf(probabilities, y, 1, classCount)
      : meanOf(
          Array.from({ length: classCount }, (_, c) => aucOf(probabilities, y, c, classCount)).filter(
            (a): a is number => a !== null,
          ),
        );
  return {
    accuracy: correct / Math.max(1, rows),
    f1,
    rocAuc: Number.isNaN(rocAuc ?? 0) ? null : rocAuc,
    logLoss: logLoss / Math.max(1, rows),
  };
}

function f1Of(predicted: Int32Array, y: ArrayLike<number>, positive: number): number {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let r = 0; r < predicted.length; r++) {
    const p = predicted[r] === positive;
    const t = y[r] === positive;
    if (p && t) tp += 1;
    else if (p) fp += 1;
    else if (t) fn += 1;
  }
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}

/** Mann-Whitney AUC of class `positive` vs the rest, ties counted half; null without both outcomes. */
export function aucOf(
  probabilities: ArrayLike<number>,
  y: ArrayLike<number>,
  positive: number,
  classCount: number,
): number | null {
  const rows = y.length;
  const order = Array.from({ length: rows }, (_, r) => r).sort(
    (a, b) =>
      (probabilities[a * classCount + positive] as number) -
      (probabilities[b * classCount + positive] as number),
  );
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < rows;) {
    const score = probabilities[(order[i] as number) * classCount + positive] as number;
    let j = i;
    while (j < rows && probabilities[(order[j] as number) * classCount + positive] === score) j++;
    const averageRank = (i + 1 + j) / 2;
    for (let t = i; t < j; t++) {
      if (y[order[t] as number] === positive) {
        positives += 1;
        rankSum += averageRank;
      }
    }
    i = j;
  }
  const negatives = rows - positives;
  if (positives === 0 || negatives === 0) return null;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

function meanOf(values: number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

export function regressionMetrics(predicted: ArrayLike<number>, y: ArrayLike<number>): RegressionMetrics {
  const rows = y.length;
  let mean = 0;
  for (let r = 0; r < rows; r++) mean += y[r] as number;
  mean /= Math.max(1, rows);
  let squares = 0;
  let absolute = 0;
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const e = (predicted[r] as number) - (y[r] as number);
    squares += e * e;
    absolute += Math.abs(e);
    total += ((y[r] as number) - mean) ** 2;
  }
  return {
    rmse: Math.sqrt(squares / Math.max(1, rows)),
    mae: absolute / Math.max(1, rows),
    r2: total === 0 ? 0 : 1 - squares / total,
  };
}
