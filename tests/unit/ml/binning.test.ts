import { describe, expect, it } from 'vitest';
import { binEdges, binOf, binColumns, missingBin } from '../../../shared/ml/binning.js';

describe('binning', () => {
  it('gives each of few distinct values its own bin, edges halfway', () => {
    const edges = binEdges(Float64Array.from([3, 1, 2, 2, Number.NaN, 1]), 255);
    expect(Array.from(edges)).toEqual([1.5, 2.5]);
    expect([1, 2, 3].map((v) => binOf(v, edges))).toEqual([0, 1, 2]);
    expect(binOf(Number.NaN, edges)).toBe(missingBin);
  });

  it('limits the bins and keeps bin <= b exactly x < edge[b] in float32', () => {
    const values = Float64Array.from({ length: 10_000 }, (_, i) => Math.sin(i) * 1000 + i / 7);
    const edges = binEdges(values, 32);
    expect(edges.length).toBeLessThanOrEqual(31);
    for (let i = 1; i < edges.length; i++) expect(edges[i]).toBeGreaterThan(edges[i - 1] as number);
    for (const v of values) {
      const b = binOf(v, edges);
      const x = Math.fround(v);
      if (b < edges.length) expect(x < (edges[b] as number)).toBe(true);
      if (b > 0) expect(x < (edges[b - 1] as number)).toBe(false);
    }
  });

  it('separates neighbouring values that only differ in float32', () => {
    const a = Math.fround(0.1);
    const b = Math.fround(a + 1e-8);
    const edges = binEdges(Float64Array.from([a, b]), 255);
    expect(binOf(a, edges)).toBe(0);
    expect(binOf(b, edges)).toBe(1);
  });

  it('lays bins out column-major', () => {
    const bins = binColumns(
      [Float64Array.from([0, 1]), Float64Array.from([5, Number.NaN])],
      [Float32Array.from([0.5]), Float32Array.from([])],
      2,
    );
    expect(Array.from(bins)).toEqual([0, 1, 0, missingBin]);
  });
});
