import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ProfileBuilder } from '../../../shared/data/profile/profile-builder.js';
import type { NumericProfile } from '../../../shared/data/profile/profile-schema.js';
import { seededRandom } from '../../../shared/data/prng.js';
import { chiSquare, jensenShannon } from '../../../shared/drift/categorical-metrics.js';
import { profileDistribution, sampleDistribution } from '../../../shared/drift/distribution.js';
import {
  ksPValue,
  ksStatistic,
  normalizedWasserstein,
  numericPsi,
  wasserstein,
} from '../../../shared/drift/numeric-metrics.js';
import { populationStability } from '../../../shared/drift/population-stability.js';
import { chiSquareSurvival, kolmogorovSurvival } from '../../../shared/drift/special-functions.js';
import { draw, type SampleSpec } from '../../support/drift/samples.js';

interface NumericCase {
  name: string;
  reference: SampleSpec;
  current: SampleSpec;
  n: number;
  m: number;
  referenceSeed: number;
  currentSeed: number;
  ks: number;
  ksPValueAsymptotic: number;
  wasserstein: number;
  normalizedWasserstein: number;
  psi: number;
}

interface CategoricalCase {
  name: string;
  reference: number[];
  current: number[];
  jensenShannon: number;
  chiSquare: number;
  chiSquarePValue: number;
  df: number;
  psi: number;
}

const fixtures = JSON.parse(
  readFileSync(new URL('fixtures/reference-values.json', import.meta.url), 'utf8'),
) as {
  numeric: NumericCase[];
  categorical: CategoricalCase[];
  kolmogorovSurvival: { lambda: number; value: number }[];
  chiSquareSurvival: { x: number; df: number; value: number }[];
  firstUniforms: number[];
};

const exact = 1e-6;

function profileOf(values: Float64Array): NumericProfile {
  const builder = new ProfileBuilder([{ name: 'x', type: 'numeric' }], null);
  for (const v of values) builder.addRow([v]);
  return builder.finish().features[0] as NumericProfile;
}

describe('drift statistics against scipy', () => {
  it('draws the same samples as the fixture script', () => {
    const random = seededRandom(7);
    expect([random(), random(), random()]).toEqual(fixtures.firstUniforms);
  });

  describe.each(fixtures.numeric)('numeric: $name', (c) => {
    const reference = draw(c.reference, c.n, c.referenceSeed);
    const current = draw(c.current, c.m, c.currentSeed);

    it('equals ks_2samp, kstwobign, wasserstein_distance and numpy PSI on the exact samples', () => {
      const a = sampleDistribution(reference);
      const b = sampleDistribution(current);
      const d = ksStatistic(a, b);
      expect(Math.abs(d - c.ks)).toBeLessThan(exact);
      expect(Math.abs(ksPValue(d, c.n, c.m) - c.ksPValueAsymptotic)).toBeLessThan(exact);
      expect(Math.abs(wasserstein(a, b) - c.wasserstein)).toBeLessThan(exact);
      expect(Math.abs(normalizedWasserstein(a, b) - c.normalizedWasserstein)).toBeLessThan(exact);
      expect(Math.abs(numericPsi(a, b) - c.psi)).toBeLessThan(exact);
    });

    it('is within 0.02 of them when computed from the two streamed profiles', () => {
      const a = profileDistribution(profileOf(reference));
      const b = profileDistribution(profileOf(current));
      expect(Math.abs(ksStatistic(a, b) - c.ks)).toBeLessThan(0.02);
      expect(Math.abs(normalizedWasserstein(a, b) - c.normalizedWasserstein)).toBeLessThan(0.02);
    });
  });

  it.each(fixtures.categorical)('categorical: $name equals jensenshannon and chi2_contingency', (c) => {
    expect(Math.abs(jensenShannon(c.reference, c.current) - c.jensenShannon)).toBeLessThan(exact);
    const test = chiSquare(c.reference, c.current);
    expect(Math.abs(test.statistic - c.chiSquare)).toBeLessThan(exact);
    expect(Math.abs(test.pValue - c.chiSquarePValue)).toBeLessThan(exact);
    expect(test.df).toBe(c.df);
    expect(Math.abs(populationStability(c.reference, c.current) - c.psi)).toBeLessThan(exact);
  });

  it('tail functions equal scipy kstwobign.sf and chi2.sf', () => {
    for (const { lambda, value } of fixtures.kolmogorovSurvival)
      expect(Math.abs(kolmogorovSurvival(lambda) - value), `lambda ${lambda}`).toBeLessThan(1e-9);
    for (const { x, df, value } of fixtures.chiSquareSurvival)
      expect(Math.abs(chiSquareSurvival(x, df) - value), `x ${x} df ${df}`).toBeLessThan(1e-9);
  });

  it('identical inputs show no drift and a constant reference is handled', () => {
    const a = sampleDistribution([1, 2, 3]);
    expect(ksStatistic(a, a)).toBe(0);
    expect(wasserstein(a, a)).toBe(0);
    expect(numericPsi(a, a)).toBe(0);
    const constant = sampleDistribution([2, 2, 2]);
    expect(normalizedWasserstein(constant, constant)).toBe(0);
    expect(normalizedWasserstein(constant, a)).toBe(Number.POSITIVE_INFINITY);
    expect(chiSquare([5, 0], [3, 0])).toEqual({ statistic: 0, pValue: 1, df: 0 });
  });
});
