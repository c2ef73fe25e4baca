// Gradient histograms: per feature and bin, the sums of gradient, hessian and row count,
// interleaved at slotOf(feature, bin). A child's histogram is its parent's minus its
// sibling's, so only the smaller child of each split is ever built from rows. Only the bins a
// feature can hold (its value bins and the missing bin) are cleared and subtracted, and only
// for the features a tree samples: a feature of 16 values costs 17 slots, not 256. The other
// slots are never read.
import { missingBin } from './binning.js';
import type { NodeTotals } from './split-finder.js';

export const histogramSize = (features: number): number => features * 256 * 4;

/**
 * Where bin `bin` of feature `feature` starts: four slots a bin (gradient, hessian, count and
 * one unused), so the index is a shift, which made histogram building some 10% faster than
 * three slots and a multiply.
 */
export const slotOf = (feature: number, bin: number): number => ((feature << 8) | bin) << 2;

export class HistogramBuilder {
  // The node's gradients and hessians gathered in node order, so the per-feature passes read
  // them sequentially instead of gathering them once per feature.
  private readonly ordered: Float64Array;
  // Every row's counts per bin (count slots only): the same for every unsampled root, so those
  // roots copy them rather than add 1 per row and feature, a third of their histogram work.
  private readonly allRowCounts: Float64Array;

  constructor(
    private readonly bins: Uint8Array,
    private readonly rowCount: number,
    private readonly features: number,
    /** Value bins per feature (the missing bin comes on top). */
    private readonly valueBins: Int32Array,
  ) {
    this.ordered = new Float64Array(2 * rowCount);
    this.allRowCounts = new Float64Array(histogramSize(features));
    for (let f = 0; f < features; f++) {
      for (let r = 0; r < rowCount; r++) {
        const k = slotOf(f, bins[f * rowCount + r] as number) + 2;
        this.allRowCounts[k] = (this.allRowCounts[k] as number) + 1;
      }
    }
  }

  /** parent -= child over the features in featureMask: the parent's buffer becomes the sibling's. */
  subtract(parent: Float64Array, child: Float64Array, featureMask: Uint8Array): void {
    for (let f = 0; f < this.features; f++) {
      if (featureMask[f] === 0) continue;
      const end = slotOf(f, this.valueBins[f] as number);
      for (let i = slotOf(f, 0); i < end; i++) parent[i] = (parent[i] as number) - (child[i] as number);
      const m = slotOf(f, missingBin);
      for (let i = m; i < m + 3; i++) parent[i] = (parent[i] as number) - (child[i] as number);
    }
  }

  /**
   * Fills hist for rows[start, end) over the features in featureMask and returns the node's
   * totals. `allRows` says the range is every row in order (an unsampled root): no gathers, and
   * the counts are known.
   */
  build(
    hist: Float64Array,
    rows: Uint32Array,
    start: number,
    end: number,
    grad: Float64Array,
    hess: Float64Array,
    featureMask: Uint8Array,
    allRows: boolean,
  ): NodeTotals {
    for (let f = 0; f < this.features; f++) {
      if (featureMask[f] === 0) continue;
      hist.fill(0, slotOf(f, 0), slotOf(f, this.valueBins[f] as number));
      hist.fill(0, slotOf(f, missingBin), slotOf(f, missingBin) + 3);
    }
    const count = end - start;
    // An unsampled root reads gradients in row order already; other nodes gather theirs once.
    const gh = allRows ? null : this.ordered;
    let g = 0;
    let h = 0;
    for (let i = 0; i < count; i++) {
      const row = allRows ? i : (rows[start + i] as number);
      const gi = grad[row] as number;
      const hi = hess[row] as number;
      if (gh) {
        gh[2 * i] = gi;
        gh[2 * i + 1] = hi;
      }
      g += gi;
      h += hi;
    }
    // Features in fours, then a pair and a single for the rest: each pass over the node's rows
    // loads a row index and its gradients once for several histograms (four keep 24 KB of
    // histogram in L1; more measured slower).
    const active: number[] = [];
    for (let f = 0; f < this.features; f++) if (featureMask[f] !== 0) active.push(f);
    let quads = 0;
    for (; quads + 4 <= active.length; quads += 4)
      this.quad(hist, active, quads, rows, start, count, grad, hess, gh);
    for (let a = quads; a < active.length; a += 2) {
      const f1 = active[a] as number;
      const f2 = active[a + 1] ?? -1;
      if (f2 < 0) this.single(hist, f1, rows, start, count, grad, hess, gh);
      else this.pair(hist, f1, f2, rows, start, count, grad, hess, gh);
    }
    if (allRows) {
      for (const f of active) {
        for (let b = 0; b < (this.valueBins[f] as number); b++) {
          const k = slotOf(f, b) + 2;
          hist[k] = this.allRowCounts[k] as number;
        }
        const m = slotOf(f, missingBin) + 2;
        hist[m] = this.allRowCounts[m] as number;
      }
    }
    return { g, h, count };
  }

