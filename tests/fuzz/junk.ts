// Seeded generators of hostile input for the fuzz suite: the same FUZZ_SEED gives the same
// requests on every run, so a failure can be replayed.
import { seededRandom, type Random } from '../../shared/data/prng.js';

export const fuzzSeed = Number(process.env.FUZZ_SEED ?? 19);

export function fuzzRandom(salt: number): Random {
  return seededRandom(fuzzSeed * 7919 + salt);
}

export const pick = <T>(random: Random, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)] as T;

export const integer = (random: Random, below: number): number => Math.floor(random() * below);

const fragments = [
  '..',
  '%',
  '%E0%A4%A',
  '%00',
  '%2e%2e',
  '\\',
  '/',
  '?',
  '#',
  '&',
  '=',
  '"',
  "'",
  '<script>',
  '{',
  '[',
  '\u0000',
  '\uFEFF',
  '\uD800',
  'é',
  '𝔘',
  'null',
  'NaN',
  '-1',
  '1e309',
  '9007199254740993',
  ' ',
  '\t',
  'champion',
  'churn',
  'SharedAccessSignature ',
  'sr=',
  'sig=',
  'se=',
  'skn=',
];

/** A string of fragments and random characters, up to `maxLength` characters. */
export function junkString(random: Random, maxLength = 64): string {
  let text = '';
  const length = integer(random, maxLength + 1);
  while (text.length < length) {
    text +=
      random() < 0.5
        ? pick(random, fragments)
        : String.fromCharCode(integer(random, random() < 0.8 ? 128 : 0xffff));
  }
  return text.slice(0, length);
}

/** Any JSON-ish value, nested up to `depth`, sometimes far deeper than anything should accept. */
export function junkValue(random: Random, depth = 3): unknown {
  const roll = random();
  if (roll < 0.05) return nested(integer(random, 1500));
  if (depth <= 0 || roll < 0.45) {
    return pick(random, [
      () => junkString(random),
      () => integer(random, 1 << 30) - (1 << 29),
      () => random() * 1e308,
      () => pick(random, [true, false, null, -0, Number.MAX_SAFE_INTEGER + 2]),
      () => 'x'.repeat(integer(random, 1 << 16)),
    ])();
  }
  if (roll < 0.7) return Array.from({ length: integer(random, 6) }, () => junkValue(random, depth - 1));
  return Object.fromEntries(
    Array.from({ length: integer(random, 6) }, () => [junkString(random, 16), junkValue(random, depth - 1)]),
  );
}

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i += 1) value = { a: [value] };
  return value;
}

/** The resident set size of a process, in bytes (Linux). */
export async function residentBytes(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

/** The text without surrogates, for places that must percent-encode it (encodeURIComponent throws on a lone one). */
export const wellFormed = (text: string): string => text.replace(/[\uD800-\uDFFF]/g, '?');
