// Grows one regression tree on gradient statistics, best-first (leaf-wise, as LightGBM and
// scikit-learn's HistGradientBoosting do): the open leaf with the largest gain splits next,
// until the leaf or depth limit. Rows live in one index array, each node owning a contiguous
// range that a split partitions in place.
import { missingBin } from './binning.js';
import { inSet } from './category-set.js';
import type { HistogramBuilder, HistogramPool } from './histogram.js';
import type { Tree } from './model.js';
import { findBestSplit, type NodeTotals, type Split, type SplitLimits } from './split-finder.js';

export interface TreeLimits extends SplitLimits {
  maxLeaves: number;
  /** 0 = unlimited. */
  maxDepth: number;
  learningRate: number;
}

/** The binned training data a tree is grown on (column-major, see binning.ts), with each feature's edges and value-bin count. */
export interface BinnedData {
  bins: Uint8Array;
  rowCount: number;
  edges: readonly Float32Array[];
  valueBins: Int32Array;
  /** 1 for categorical features split into category sets (their bin is the category code). */
  categorical: Uint8Array;
}

/** A grown tree, plus which row ranges of `rows` ended in which leaf (for updating scores). */
export interface GrownTree {
  tree: Tree;
  leafRanges: { start: number; end: number; value: number }[];
}

interface OpenNode {
  id: number;
  start: number;
  end: number;
  depth: number;
  totals: NodeTotals;
  hist: Float64Array | null;
  split: Split | null;
}

// Float32 max: the threshold of a cut that keeps every value left and sends only missing right.
const allValuesThreshold = 3.4028234663852886e38;

export function growTree(
  data: BinnedData,
  grad: Float64Array,
  hess: Float64Array,
  rows: Uint32Array,
  /** Rows in use: all of data's (rows is then 0..n-1 in order) or a sample. */
  rowCount: number,
  featureMask: Uint8Array,
  limits: TreeLimits,
  histograms: { builder: HistogramBuilder; pool: HistogramPool },
  scratch: Uint32Array,
): GrownTree {
  const { builder, pool } = histograms;
  const nodes = new TreeBuffer();
  const rootHist = pool.take();
  const totals = builder.build(
    rootHist,
    rows,
    0,
    rowCount,
    grad,
    hess,
    featureMask,
    rowCount === data.rowCount,
  );
  const root: OpenNode = {
    id: nodes.add(),
    start: 0,
    end: rowCount,
    depth: 0,
    totals,
    hist: rootHist,
    split: null,
  };
  const open: OpenNode[] = [root];
  evaluate(root, data, featureMask, limits, pool);

  let leaves = 1;
  while (leaves < limits.maxLeaves) {
    let pick = -1;
    for (let i = 0; i < open.length; i++) {
      const s = open[i]?.split;
      if (s && (pick < 0 || s.gain > (open[pick]?.split?.gain ?? 0))) pick = i;
    }
    if (pick < 0) break;
    const node = open[pick] as OpenNode;
    const split = node.split as Split;
    const mid = partition(rows, node.start, node.end, data, split, scratch);
    const left: OpenNode = {
      id: nodes.add(),
      start: node.start,
      end: mid,
      depth: node.depth + 1,
      totals: split.left,
      hist: null,
      split: null,
    };
    const right: OpenNode = {
      id: nodes.add(),
      start: mid,
      end: node.end,
      depth: node.depth + 1,
      totals: {
        g: node.totals.g - split.left.g,
        h: node.totals.h - split.left.h,
        count: node.totals.count - split.left.count,
      },
      hist: null,
      split: null,
    };
    const edges = data.edges[split.feature] as Float32Array;
    nodes.setSplit(
      node.id,
      split,
      split.bin < edges.length ? (edges[split.bin] as number) : allValuesThreshold,
      left.id,
      right.id,
    );

    // Histogram subtraction: build the smaller child, derive the larger from the parent;
    // children that can never split (too few rows, too deep) need no histogram at all.
    const [small, large] = mid - node.start <= node.end - mid ? [left, right] : [right, left];
    const parentHist = node.hist as Float64Array;
    node.hist = null;
    if (mayGrow(small, limits) || mayGrow(large, limits)) {
      small.hist = pool.take();
      builder.build(small.hist, rows, small.start, small.end, grad, hess, featureMask, false);
    }
    if (small.hist && mayGrow(large, limits)) {
      builder.subtract(parentHist, small.hist, featureMask);
      large.hist = parentHist;
    } else pool.give(parentHist);

    open.splice(pick, 1, left, right);
    leaves += 1;
    evaluate(left, data, featureMask, limits, pool);
    evaluate(right, data, featureMask, limits, pool);
  }

  const leafRanges: GrownTree['leafRanges'] = [];
  for (const node of open) {
    if (node.hist) pool.give(node.hist);
    const value = Math.fround((-node.totals.g / (node.totals.h + limits.l2)) * limits.learningRate);
    nodes.setLeaf(node.id, value);
    leafRanges.push({ start: node.start, end: node.end, value });
  }
  return { tree: nodes.finish(), leafRanges };
}

