// The best split of a node from its histogram. For each numeric feature and cut point it tries
// missing values on either side (the learned default direction) and scores the XGBoost gain
// G_L^2/(H_L+l2) + G_R^2/(H_R+l2) - G^2/(H+l2), subject to the minimum child hessian and rows.
// A categorical feature (bin = category code) splits into a set of categories and the rest,
// found as LightGBM and scikit-learn's HistGradientBoosting find it (see categorySplit).
import { missingBin } from './binning.js';
import { addToSet, emptyCategorySet } from './category-set.js';
import { slotOf } from './histogram.js';

export interface CategoricalLimits {
  /** Pseudo-hessian added when ordering a node's categories by gradient / hessian (LightGBM cat_smooth). */
  catSmooth: number;
  /** Extra L2 on the children of a categorical split (LightGBM cat_l2). */
  catL2: number;
  /** Most categories a split's set may hold (LightGBM max_cat_threshold). */
  maxCatThreshold: number;
  /** Rows between two candidate cuts of the category order (LightGBM min_data_per_group). */
  minDataPerGroup: number;
}

export interface SplitLimits extends CategoricalLimits {
  l2: number;
  minChildWeight: number;
  minSamplesLeaf: number;
}

export interface NodeTotals {
  g: number;
  h: number;
  count: number;
}

export interface Split {
  gain: number;
  feature: number;
  /** Threshold splits: value bins <= bin go left. */
  bin: number;
  /** Categorical splits: the categories (bins) that go left; the threshold is then unused. */
  set: Uint32Array | null;
  missingLeft: boolean;
  left: NodeTotals;
}

// Gains below this are rounding noise of the histogram sums, not structure.
const minGain = 1e-10;

export function findBestSplit(
  hist: Float64Array,
  valueBins: Int32Array,
  /** 1 for features split into category sets. */
  categorical: Uint8Array,
  featureMask: Uint8Array,
  totals: NodeTotals,
  limits: SplitLimits,
): Split | null {
  let best: Split | null = null;
  for (let f = 0; f < valueBins.length; f++) {
    if (featureMask[f] === 0) continue;
    const bound: number = best?.gain ?? minGain;
    const split: Split | null =
      categorical[f] === 1
        ? categorySplit(hist, f, valueBins[f] as number, totals, limits, bound)
        : thresholdSplit(hist, f, valueBins[f] as number, totals, limits, bound);
    if (split) best = split;
  }
  return best;
}

/** The best cut of a numeric feature with a gain above `bound`, or null. */
function thresholdSplit(
  hist: Float64Array,
  f: number,
  nb: number,
  totals: NodeTotals,
  limits: SplitLimits,
  bound: number,
): Split | null {
  const { l2, minChildWeight, minSamplesLeaf } = limits;
  const { g: G, h: H, count: C } = totals;
  const parentScore = (G * G) / (H + l2);
  let best: Split | null = null;
  let bestGain = bound;
  const m = slotOf(f, missingBin);
  const mg = hist[m] as number;
  const mh = hist[m + 1] as number;
  const mc = hist[m + 2] as number;
  let gl = 0;
  let hl = 0;
  let cl = 0;
  // The last cut (b = nb - 1) puts every value left and only makes sense with missing right.
  for (let b = 0; b < nb; b++) {
    const k = slotOf(f, b);
    const binCount = hist[k + 2] as number;
    // An empty bin leaves the cut's sides as they were at b - 1, an equal gain that cannot
    // win (ties keep the lower cut): small nodes leave most bins empty.
    if (binCount === 0 && b > 0) continue;
    gl += hist[k] as number;
    hl += hist[k + 1] as number;
    cl += binCount;
    for (let side = 0; side < 2; side++) {
      const missingLeft = side === 1;
      if (missingLeft && mc === 0) break;
      if (b === nb - 1 && (missingLeft || mc === 0)) break;
      const lg = missingLeft ? gl + mg : gl;
      const lh = missingLeft ? hl + mh : hl;
      const lc = missingLeft ? cl + mc : cl;
      const rh = H - lh;
      const rc = C - lc;
      if (lc < minSamplesLeaf || rc < minSamplesLeaf || lh < minChildWeight || rh < minChildWeight) continue;
      const rg = G - lg;
      const gain = (lg * lg) / (lh + l2) + (rg * rg) / (rh + l2) - parentScore;
      if (gain > bestGain) {
        bestGain = gain;
        // Without missing values in training, unseen ones follow the larger child.
        const defaultLeft = mc === 0 ? lc >= rc : missingLeft;
        best = {
          gain,
          feature: f,
          bin: b,
          set: null,
          missingLeft: defaultLeft,
          left: { g: lg, h: lh, count: lc },
        };
      }
    }
  }
  return best;
}