  private single(
    hist: Float64Array,
    f: number,
    rows: Uint32Array,
    start: number,
    count: number,
    grad: Float64Array,
    hess: Float64Array,
    gh: Float64Array | null,
  ): void {
    const { bins } = this;
    const column = f * this.rowCount;
    const base = slotOf(f, 0);
    for (let i = 0; i < count; i++) {
      const row = gh ? (rows[start + i] as number) : i;
      const k = base | ((bins[column + row] as number) << 2);
      hist[k] = (hist[k] as number) + (gh ? (gh[2 * i] as number) : (grad[i] as number));
      hist[k + 1] = (hist[k + 1] as number) + (gh ? (gh[2 * i + 1] as number) : (hess[i] as number));
      if (gh) hist[k + 2] = (hist[k + 2] as number) + 1;
    }
  }

  private quad(
    hist: Float64Array,
    active: readonly number[],
    at: number,
    rows: Uint32Array,
    start: number,
    count: number,
    grad: Float64Array,
    hess: Float64Array,
    gh: Float64Array | null,
  ): void {
    const { bins, rowCount } = this;
    const [f1, f2, f3, f4] = [
      active[at] as number,
      active[at + 1] as number,
      active[at + 2] as number,
      active[at + 3] as number,
    ];
    const [c1, c2, c3, c4] = [f1 * rowCount, f2 * rowCount, f3 * rowCount, f4 * rowCount];
    const [b1, b2, b3, b4] = [slotOf(f1, 0), slotOf(f2, 0), slotOf(f3, 0), slotOf(f4, 0)];
    // Two copies of one loop, so neither tests per row whether rows are gathered (and counted).
    if (gh) {
      for (let i = 0; i < count; i++) {
        const row = rows[start + i] as number;
        const g = gh[2 * i] as number;
        const h = gh[2 * i + 1] as number;
        add2(hist, g, h, b1 | ((bins[c1 + row] as number) << 2), b2 | ((bins[c2 + row] as number) << 2));
        add2(hist, g, h, b3 | ((bins[c3 + row] as number) << 2), b4 | ((bins[c4 + row] as number) << 2));
      }
    } else {
      for (let i = 0; i < count; i++) {
        const g = grad[i] as number;
        const h = hess[i] as number;
        addSums2(hist, g, h, b1 | ((bins[c1 + i] as number) << 2), b2 | ((bins[c2 + i] as number) << 2));
        addSums2(hist, g, h, b3 | ((bins[c3 + i] as number) << 2), b4 | ((bins[c4 + i] as number) << 2));
      }
    }
  }

  private pair(
    hist: Float64Array,
    f1: number,
    f2: number,
    rows: Uint32Array,
    start: number,
    count: number,
    grad: Float64Array,
    hess: Float64Array,
    gh: Float64Array | null,
  ): void {
    const { bins } = this;
    const c1 = f1 * this.rowCount;
    const c2 = f2 * this.rowCount;
    const b1 = slotOf(f1, 0);
    const b2 = slotOf(f2, 0);
    if (gh) {
      for (let i = 0; i < count; i++) {
        const row = rows[start + i] as number;
        add2(
          hist,
          gh[2 * i] as number,
          gh[2 * i + 1] as number,
          b1 | ((bins[c1 + row] as number) << 2),
          b2 | ((bins[c2 + row] as number) << 2),
        );
      }
    } else {
      for (let i = 0; i < count; i++) {
        addSums2(
          hist,
          grad[i] as number,
          hess[i] as number,
          b1 | ((bins[c1 + i] as number) << 2),
          b2 | ((bins[c2 + i] as number) << 2),
        );
      }
    }
  }
}

/** One row's gradient and hessian into two features' bins (small enough for V8 to inline). */
function add2(hist: Float64Array, g: number, h: number, k1: number, k2: number): void {
  addSums2(hist, g, h, k1, k2);
  hist[k1 + 2] = (hist[k1 + 2] as number) + 1;
  hist[k2 + 2] = (hist[k2 + 2] as number) + 1;
}

/** The gradient and hessian sums of add2 alone: rows whose counts are known. */
function addSums2(hist: Float64Array, g: number, h: number, k1: number, k2: number): void {
  hist[k1] = (hist[k1] as number) + g;
  hist[k1 + 1] = (hist[k1 + 1] as number) + h;
  hist[k2] = (hist[k2] as number) + g;
  hist[k2 + 1] = (hist[k2 + 1] as number) + h;
}

/** Reuses histogram buffers across nodes and trees: a tree needs at most leaves + 1 at once. */
export class HistogramPool {
  private readonly free: Float64Array[] = [];
  constructor(private readonly size: number) {}

  take(): Float64Array {
    return this.free.pop() ?? new Float64Array(this.size);
  }

  give(hist: Float64Array): void {
    this.free.push(hist);
  }
}
