import { describe, expect, it } from 'vitest';
import { missingBin } from '../../../shared/ml/binning.js';
import { setMembers } from '../../../shared/ml/category-set.js';
import { defaultGbdtParams } from '../../../shared/ml/gbdt.js';
import { histogramSize, slotOf } from '../../../shared/ml/histogram.js';
import { findBestSplit, type NodeTotals } from '../../../shared/ml/split-finder.js';

const categories = 10;

/** One categorical feature's histogram from per-category gradient sums and counts (hessian 1 per row). */
function histogram(cells: Record<number, [g: number, count: number]>): {
  hist: Float64Array;
  totals: NodeTotals;
} {
  const hist = new Float64Array(histogramSize(1));
  const totals = { g: 0, h: 0, count: 0 };
  for (const [bin, [g, count]] of Object.entries(cells)) {
    const k = slotOf(0, Number(bin));
    hist.set([g, count, count], k);
    totals.g += g;
    totals.h += count;
    totals.count += count;
  }
  return { hist, totals };
}

/** Codes of the node (the test's categories, all present unless said) outside a set. */
const complement = (set: number[], present = categories): number[] =>
  Array.from({ length: present }, (_, c) => c).filter((c) => !set.includes(c));

const limits = { ...defaultGbdtParams, minSamplesLeaf: 1, minDataPerGroup: 0 };

function split(cells: Record<number, [number, number]>, overrides: Partial<typeof limits> = {}) {
  const { hist, totals } = histogram(cells);
  const found = findBestSplit(
    hist,
    Int32Array.from([categories]),
    Uint8Array.from([1]),
    Uint8Array.from([1]),
    totals,
    { ...limits, ...overrides },
  );
  return { found, totals, left: found?.set ? setMembers(found.set, categories) : [] };
}

describe('categorical set splits', () => {
  it('sends the categories that push the same way to one side, wherever their codes lie', () => {
    // Codes 1, 4 and 6 have positive gradients, the rest negative: no threshold separates them.
    const cells: Record<number, [number, number]> = {};
    for (let c = 0; c < categories; c++) cells[c] = [[1, 4, 6].includes(c) ? 30 : -10, 50];
    const { found, left } = split(cells);
    expect(found?.set).not.toBeNull();
    // Either side may hold the set; the partition is what counts.
    expect([left, complement(left)]).toContainEqual([1, 4, 6]);
    expect([found?.left.count, found?.left.g]).toEqual(left[0] === 1 ? [150, 90] : [350, -70]);
  });

  it('leaves categories with fewer rows than catSmooth out of the set, on the right', () => {
    // Code 2's gradient per row is the most extreme, but from 5 rows.
    const { left } = split({ 0: [-100, 100], 1: [100, 100], 2: [25, 5], 3: [-90, 100] });
    expect(left.includes(2)).toBe(false);
    expect([left, complement(left, 4).filter((c) => c !== 2)]).toContainEqual([1]);
  });

  it('treats missing values as one more category that may join the set', () => {
    const { found, left } = split({ 0: [-100, 100], 1: [100, 100], 2: [-100, 100], [missingBin]: [90, 100] });
    // Missing values go with code 1, away from 0 and 2.
    expect(found?.missingLeft).toBe(left.includes(1));
    expect([left, complement(left)]).toContainEqual([0, 2]);
  });

  it('sends missing values to the larger child when the node has none', () => {
    const { found } = split({ 0: [-100, 300], 1: [100, 100], 2: [-50, 100] });
    expect(found?.left.count === 100 ? found?.missingLeft : !found?.missingLeft).toBe(false);
  });

  it('holds at most maxCatThreshold categories and scores cuts only every minDataPerGroup rows', () => {
    const cells: Record<number, [number, number]> = {};
    for (let c = 0; c < categories; c++) cells[c] = [c * 10 - 45, 20];
    expect(split(cells, { maxCatThreshold: 2 }).left.length).toBeLessThanOrEqual(2);
    // Groups of 60 rows: the set grows three categories (of 20 rows) at a time.
    expect(split(cells, { minDataPerGroup: 60 }).left.length % 3).toBe(0);
  });

  it('pays catL2 on its children, so a weak set split loses to no split', () => {
    const weak = { 0: [5, 20], 1: [8, 20] } as Record<number, [number, number]>;
    expect(split(weak, { catL2: 0 }).found).not.toBeNull();
    expect(split(weak, { catL2: 1000 }).found).toBeNull();
  });
});
