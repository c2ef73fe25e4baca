// Drift verdicts over 100 seeds: windows of 1,000 rows from the training distribution rarely
// alert; a 0.5-standard-deviation shift of one numeric feature, or a fifth of one category moved
// to another, is caught and the feature named.
import { describe, expect, it } from 'vitest';
import { ProfileBuilder } from '../../../shared/data/profile/profile-builder.js';
import type { DatasetProfile } from '../../../shared/data/profile/profile-schema.js';
import { seededRandom, type Random } from '../../../shared/data/prng.js';
import type { FeatureSpec } from '../../../shared/data/table.js';
import { compareProfiles } from '../../../shared/drift/compare-profiles.js';
import { defaultDriftSettings } from '../../../shared/drift/drift-settings.js';
import { category, normal } from '../../support/drift/samples.js';

const schema: FeatureSpec[] = [
  { name: 'age', type: 'numeric' },
  { name: 'income', type: 'numeric' },
  { name: 'visits', type: 'numeric' },
  { name: 'plan', type: 'categorical' },
  { name: 'region', type: 'categorical' },
];
const plans = ['basic', 'plus', 'pro'];
const planShares = [0.5, 0.3, 0.2];
const regions = ['north', 'south', 'east', 'west'];
const regionShares = [0.4, 0.3, 0.2, 0.1];

interface Shift {
  ageSigmas?: number;
  /** Share of `basic` rows relabelled `plus`. */
  planMoved?: number;
}

function profile(rows: number, seed: number, shift: Shift = {}): DatasetProfile {
  const random: Random = seededRandom(seed);
  const builder = new ProfileBuilder(schema, null);
  for (let i = 0; i < rows; i += 1) {
    const age = 40 + 12 * (normal(random) + (shift.ageSigmas ?? 0));
    const income = Math.exp(10 + 0.6 * normal(random));
    const visits = Math.floor(-Math.log(1 - random()) * 3);
    let plan = plans[category(random, planShares)] as string;
    if (plan === 'basic' && random() < (shift.planMoved ?? 0)) plan = 'plus';
    const region = regions[category(random, regionShares)] as string;
    builder.addRow([age, income, visits, plan, region]);
  }
  return builder.finish();
}

const baseline = { features: profile(10_000, 1), predictions: null };
const seeds = Array.from({ length: 100 }, (_, i) => 1000 + i);

function check(seed: number, shift: Shift) {
  return compareProfiles(
    baseline,
    { features: profile(1000, seed, shift), predictions: null },
    defaultDriftSettings,
  );
}

describe('drift verdicts over 100 seeds (n = 1,000)', () => {
  it('windows from the training distribution alert in at most 5% of seeds', () => {
    const alerts = seeds.filter((seed) => check(seed, {}).drifted);
    expect(alerts.length).toBeLessThanOrEqual(5);
  });

  it('a 0.5 standard deviation shift of one numeric feature is caught in 95% and named', () => {
    const caught = seeds.filter((seed) => {
      const verdict = check(seed, { ageSigmas: 0.5 });
      return (
        verdict.drifted &&
        verdict.features
          .filter((f) => f.drifted)
          .map((f) => f.name)
          .join() === 'age'
      );
    });
    expect(caught.length).toBeGreaterThanOrEqual(95);
  });

  it('a fifth of one category moved to another is caught in 95% and named', () => {
    const caught = seeds.filter((seed) => {
      const verdict = check(seed, { planMoved: 0.2 });
      return (
        verdict.drifted &&
        verdict.features
          .filter((f) => f.drifted)
          .map((f) => f.name)
          .join() === 'plan'
      );
    });
    expect(caught.length).toBeGreaterThanOrEqual(95);
  });

  it('each column carries its baseline and window histograms on one set of bins', () => {
    const verdict = check(seeds[0]!, { ageSigmas: 0.5 });
    const age = verdict.features.find((f) => f.name === 'age')!;
    const plan = verdict.features.find((f) => f.name === 'plan')!;
    expect(age.histogram!.edges!.length).toBe(age.histogram!.baseline.length + 1);
    expect(age.histogram!.window.reduce((a, b) => a + b, 0)).toBeCloseTo(1000, 6);
    expect(plan.histogram!.labels!.length).toBe(plan.histogram!.window.length);
  });

  it('too few rows give no verdict, and say so', () => {
    const verdict = compareProfiles(
      baseline,
      { features: profile(50, 7), predictions: null },
      defaultDriftSettings,
    );
    expect(verdict).toMatchObject({ status: 'insufficient-data', drifted: false, rows: 50 });
    expect(verdict.reason).toContain('minRows = 200');
  });
});
