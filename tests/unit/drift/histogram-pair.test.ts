import { describe, expect, it } from 'vitest';
import { histogramPair } from '../../../shared/drift/histogram-pair.js';
import type { CategoricalProfile, NumericProfile } from '../../../shared/data/profile/profile-schema.js';

function numeric(edges: number[], counts: number[]): NumericProfile {
  const count = counts.reduce((a, b) => a + b, 0);
  return {
    name: 'x',
    type: 'numeric',
    count,
    missing: 0,
    mean: null,
    std: null,
    min: edges[0]!,
    max: edges.at(-1)!,
    quantiles: [],
    histogram: { edges, counts },
  };
}

function categorical(top: [string, number][], count: number): CategoricalProfile {
  return {
    name: 'c',
    type: 'categorical',
    count,
    missing: 0,
    top: top.map(([value, n]) => ({ value, count: n, frequency: n / count })),
    exact: true,
  };
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('baseline and window on one set of bins', () => {
  it('re-bins numeric histograms over both ranges and keeps every count', () => {
    const pair = histogramPair(numeric([0, 10, 20], [50, 50]), numeric([20, 40], [30]))!;
    expect(pair.edges![0]).toBe(0);
    expect(pair.edges!.at(-1)).toBe(40);
    expect(sum(pair.baseline)).toBeCloseTo(100);
    expect(sum(pair.window)).toBeCloseTo(30);
    // The window lies wholly above the baseline: no bin holds both.
    pair.baseline.forEach((count, i) => expect(count * pair.window[i]!).toBe(0));
  });

  it('puts a single repeated value into one bin', () => {
    const pair = histogramPair(numeric([5, 5], [10]), numeric([5, 5], [4]))!;
    expect(pair.baseline).toEqual([10]);
    expect(pair.window).toEqual([4]);
  });

  it('lines categories up by the baseline, the rest as (other)', () => {
    const pair = histogramPair(
      categorical(
        [
          ['a', 60],
          ['b', 40],
        ],
        100,
      ),
      categorical(
        [
          ['b', 30],
          ['z', 20],
        ],
        50,
      ),
    )!;
    expect(pair.labels).toEqual(['a', 'b', '(other)']);
    expect(pair.baseline).toEqual([60, 40, 0]);
    expect(pair.window).toEqual([0, 30, 20]);
  });

  it('has nothing to pair across types', () => {
    expect(histogramPair(numeric([0, 1], [1]), categorical([['a', 1]], 1))).toBeUndefined();
  });
});
