import { describe, expect, it } from 'vitest';
import { missingBin } from '../../../shared/ml/binning.js';
import { defaultGbdtParams } from '../../../shared/ml/gbdt.js';
import { HistogramBuilder, histogramSize, slotOf } from '../../../shared/ml/histogram.js';
import { findBestSplit } from '../../../shared/ml/split-finder.js';

// Seven features exercise every kernel the builder combines (a group of four, a pair, a single).
const features = 7;
const rowCount = 50;

function fixture(): { bins: Uint8Array; grad: Float64Array; hess: Float64Array } {
  const bins = new Uint8Array(features * rowCount);
  for (let i = 0; i < bins.length; i++) bins[i] = i % 13 === 0 ? missingBin : (i * 7919) % 9;
  const grad = Float64Array.from({ length: rowCount }, (_, r) => Math.sin(r) * 3);
  const hess = Float64Array.from({ length: rowCount }, (_, r) => 0.5 + (r % 5) / 10);
  return { bins, grad, hess };
}

/** The histogram by definition: one row at a time. */
function naive(
  bins: Uint8Array,
  rows: readonly number[],
  grad: Float64Array,
  hess: Float64Array,
  mask: Uint8Array,
): Float64Array {
  const hist = new Float64Array(histogramSize(features));
  for (let f = 0; f < features; f++) {
    if (mask[f] === 0) continue;
    for (const r of rows) {
      const k = slotOf(f, bins[f * rowCount + r] as number);
      hist[k] = (hist[k] as number) + (grad[r] as number);
      hist[k + 1] = (hist[k + 1] as number) + (hess[r] as number);
      hist[k + 2] = (hist[k + 2] as number) + 1;
    }
  }
  return hist;
}

describe('histogram building', () => {
  const { bins, grad, hess } = fixture();
  // Nine value bins per feature, as the fixture's bins 0..8.
  const builder = new HistogramBuilder(bins, rowCount, features, new Int32Array(features).fill(9));

  it('matches the row-by-row definition for all rows in order', () => {
    const mask = new Uint8Array(features).fill(1);
    const all = Array.from({ length: rowCount }, (_, r) => r);
    const hist = new Float64Array(histogramSize(features));
    const totals = builder.build(hist, Uint32Array.from(all), 0, rowCount, grad, hess, mask, true);
    const expected = naive(bins, all, grad, hess, mask);
    hist.forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 12));
    expect(totals.count).toBe(rowCount);
  });

  it('matches it for a node range of scattered rows and a feature sample', () => {
    const mask = Uint8Array.from([1, 0, 1, 1, 1, 1, 1]);
    const rows = Uint32Array.from([40, 3, 7, 11, 12, 20, 31, 33, 49, 0]);
    const node = Array.from(rows.subarray(2, 9));
    const hist = new Float64Array(histogramSize(features));
    const totals = builder.build(hist, rows, 2, 9, grad, hess, mask, false);
    const expected = naive(bins, node, grad, hess, mask);
    hist.forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 12));
    expect(totals.count).toBe(node.length);
    expect(totals.g).toBeCloseTo(
      node.reduce((s, r) => s + (grad[r] as number), 0),
      12,
    );
  });
});

describe('histogram reuse', () => {
  it('clears and subtracts every slot a split reads, in a dirty buffer too', () => {
    const { bins, grad, hess } = fixture();
    const builder = new HistogramBuilder(bins, rowCount, features, new Int32Array(features).fill(9));
    const mask = Uint8Array.from([1, 1, 0, 1, 1, 1, 1]);
    const rows = Uint32Array.from({ length: rowCount }, (_, r) => r);
    const parent = new Float64Array(histogramSize(features)).fill(Number.NaN);
    const child = new Float64Array(histogramSize(features)).fill(Number.NaN);
    builder.build(parent, rows, 0, rowCount, grad, hess, mask, false);
    builder.build(child, rows, 0, 20, grad, hess, mask, false);
    builder.subtract(parent, child, mask);
    const sibling = naive(bins, Array.from(rows.subarray(20)), grad, hess, mask);
    for (let f = 0; f < features; f++) {
      if (mask[f] === 0) continue;
      for (const bin of [0, 4, 8, missingBin]) {
        const k = slotOf(f, bin);
        for (let j = 0; j < 3; j++) expect(parent[k + j]).toBeCloseTo(sibling[k + j] as number, 12);
      }
    }
  });
});

describe('split finding', () => {
  it('skips empty bins without moving the cut: ties keep the lowest bin', () => {
    // One feature with values in bins 0 and 5 only: every cut from 0 to 4 splits alike.
    const hist = new Float64Array(histogramSize(1));
    const put = (bin: number, g: number, count: number): void => {
      hist[slotOf(0, bin)] = g;
      hist[slotOf(0, bin) + 1] = count;
      hist[slotOf(0, bin) + 2] = count;
    };
    put(0, -10, 5);
    put(5, 10, 5);
    const split = findBestSplit(
      hist,
      Int32Array.from([8]),
      Uint8Array.from([0]),
      Uint8Array.from([1]),
      { g: 0, h: 10, count: 10 },
      { ...defaultGbdtParams, l2: 1, minChildWeight: 1e-3, minSamplesLeaf: 1 },
    );
    expect(split?.bin).toBe(0);
    expect(split?.left).toEqual({ g: -10, h: 5, count: 5 });
  });
});
