// Seeded samples for the drift tests, drawn exactly as fixtures/make-reference-values.py draws
// them (same generator, same transforms), so scipy's stored results apply to them.
import { seededRandom, type Random } from '../../../shared/data/prng.js';

export type SampleSpec =
  | { kind: 'normal'; mean: number; std: number }
  | { kind: 'lognormal'; mu: number; sigma: number }
  | { kind: 'integer'; levels: number; shift: number };

export function normal(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

export function draw(spec: SampleSpec, n: number, seed: number): Float64Array {
  const random = seededRandom(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    if (spec.kind === 'normal') out[i] = spec.mean + spec.std * normal(random);
    else if (spec.kind === 'lognormal') out[i] = Math.exp(spec.mu + spec.sigma * normal(random));
    else out[i] = Math.floor(random() * spec.levels + spec.shift * random());
  }
  return out;
}

/** One category index per draw, with the given shares. */
export function category(random: Random, shares: readonly number[]): number {
  let u = random();
  for (let i = 0; i < shares.length - 1; i += 1) {
    u -= shares[i] as number;
    if (u < 0) return i;
  }
  return shares.length - 1;
}
