// The drift metrics by column type, in one table (as Evidently's stattest registry): each entry
// computes its value from the two profiles and says which threshold of the spec applies and
// whether drift lies above it (distances) or below it (p-values).
import type { CategoricalProfile, FeatureProfile, NumericProfile } from '../data/profile/profile-schema.js';
import { chiSquare, jensenShannon } from './categorical-metrics.js';
import { alignCounts } from './categorical-counts.js';
import { profileDistribution } from './distribution.js';
import type { ThresholdName } from './drift-settings.js';
import { ksPValue, ksStatistic, normalizedWasserstein, numericPsi } from './numeric-metrics.js';
import { populationStability } from './population-stability.js';

export type MetricName = 'psi' | 'ks' | 'wasserstein' | 'jensen-shannon' | 'chi-square';

export interface MetricValue {
  /** Compared with the threshold: a distance, or a test's p-value. */
  readonly value: number;
  /** A test's statistic, next to its p-value. */
  readonly statistic?: number;
}

interface Metric<P> {
  readonly name: MetricName;
  readonly threshold: ThresholdName;
  /** p-values drift below their threshold; distances above it. */
  readonly pValue: boolean;
  compute(reference: P, current: P): MetricValue;
}

const numeric: readonly Metric<NumericProfile>[] = [
  {
    name: 'wasserstein',
    threshold: 'wasserstein',
    pValue: false,
    compute: (r, c) => ({ value: normalizedWasserstein(profileDistribution(r), profileDistribution(c)) }),
  },
  {
    name: 'ks',
    threshold: 'ks',
    pValue: true,
    compute: (r, c) => {
      const statistic = ksStatistic(profileDistribution(r), profileDistribution(c));
      return { value: ksPValue(statistic, r.count, c.count), statistic };
    },
  },
  {
    name: 'psi',
    threshold: 'psi',
    pValue: false,
    compute: (r, c) => ({ value: numericPsi(profileDistribution(r), profileDistribution(c)) }),
  },
];

const categorical: readonly Metric<CategoricalProfile>[] = [
  {
    name: 'chi-square',
    threshold: 'chiSquare',
    pValue: true,
    compute: (r, c) => {
      const counts = alignCounts(r, c);
      const test = chiSquare(counts.reference, counts.current);
      return { value: test.pValue, statistic: test.statistic };
    },
  },
  {
    name: 'jensen-shannon',
    threshold: 'jensenShannon',
    pValue: false,
    compute: (r, c) => {
      const counts = alignCounts(r, c);
      return { value: jensenShannon(counts.reference, counts.current) };
    },
  },
  {
    name: 'psi',
    threshold: 'psi',
    pValue: false,
    compute: (r, c) => {
      const counts = alignCounts(r, c);
      return { value: populationStability(counts.reference, counts.current) };
    },
  },
];

export interface ComputedMetric extends MetricValue {
  readonly metric: MetricName;
  readonly threshold: ThresholdName;
  readonly pValue: boolean;
}

/** Every metric of the column's type; profiles of different types compare as nothing. */
export function computeMetrics(reference: FeatureProfile, current: FeatureProfile): ComputedMetric[] {
  const run = <P>(table: readonly Metric<P>[], r: P, c: P): ComputedMetric[] =>
    table.map((m) => ({ metric: m.name, threshold: m.threshold, pValue: m.pValue, ...m.compute(r, c) }));
  if (reference.type === 'categorical' && current.type === 'categorical')
    return run(categorical, reference, current);
  if (reference.type !== 'categorical' && current.type !== 'categorical')
    return run(numeric, reference, current);
  return [];
}
