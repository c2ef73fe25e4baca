import { describe, expect, it } from 'vitest';
import { ProfileBuilder, profileTable } from '../../../shared/data/profile/profile-builder.js';
import { readProfile, type NumericProfile } from '../../../shared/data/profile/profile-schema.js';
import { TDigest } from '../../../shared/data/profile/t-digest.js';
import { seededRandom } from '../../../shared/data/prng.js';
import type { FeatureSpec, Table } from '../../../shared/data/table.js';

const schema: FeatureSpec[] = [
  { name: 'income', type: 'numeric' },
  { name: 'city', type: 'categorical' },
  { name: 'label', type: 'categorical' },
];

/** Log-normal incomes (skewed, so tails matter), 8 cities, 3 classes, some missing cells. */
function table(rows: number, seed: number): Table {
  const random = seededRandom(seed);
  const income = new Float64Array(rows);
  const city: (string | null)[] = [];
  const label: string[] = [];
  for (let i = 0; i < rows; i += 1) {
    const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    income[i] = i % 50 === 0 ? Number.NaN : Math.exp(10 + 0.5 * normal);
    city.push(i % 20 === 0 ? null : `city-${Math.floor(random() ** 2 * 8)}`);
    label.push(i % 10 === 0 ? 'gold' : i % 3 === 0 ? 'silver' : 'bronze');
  }
  const columns = new Map([
    ['income', { kind: 'numeric' as const, values: income }],
    ['city', { kind: 'categorical' as const, values: city }],
    ['label', { kind: 'categorical' as const, values: label }],
  ]);
  return { names: ['income', 'city', 'label'], columns, rowCount: rows };
}

function exactQuantile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

describe('dataset profile', () => {
  const data = table(20_000, 7);
  const profile = profileTable(data, schema, 'label');
  const income = profile.features[0] as NumericProfile;
  const present = Float64Array.from(
    (data.columns.get('income')?.values as Float64Array).filter((v) => !Number.isNaN(v)),
  );
  const sorted = present.slice().sort();

  it('counts, missing, mean, std, min and max are exact', () => {
    const mean = present.reduce((a, b) => a + b, 0) / present.length;
    const std = Math.sqrt(present.reduce((a, b) => a + (b - mean) ** 2, 0) / present.length);
    expect(income).toMatchObject({ count: 19_600, missing: 400, min: sorted[0], max: sorted.at(-1) });
    expect(income.mean).toBeCloseTo(mean, 6);
    expect(income.std).toBeCloseTo(std, 6);
  });

  it('quantiles are within 0.5% of rank of the exact ones, tails included', () => {
    for (const { q, value } of income.quantiles) {
      const rank = sorted.findIndex((v) => v > value) / sorted.length;
      expect(
        Math.abs((rank < 0 ? 1 : rank) - q),
        `q=${q} (exact ${exactQuantile(sorted, q)}, got ${value})`,
      ).toBeLessThan(0.005);
    }
  });

  it('histogram bins cover [min, max] and their counts sum to the count, close to the exact counts', () => {
    const { edges, counts } = income.histogram;
    expect(edges).toHaveLength(21);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(income.count);
    counts.forEach((count, i) => {
      const exact = present.filter(
        (v) => v > (i === 0 ? -Infinity : (edges[i] as number)) && v <= (edges[i + 1] as number),
      ).length;
      expect(Math.abs(count - exact)).toBeLessThanOrEqual(Math.max(20, 0.02 * income.count));
    });
  });

  it('reports top categories exactly and the full label distribution', () => {
    const city = profile.features[1];
    expect(city).toMatchObject({ type: 'categorical', missing: 1000, count: 19_000, exact: true });
    const counts = new Map<string, number>();
    for (const value of data.columns.get('city')?.values ?? [])
      if (value !== null) counts.set(String(value), (counts.get(String(value)) ?? 0) + 1);
    expect(city?.type === 'categorical' && city.top[0]?.count).toBe(Math.max(...counts.values()));
    expect(profile.label).toMatchObject({
      type: 'categorical',
      top: [
        { value: 'bronze', count: 12_000, frequency: 0.6 },
        { value: 'silver', count: 6000, frequency: 0.3 },
        { value: 'gold', count: 2000, frequency: 0.1 },
      ],
    });
  });

  it('is stable JSON that reads back through its zod schema', () => {
    const json = JSON.stringify(profile);
    expect(JSON.stringify(profileTable(data, schema, 'label'))).toBe(json);
    expect(readProfile(JSON.parse(json))).toEqual(profile);
    expect(profile.schemaVersion).toBe(1);
    expect(() => readProfile({ ...profile, schemaVersion: 2 })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }) as Error,
    );
  });

  it('merges profiles of shards into the profile of the whole', () => {
    const [a, b] = [table(10_000, 1), table(10_000, 2)];
    const left = new ProfileBuilder(schema, 'label');
    left.addTable(a);
    const right = new ProfileBuilder(schema, 'label');
    right.addTable(b);
    left.merge(right);
    const merged = left.finish().features[0] as NumericProfile;
    const whole = new ProfileBuilder(schema, 'label');
    whole.addTable(a);
    whole.addTable(b);
    const expected = whole.finish().features[0] as NumericProfile;
    expect(merged.count).toBe(expected.count);
    expect(merged.mean).toBeCloseTo(expected.mean ?? 0, 6);
    expect(merged.std).toBeCloseTo(expected.std ?? 0, 6);
    const median = (p: NumericProfile): number => p.quantiles.find((x) => x.q === 0.5)?.value ?? Number.NaN;
    expect(Math.abs(median(merged) / median(expected) - 1)).toBeLessThan(0.01);
  });

  it('keeps its state bounded while 1,000,000 rows stream through', () => {
    const builder = new ProfileBuilder(schema, 'label');
    const random = seededRandom(3);
    const cells: (number | string | null)[] = [0, '', ''];
    let sizeAt100k = 0;
    let largest = 0;
    for (let row = 1; row <= 1_000_000; row += 1) {
      cells[0] = random() * 1000;
      cells[1] = `c${Math.floor(random() * 5000)}`;
      cells[2] = row % 2 ? 'yes' : 'no';
      builder.addRow(cells);
      if (row % 50_000 === 0) largest = Math.max(largest, builder.stateSize());
      if (row === 100_000) sizeAt100k = builder.stateSize();
    }
    // t-digest: < 6 x compression (centroids + buffer); counters: 64 per feature, one per class.
    expect(largest).toBeLessThanOrEqual(600 + 64 + 2);
    expect(builder.stateSize()).toBeLessThanOrEqual(sizeAt100k + 600);
    expect(builder.finish().rowCount).toBe(1_000_000);
  });

  it('t-digest handles constant and tiny inputs', () => {
    const digest = new TDigest();
    for (let i = 0; i < 100; i += 1) digest.add(5);
    expect([digest.quantile(0.01), digest.quantile(0.5), digest.quantile(0.99)]).toEqual([5, 5, 5]);
    const single = new TDigest();
    single.add(2);
    expect(single.quantile(0.5)).toBe(2);
    expect(new TDigest().quantile(0.5)).toBeNaN();
  });
});
