import { describe, expect, it } from 'vitest';
import { ProfileBuilder } from '../../../shared/data/profile/profile-builder.js';
import type { CategoricalProfile, NumericProfile } from '../../../shared/data/profile/profile-schema.js';
import { alertMessageId, driftAlert } from '../../../shared/drift/drift-alert.js';
import type { ColumnVerdict } from '../../../shared/drift/compare-profiles.js';
import { checkWindow } from '../../../shared/monitoring/run-check.js';
import { WindowProfiler } from '../../../shared/monitoring/window-profiler.js';
import { hourPrefixes } from '../../../shared/monitoring/window-source.js';

function baseline() {
  const features = new ProfileBuilder(
    [
      { name: 'age', type: 'numeric' },
      { name: 'member', type: 'boolean' },
      { name: 'plan', type: 'categorical' },
    ],
    null,
  );
  features.addRow([30, 1, 'basic']);
  const predictions = new ProfileBuilder([{ name: 'prediction', type: 'categorical' }], null);
  predictions.addRow(['yes']);
  return { features: features.finish(), predictions: predictions.finish() };
}

describe('window profile', () => {
  it('reads JSON and CSV cells as the baseline types them; anything else is missing', () => {
    const profiler = new WindowProfiler(baseline());
    const rows: Record<string, unknown>[] = [
      { age: 41, member: true, plan: 'pro' },
      { age: '42.5', member: 'no', plan: 7 },
      { age: 'n/a', member: null, plan: '' },
      { age: Number.NaN },
    ];
    for (const row of rows) profiler.add((name) => row[name], 'no');
    const { features, predictions } = profiler.finish();
    const [age, member, plan] = features.features as [NumericProfile, NumericProfile, CategoricalProfile];
    expect(age).toMatchObject({ count: 2, missing: 2, min: 41, max: 42.5 });
    expect(member).toMatchObject({ type: 'boolean', count: 2, missing: 2, mean: 0.5 });
    expect(plan.top.map((t) => t.value).sort()).toEqual(['7', 'pro']);
    expect(predictions?.features[0]).toMatchObject({ name: 'prediction', count: 4 });
  });

  it('lists the hour folders a window touches, across midnight', () => {
    const window = { from: new Date('2026-01-01T22:30:00Z'), to: new Date('2026-01-02T01:00:00Z') };
    expect(hourPrefixes(window)).toEqual(['2026-01-01/22/', '2026-01-01/23/', '2026-01-02/00/']);
  });

  it('defaults to the hours before the last full hour, and refuses backwards or huge windows', () => {
    const now = Date.parse('2026-03-04T10:42:00Z');
    const window = checkWindow({}, 24, now);
    expect([window.from.toISOString(), window.to.toISOString()]).toEqual([
      '2026-03-03T10:00:00.000Z',
      '2026-03-04T10:00:00.000Z',
    ]);
    expect(() => checkWindow({ from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' }, 24, now)).toThrow(
      /start before it ends/,
    );
    expect(() => checkWindow({ from: '2025-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }, 24, now)).toThrow(
      /90 days/,
    );
  });
});

describe('drift alert', () => {
  const column = (name: string, metric: ColumnVerdict['metric'], value: number, threshold: number) => ({
    name,
    metric,
    value,
    threshold,
    drifted: metric === 'chi-square' || metric === 'ks' ? value < threshold : value > threshold,
    metrics: [],
  });
  const check = { model: 'churn', version: 3, windowEnd: '2026-01-01T02:00:00.000Z', observedAt: 'now' };

  it('names drifted features most drifted first, then the prediction, with a messageId from model, version and window end', () => {
    const alert = driftAlert(check, {
      features: [
        column('age', 'wasserstein', 0.2, 0.1),
        column('income', 'wasserstein', 0.05, 0.1),
        column('plan', 'chi-square', 1e-6, 0.025),
      ],
      prediction: column('prediction', 'chi-square', 1e-3, 0.025),
    });
    expect(alert).toMatchObject({ metric: 'chi-square', features: ['plan', 'age', 'prediction'] });
    expect(alertMessageId(alert!)).toBe('churn-3-2026-01-01T02:00:00.000Z');
  });

  it('is null when nothing drifted', () => {
    expect(
      driftAlert(check, { features: [column('age', 'wasserstein', 0.01, 0.1)], prediction: null }),
    ).toBeNull();
  });
});
