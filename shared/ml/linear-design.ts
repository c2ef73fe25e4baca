// The input a linear model sees, in the column order of its ONNX graph: numeric features
// imputed with the training mean and standardized, then one one-hot block per categorical
// feature (unknown, rare and missing categories are all-zero rows).
import type { Table } from '../data/table.js';
import { columnOf, numericAsText } from './features.js';
import { outputCount, type LinearModel, type ModelFeature } from './model.js';

export function designWidth(features: readonly ModelFeature[]): number {
  return features.reduce((w, f) => w + (f.type === 'categorical' ? (f.categories?.length ?? 0) : 1), 0);
}

/** Mean and standard deviation of each numeric feature's present values (std 1 when constant). */
export function standardization(
  table: Table,
  features: readonly ModelFeature[],
): { means: Float64Array; scales: Float64Array } {
  const numeric = features.filter((f) => f.type !== 'categorical');
  const means = new Float64Array(numeric.length);
  const scales = new Float64Array(numeric.length);
  numeric.forEach((f, j) => {
    const column = columnOf(table, f.name);
    if (column.kind !== 'numeric') return;
    let count = 0;
    let sum = 0;
    let squares = 0;
    for (const v of column.values) {
      if (Number.isNaN(v)) continue;
      count += 1;
      sum += v;
      squares += v * v;
    }
    const mean = count > 0 ? sum / count : 0;
    const std = count > 0 ? Math.sqrt(Math.max(0, squares / count - mean * mean)) : 0;
    means[j] = mean;
    scales[j] = std > 1e-12 ? std : 1;
  });
  return { means, scales };
}

type Standardized = Pick<LinearModel, 'features' | 'numericMeans' | 'numericScales'>;

/** Row-major [rows, designWidth] design matrix. */
export function designMatrix(model: Standardized, table: Table): Float64Array {
  const width = designWidth(model.features);
  const rows = table.rowCount;
  const x = new Float64Array(rows * width);
  let j = 0;
  model.features.forEach((f) => {
    if (f.type === 'categorical') return;
    const column = columnOf(table, f.name);
    const values = column.kind === 'numeric' ? column.values : new Float64Array(rows).fill(Number.NaN);
    const mean = model.numericMeans[j] as number;
    const scale = model.numericScales[j] as number;
    for (let r = 0; r < rows; r++) {
      const v = values[r] as number;
      x[r * width + j] = Number.isNaN(v) ? 0 : (v - mean) / scale;
    }
    j += 1;
  });
  for (const f of model.features) {
    if (f.type !== 'categorical') continue;
    const categories = f.categories ?? [];
    const codes = new Map(categories.map((c, i) => [c, i] as const));
    const column = columnOf(table, f.name);
    const values = column.kind === 'categorical' ? column.values : numericAsText(column.values);
    for (let r = 0; r < rows; r++) {
      const v = values[r];
      const code = v === null || v === undefined ? undefined : codes.get(v);
      if (code !== undefined) x[r * width + j + code] = 1;
    }
    j += categories.length;
  }
  return x;
}

/** Raw scores [rows, outputs] = X W^T + b. */
export function scoresOf(
  x: Float64Array,
  width: number,
  weights: Float64Array,
  intercepts: Float64Array,
  out: Float64Array,
): void {
  const k = intercepts.length;
  const rows = width === 0 ? out.length / k : x.length / width;
  for (let r = 0; r < rows; r++) {
    const o = r * width;
    for (let c = 0; c < k; c++) {
      let s = intercepts[c] as number;
      const w = c * width;
      for (let j = 0; j < width; j++) s += (x[o + j] as number) * (weights[w + j] as number);
      out[r * k + c] = s;
    }
  }
}

export function linearScores(model: LinearModel, table: Table): Float64Array {
  const k = outputCount(model.task, model.classes.length);
  const out = new Float64Array(table.rowCount * k);
  scoresOf(designMatrix(model, table), designWidth(model.features), model.weights, model.intercepts, out);
  return out;
}