// Scratch for one feature's candidate categories: bins, and ordering keys by bin.
const order = new Int32Array(256);
const keys = new Float64Array(256);

/**
 * The best set split of a categorical feature with a gain above `bound`, or null. The node's
 * categories with at least catSmooth rows (missing values count as one more category) are
 * ordered by g / (h + catSmooth); for squared error that order holds the best binary partition
 * as a prefix (Fisher 1958), and it is a good guide for other losses. Prefixes from both ends
 * of up to maxCatThreshold categories are scored, every minDataPerGroup rows, with catL2 added
 * to the children's L2: a set chosen among many is more flexible than one cut, so it must pay
 * more. Categories left out (rare at this node, or unseen) go right.
 */
function categorySplit(
  hist: Float64Array,
  f: number,
  nb: number,
  totals: NodeTotals,
  limits: SplitLimits,
  bound: number,
): Split | null {
  const { l2, minChildWeight, minSamplesLeaf, catSmooth, catL2, minDataPerGroup } = limits;
  const { g: G, h: H, count: C } = totals;
  const support = Math.max(1, catSmooth);
  let used = 0;
  for (let b = 0; b <= nb; b++) {
    // The missing bin is the last candidate.
    const bin = b === nb ? missingBin : b;
    const k = slotOf(f, bin);
    if ((hist[k + 2] as number) < support) continue;
    const key = (hist[k] as number) / ((hist[k + 1] as number) + catSmooth);
    // Insertion sort: a node has few categories with enough rows, and ties keep bin order.
    let i = used++;
    for (; i > 0 && (keys[order[i - 1] as number] as number) > key; i--) order[i] = order[i - 1] as number;
    order[i] = bin;
    keys[bin] = key;
  }
  if (used < 2) return null;

  const parentScore = (G * G) / (H + l2);
  const childL2 = l2 + catL2;
  const maxSize = Math.min(limits.maxCatThreshold, (used + 1) >> 1);
  let bestGain = bound;
  let best: { from: number; size: number; lg: number; lh: number; lc: number } | null = null;
  for (let end = 0; end < 2; end++) {
    const from = end === 0 ? 0 : used - 1;
    const step = end === 0 ? 1 : -1;
    let lg = 0;
    let lh = 0;
    let lc = 0;
    let group = 0;
    for (let size = 1; size <= maxSize && size < used; size++) {
      const k = slotOf(f, order[from + step * (size - 1)] as number);
      const c = hist[k + 2] as number;
      lg += hist[k] as number;
      lh += hist[k + 1] as number;
      lc += c;
      group += c;
      if (lc < minSamplesLeaf || lh < minChildWeight) continue;
      const rc = C - lc;
      const rh = H - lh;
      if (rc < minSamplesLeaf || rc < minDataPerGroup || rh < minChildWeight) break;
      if (group < minDataPerGroup) continue;
      group = 0;
      const rg = G - lg;
      const gain = (lg * lg) / (lh + childL2) + (rg * rg) / (rh + childL2) - parentScore;
      if (gain > bestGain) {
        bestGain = gain;
        best = { from, size, lg, lh, lc };
      }
    }
  }
  if (!best) return null;
  const set = emptyCategorySet();
  const step = best.from === 0 ? 1 : -1;
  let missingLeft = false;
  for (let i = 0; i < best.size; i++) {
    const bin = order[best.from + step * i] as number;
    if (bin === missingBin) missingLeft = true;
    else addToSet(set, bin);
  }
  // Without missing values at this node, unseen ones follow the larger child, as for cuts.
  const mc = hist[slotOf(f, missingBin) + 2] as number;
  if (mc === 0) missingLeft = best.lc >= C - best.lc;
  return {
    gain: bestGain,
    feature: f,
    bin: 0,
    set,
    missingLeft,
    left: { g: best.lg, h: best.lh, count: best.lc },
  };
}
