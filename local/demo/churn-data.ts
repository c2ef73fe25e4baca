// The demo's data: customers of a subscription service and whether they left (label yes/no),
// generated from a seed so every demo sees realistic but reproducible data. `shifted` draws the
// same customers from a changed market (higher prices, more monthly contracts, more support
// calls) so the drift monitor has something to find. Pure.
import { seededRandom, type Random } from '../../shared/data/prng.js';

export interface Customer {
  tenure_months: number;
  monthly_charges: number;
  contract: 'month-to-month' | 'one-year' | 'two-year';
  internet: 'fiber' | 'dsl' | 'none';
  support_calls: number;
}

export const features = [
  'tenure_months',
  'monthly_charges',
  'contract',
  'internet',
  'support_calls',
] as const;

function pick<T>(random: Random, choices: readonly [T, number][]): T {
  let u = random();
  for (const [value, weight] of choices) {
    if (u < weight) return value;
    u -= weight;
  }
  return choices.at(-1)![0];
}

function normal(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function poisson(random: Random, mean: number): number {
  let k = 0;
  for (let p = random(); p > Math.exp(-mean); p *= random()) k += 1;
  return k;
}

export function customer(random: Random, shifted = false): Customer {
  const contract = pick(random, [
    ['month-to-month', shifted ? 0.8 : 0.5],
    ['one-year', shifted ? 0.12 : 0.28],
    ['two-year', shifted ? 0.08 : 0.22],
  ] as const);
  const internet = pick(random, [
    ['fiber', 0.45],
    ['dsl', 0.35],
    ['none', 0.2],
  ] as const);
  const base = internet === 'fiber' ? 85 : internet === 'dsl' ? 60 : 25;
  return {
    tenure_months: 1 + Math.floor(random() * (shifted ? 24 : 72)),
    monthly_charges: Math.max(15, Math.round((base + (shifted ? 35 : 0) + 12 * normal(random)) * 100) / 100),
    contract,
    internet,
    support_calls: poisson(random, shifted ? 3.5 : 1.2),
  };
}

/** The chance this customer leaves: what a good model learns. */
export function churnProbability(c: Customer): number {
  const z =
    -1.4 +
    (c.contract === 'month-to-month' ? 1.6 : c.contract === 'one-year' ? 0.3 : -0.8) -
    0.045 * c.tenure_months +
    0.022 * (c.monthly_charges - 65) +
    0.38 * c.support_calls +
    (c.internet === 'fiber' ? 0.35 : 0);
  return 1 / (1 + Math.exp(-z));
}

export function customers(count: number, seed: number, shifted = false): Customer[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => customer(random, shifted));
}

/** A training file: the features and the observed label. */
export function churnCsv(count: number, seed: number): string {
  const random = seededRandom(seed ^ 0x5eed);
  const rows = customers(count, seed).map((c) => {
    const label = random() < churnProbability(c) ? 'yes' : 'no';
    return [...features.map((name) => c[name]), label].join(',');
  });
  return [[...features, 'label'].join(','), ...rows].join('\n') + '\n';
}

/** A file to score: the features only. */
export function scoringCsv(count: number, seed: number): string {
  return (
    [features.join(','), ...customers(count, seed).map((c) => features.map((n) => c[n]).join(','))].join(
      '\n',
    ) + '\n'
  );
}
