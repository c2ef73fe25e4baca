// Quantile binning of feature columns into one byte per cell. Edges are float32 values and a
// value's bin is the number of edges <= fround(value), so "bin <= b" is exactly "x < edge[b]"
// in the float32 arithmetic onnxruntime's tree operators use: trees trained on bins traverse
// identically on raw inputs, and the parity check sees only summation rounding.

/** Bin of a missing value; value bins are 0..edges.length. */
export const missingBin = 255;
/** Most value bins a feature can have (one byte, minus the missing bin). */
export const maxValueBins = 255;

// Quantiles from a strided sample: exact enough for 255 bins and O(1) in the row count.
const sampleLimit = 200_000;

/** Split candidates of one column: at most maxBins - 1 increasing float32 edges. */
export function binEdges(values: Float64Array, maxBins: number): Float32Array {
  const stride = Math.max(1, Math.floor(values.length / sampleLimit));
  const sample = new Float64Array(Math.ceil(values.length / stride));
  let size = 0;
  for (let r = 0; r < values.length; r += stride) {
    const v = values[r] as number;
    if (!Number.isNaN(v)) sample[size++] = Math.fround(v);
  }
  const sorted = sample.subarray(0, size).sort();
  // Distinct values are only listed when few enough to get a bin each: a continuous column
  // would otherwise allocate a list as long as the sample just to learn it is too long.
  let distinctCount = 0;
  for (let i = 0; i < size && distinctCount <= maxBins; i++)
    if (i === 0 || sorted[i] !== sorted[i - 1]) distinctCount += 1;
  const edges: number[] = [];
  if (distinctCount <= maxBins) {
    // Few values: one bin each, edges halfway between neighbours.
    for (let i = 1; i < size; i++) {
      const lower = sorted[i - 1] as number;
      const upper = sorted[i] as number;
      if (upper !== lower) edges.push(between(lower, upper));
    }
  } else {
    const smallest = sorted[0] as number;
    for (let k = 1; k < maxBins; k++) {
      const v = sorted[Math.floor((k * size) / maxBins)] as number;
      if (v > smallest && (edges.length === 0 || v > (edges[edges.length - 1] as number))) edges.push(v);
    }
  }
  return Float32Array.from(edges);
}

/** Edges of a categorical feature's codes 0..count-1: each code is its own bin (bin = code). */
export function categoryEdges(count: number): Float32Array {
  return Float32Array.from({ length: Math.max(0, count - 1) }, (_, c) => c + 0.5);
}

/** A float32 edge e with lower < e <= upper, so lower goes left and upper right. */
function between(lower: number, upper: number): number {
  const mid = Math.fround(lower + (upper - lower) / 2);
  return mid > lower && mid <= upper ? mid : upper;
}

export function binOf(value: number, edges: Float32Array): number {
  const x = Math.fround(value);
  if (Number.isNaN(x)) return missingBin;
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((edges[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Column-major bins (feature f, row r at f * rows + r): histogram building walks one feature
 * at a time, so each pass reads one byte column and updates one L1-sized histogram.
 */
export function binColumns(
  columns: readonly Float64Array[],
  edges: readonly Float32Array[],
  rows: number,
): Uint8Array {
  const bins = new Uint8Array(rows * columns.length);
  columns.forEach((column, f) => {
    const e = edges[f] as Float32Array;
    const offset = f * rows;
    for (let r = 0; r < rows; r++) bins[offset + r] = binOf(column[r] as number, e);
  });
  return bins;
}
