// A numeric distribution as its cumulative distribution function, in one form that serves both
// an exact sample (a step function) and a stored profile (the line through its percentiles):
// at each knot the CDF may jump (from `below` to `at`), and between knots it runs straight from
// `at` of one knot to `below` of the next. Statistics over two such CDFs are exact for the
// form, because the difference of two of them is linear between their joint knots.
import type { NumericProfile } from '../data/profile/profile-schema.js';

export interface NumericDistribution {
  /** Distinct knot positions, ascending. */
  readonly x: Float64Array;
  /** P(X < x[i]). */
  readonly below: Float64Array;
  /** P(X <= x[i]). */
  readonly at: Float64Array;
  /** How many values it was built from (the sample size of significance tests). */
  readonly count: number;
  /** Population standard deviation, the unit of the normalized Wasserstein distance. */
  readonly std: number;
}

/** The empirical CDF of a sample (missing values must be removed first). */
export function sampleDistribution(values: ArrayLike<number>): NumericDistribution {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  const x: number[] = [];
  const below: number[] = [];
  const at: number[] = [];
  let mean = 0;
  for (const v of sorted) mean += v / n;
  let squares = 0;
  for (let i = 0; i < n; i += 1) {
    const v = sorted[i] as number;
    squares += (v - mean) ** 2;
    if (x.at(-1) === v) at[at.length - 1] = (i + 1) / n;
    else {
      x.push(v);
      below.push(i / n);
      at.push((i + 1) / n);
    }
  }
  return {
    x: Float64Array.from(x),
    below: Float64Array.from(below),
    at: Float64Array.from(at),
    count: n,
    std: Math.sqrt(squares / n),
  };
}

/**
 * The CDF a profile describes: the line through its t-digest CDF points (or, for a profile
 * without them, through min, the quantiles and max). Repeated values (a discrete feature)
 * become a jump at that value.
 */
export function profileDistribution(profile: NumericProfile): NumericDistribution {
  const points = profile.cdf
    ? profile.cdf.x.map((value, i) => ({ q: profile.cdf?.p[i] ?? 1, value }))
    : [
        { q: 0, value: profile.min ?? Number.NaN },
        ...profile.quantiles,
        { q: 1, value: profile.max ?? Number.NaN },
      ];
  const x: number[] = [];
  const below: number[] = [];
  const at: number[] = [];
  for (const { q, value } of points) {
    if (!Number.isFinite(value)) continue;
    const last = x.length - 1;
    // The t-digest's interpolation can step back by a rounding error; a CDF never does.
    if (last >= 0 && value <= (x[last] as number)) at[last] = Math.max(at[last] as number, q);
    else {
      x.push(value);
      below.push(q);
      at.push(q);
    }
  }
  if (at.length > 0) at[at.length - 1] = 1;
  return {
    x: Float64Array.from(x),
    below: Float64Array.from(below),
    at: Float64Array.from(at),
    count: profile.count,
    std: profile.std ?? Number.NaN,
  };
}

/** Index of the last knot at or before v, or -1. */
function knotBefore(d: NumericDistribution, v: number): number {
  let lo = 0;
  let hi = d.x.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((d.x[mid] as number) <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** P(X <= v), or P(X < v) when `strict`. */
export function cdf(d: NumericDistribution, v: number, strict = false): number {
  const i = knotBefore(d, v);
  if (i < 0) return 0;
  if (d.x[i] === v) return (strict ? d.below[i] : d.at[i]) as number;
  if (i === d.x.length - 1) return 1;
  const x0 = d.x[i] as number;
  const from = d.at[i] as number;
  return from + ((v - x0) / ((d.x[i + 1] as number) - x0)) * ((d.below[i + 1] as number) - from);
}

/** The smallest v with P(X <= v) >= q (the inverse CDF; for a sample, numpy's 'inverted_cdf'). */
export function quantile(d: NumericDistribution, q: number): number {
  const n = d.x.length;
  let i = 0;
  while (i < n - 1 && (d.at[i] as number) < q) i += 1;
  if (i === 0 || (d.below[i] as number) <= q) return d.x[i] as number;
  const from = d.at[i - 1] as number;
  const to = d.below[i] as number;
  const x0 = d.x[i - 1] as number;
  return x0 + ((q - from) / (to - from)) * ((d.x[i] as number) - x0);
}

/** The knots of both, merged, ascending and distinct. */
export function jointKnots(a: NumericDistribution, b: NumericDistribution): Float64Array {
  const all = new Float64Array(a.x.length + b.x.length);
  all.set(a.x);
  all.set(b.x, a.x.length);
  all.sort();
  let n = 0;
  for (const v of all) if (n === 0 || all[n - 1] !== v) all[n++] = v;
  return all.subarray(0, n);
}
