// Drift statistics between two numeric distributions (distribution.ts): the reference is the
// training baseline, the other the monitored window. Each is exact for the CDF form it is given,
// so on samples they equal scipy's (fixtures in tests/unit/drift/).
import { cdf, jointKnots, quantile, type NumericDistribution } from './distribution.js';
import { kolmogorovSurvival } from './special-functions.js';
import { populationStability } from './population-stability.js';

/** The two-sample Kolmogorov-Smirnov statistic: the largest gap between the two CDFs. */
export function ksStatistic(reference: NumericDistribution, current: NumericDistribution): number {
  let largest = 0;
  for (const v of jointKnots(reference, current)) {
    const gapAt = Math.abs(cdf(reference, v) - cdf(current, v));
    const gapBelow = Math.abs(cdf(reference, v, true) - cdf(current, v, true));
    largest = Math.max(largest, gapAt, gapBelow);
  }
  return largest;
}

/**
 * The asymptotic p-value of a two-sample KS statistic (Kolmogorov's limiting distribution at
 * sqrt(nm/(n+m)) * D, as scipy's `kstwobign`): accurate for the hundreds of rows and more a
 * verdict needs, and defined for the weighted sizes a profile carries.
 */
export function ksPValue(statistic: number, n: number, m: number): number {
  if (n === 0 || m === 0) return 1;
  return kolmogorovSurvival(Math.sqrt((n * m) / (n + m)) * statistic);
}

/** The first Wasserstein (earth mover's) distance: the area between the two CDFs. */
export function wasserstein(reference: NumericDistribution, current: NumericDistribution): number {
  const knots = jointKnots(reference, current);
  let area = 0;
  for (let i = 0; i + 1 < knots.length; i += 1) {
    const left = knots[i] as number;
    const right = knots[i + 1] as number;
    // The gap is linear on (left, right): from its value at `left` to its limit below `right`.
    const start = cdf(reference, left) - cdf(current, left);
    const end = cdf(reference, right, true) - cdf(current, right, true);
    const width = right - left;
    area +=
      start * end >= 0
        ? ((Math.abs(start) + Math.abs(end)) / 2) * width
        : ((start * start + end * end) / (2 * (Math.abs(start) + Math.abs(end)))) * width;
  }
  return area;
}

/** Wasserstein in units of the reference's standard deviation (Azure ML's and Evidently's norm). */
export function normalizedWasserstein(reference: NumericDistribution, current: NumericDistribution): number {
  const distance = wasserstein(reference, current);
  if (reference.std > 0) return distance / reference.std;
  // A constant reference: any movement at all is infinitely many of its (zero) deviations.
  return distance === 0 ? 0 : Number.POSITIVE_INFINITY;
}

export const psiBins = 10;

/** Shares of each distribution in the reference's decile bins (merged where deciles coincide). */
export function decileShares(
  reference: NumericDistribution,
  current: NumericDistribution,
): { reference: number[]; current: number[] } {
  const edges = [
    ...new Set(Array.from({ length: psiBins - 1 }, (_, i) => quantile(reference, (i + 1) / psiBins))),
  ];
  const shares = (d: NumericDistribution): number[] => {
    const cumulative = [0, ...edges.map((edge) => cdf(d, edge)), 1];
    return cumulative.slice(1).map((c, i) => c - (cumulative[i] as number));
  };
  return { reference: shares(reference), current: shares(current) };
}

/** PSI on the reference's decile bins (right-closed: a bin holds values up to its upper edge). */
export function numericPsi(reference: NumericDistribution, current: NumericDistribution): number {
  const shares = decileShares(reference, current);
  return populationStability(shares.reference, shares.current);
}
