// The best split of a node from its histogram. For each feature and cut point it tries missing
// values on either side (the learned default direction) and scores the XGBoost gain
// G_L^2/(H_L+l2) + G_R^2/(H_R+l2) - G^2/(H+l2), subject to the minimum child hessian and rows.
import { missingBin } from './binning.js';

export interface SplitLimits {
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
  /** Value bins <= bin go left. */
  bin: number;
  missingLeft: boolean;
  left: NodeTotals;
}

// Gains below this are rounding noise of the histogram sums, not structure.
const minGain = 1e-10;

export function findBestSplit(
  hist: Float64Array,
  valueBins: Int32Array,
  featureMask: Uint8Array,
  totals: NodeTotals,
  limits: SplitLimits,
): Split | null {
  const { l2, minChildWeight, minSamplesLeaf } = limits;
  const { g: G, h: H, count: C } = totals;
  const parentScore = (G * G) / (H + l2);
  let best: Split | null = null;
  let bestGain = minGain;
  for (let f = 0; f < valueBins.length; f++) {
    if (featureMask[f] === 0) continue;
    const base = f << 8;
    const m = (base | missingBin) * 3;
    const mg = hist[m] as number;
    const mh = hist[m + 1] as number;
    const mc = hist[m + 2] as number;
    const nb = valueBins[f] as number;
    let gl = 0;
    let hl = 0;
    let cl = 0;
    // The last cut (b = nb - 1) puts every value left and only makes sense with missing right.
    for (let b = 0; b < nb; b++) {
      const k = (base | b) * 3;
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
        if (lc < minSamplesLeaf || rc < minSamplesLeaf || lh < minChildWeight || rh < minChildWeight)
          continue;
        const rg = G - lg;
        const gain = (lg * lg) / (lh + l2) + (rg * rg) / (rh + l2) - parentScore;
        if (gain > bestGain) {
          bestGain = gain;
          // Without missing values in training, unseen ones follow the larger child.
          const defaultLeft = mc === 0 ? lc >= rc : missingLeft;
          best = { gain, feature: f, bin: b, missingLeft: defaultLeft, left: { g: lg, h: lh, count: lc } };
        }
      }
    }
  }
  return best;
}
