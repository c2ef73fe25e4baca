import { describe, expect, it } from 'vitest';
import { driftChecks, metricSeries } from '../../../console/src/checks.js';

const check = (to: string, value: number) => ({
  model: 'churn',
  version: 1,
  window: { from: '2026-01-01T00:00:00Z', to, rows: 500 },
  features: [{ name: 'age', metric: 'psi', value, threshold: 0.2, drifted: value > 0.2 }],
  drifted: value > 0.2,
});

describe('drift checks as the console reads them', () => {
  it('accepts a list, {checks} or one check, and orders them oldest first', () => {
    const late = check('2026-01-03T00:00:00Z', 0.3);
    const early = check('2026-01-02T00:00:00Z', 0.1);
    expect(driftChecks([late, early])).toEqual([early, late]);
    expect(driftChecks({ checks: [late, early] })).toEqual([early, late]);
    expect(driftChecks(late)).toEqual([late]);
    expect(driftChecks({ checks: 'nope' })).toEqual([]);
    expect(driftChecks(undefined)).toEqual([]);
  });

  it('gives each feature its metric over time with the threshold', () => {
    const series = metricSeries([check('2026-01-02T00:00:00Z', 0.1), check('2026-01-03T00:00:00Z', 0.3)]);
    expect(series.get('age')?.map((p) => p.value)).toEqual([0.1, 0.3]);
    expect(series.get('age')?.[0]?.threshold).toBe(0.2);
  });
});
