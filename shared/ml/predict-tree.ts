// Tree traversal, on bins while training and on raw values for the model's own predictions.
import { missingBin } from './binning.js';
import { inSet } from './category-set.js';
import type { Tree } from './model.js';

/** Leaf value for row `row` of column-major bins holding `rowCount` rows per feature. */
export function leafOfBinned(tree: Tree, bins: Uint8Array, rowCount: number, row: number): number {
  const { feature, bin, missingLeft, categorySets, left, right, value } = tree;
  let n = 0;
  while ((left[n] as number) >= 0) {
    const b = bins[(feature[n] as number) * rowCount + row] as number;
    const set = categorySets[n];
    const goLeft = b === missingBin ? missingLeft[n] === 1 : set ? inSet(set, b) : b <= (bin[n] as number);
    n = goLeft ? (left[n] as number) : (right[n] as number);
  }
  return value[n] as number;
}

/**
 * Leaf value for the row of row-major float32 features starting at `offset`: float32
 * comparisons, as the ONNX TreeEnsemble operator makes them on its float input; a categorical
 * value is its category code (see features.ts).
 */
export function leafOfRaw(tree: Tree, values: Float32Array, offset: number): number {
  const { feature, threshold, missingLeft, categorySets, left, right, value } = tree;
  let n = 0;
  while ((left[n] as number) >= 0) {
    const x = values[offset + (feature[n] as number)] as number;
    const set = categorySets[n];
    const goLeft = Number.isNaN(x)
      ? missingLeft[n] === 1
      : set
        ? inSet(set, x)
        : x < (threshold[n] as number);
    n = goLeft ? (left[n] as number) : (right[n] as number);
  }
  return value[n] as number;
}