function mayGrow(node: OpenNode, limits: TreeLimits): boolean {
  return (
    (limits.maxDepth === 0 || node.depth < limits.maxDepth) && node.totals.count >= 2 * limits.minSamplesLeaf
  );
}

/** Finds a node's best split, or releases its histogram when it cannot split any further. */
function evaluate(
  node: OpenNode,
  data: BinnedData,
  featureMask: Uint8Array,
  limits: TreeLimits,
  pool: HistogramPool,
): void {
  if (node.hist && mayGrow(node, limits)) {
    node.split = findBestSplit(node.hist, data.valueBins, data.categorical, featureMask, node.totals, limits);
  }
  if (!node.split && node.hist) {
    pool.give(node.hist);
    node.hist = null;
  }
}

/** Stable in-place partition of rows[start, end): left rows first; returns where the right ones begin. */
function partition(
  rows: Uint32Array,
  start: number,
  end: number,
  data: BinnedData,
  split: Split,
  scratch: Uint32Array,
): number {
  const bins = data.bins;
  const column = split.feature * data.rowCount;
  const { bin: cut, set } = split;
  let l = start;
  let r = 0;
  if (set) {
    for (let i = start; i < end; i++) {
      const row = rows[i] as number;
      const b = bins[column + row] as number;
      if (b === missingBin ? split.missingLeft : inSet(set, b)) rows[l++] = row;
      else scratch[r++] = row;
    }
  } else {
    // Branch-free: which side a row takes is data, not a jump the CPU mispredicts half the
    // time. A missing bin (255) is above every cut; missingLeft flips it back left.
    const missingLeft = split.missingLeft ? 1 : 0;
    for (let i = start; i < end; i++) {
      const row = rows[i] as number;
      const b = bins[column + row] as number;
      const right = ((cut - b) >>> 31) ^ (((missingBin - 1 - b) >>> 31) & missingLeft);
      rows[l] = row;
      scratch[r] = row;
      l += 1 - right;
      r += right;
    }
  }
  rows.set(scratch.subarray(0, r), l);
  return l;
}

/** Growable node arrays, frozen into a Tree's typed arrays at the end. */
class TreeBuffer {
  private readonly feature: number[] = [];
  private readonly threshold: number[] = [];
  private readonly bin: number[] = [];
  private readonly missingLeft: number[] = [];
  private readonly categorySets: (Uint32Array | null)[] = [];
  private readonly left: number[] = [];
  private readonly right: number[] = [];
  private readonly value: number[] = [];

  add(): number {
    this.feature.push(0);
    this.threshold.push(0);
    this.bin.push(0);
    this.missingLeft.push(0);
    this.categorySets.push(null);
    this.left.push(-1);
    this.right.push(-1);
    this.value.push(0);
    return this.feature.length - 1;
  }

  setSplit(id: number, split: Split, threshold: number, left: number, right: number): void {
    this.feature[id] = split.feature;
    this.threshold[id] = threshold;
    this.bin[id] = split.bin;
    this.missingLeft[id] = split.missingLeft ? 1 : 0;
    this.categorySets[id] = split.set;
    this.left[id] = left;
    this.right[id] = right;
  }

  setLeaf(id: number, value: number): void {
    this.value[id] = value;
  }

  finish(): Tree {
    return {
      feature: Int32Array.from(this.feature),
      threshold: Float32Array.from(this.threshold),
      bin: Uint8Array.from(this.bin),
      missingLeft: Uint8Array.from(this.missingLeft),
      categorySets: this.categorySets,
      left: Int32Array.from(this.left),
      right: Int32Array.from(this.right),
      value: Float64Array.from(this.value),
    };
  }
}
