// A small seeded PRNG (mulberry32): the same seed gives the same sequence on every platform
// and Node version, which Math.random cannot promise. Not for anything security related.

export type Random = () => number;

/** Uniform floats in [0, 1) from a 32-bit seed. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` distinct indices of 0..n-1 (partial Fisher-Yates over a fresh index array). */
export function sampleWithoutReplacement(n: number, count: number, random: Random): Uint32Array {
  const index = new Uint32Array(n);
  for (let i = 0; i < n; i++) index[i] = i;
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (n - i));
    const t = index[i] as number;
    index[i] = index[j] as number;
    index[j] = t;
  }
  return index.slice(0, count);
}
