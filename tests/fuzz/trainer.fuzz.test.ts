// Hostile files for the built-in trainer, run in-process through the CLI's own entry
// (runTrainer): corrupted, ragged, oversized and mistyped CSVs and junk specs. Each run must
// train or fail with a bad-input error (what the CLI turns into exit 2 and one line), never
// anything else; a failed run writes no model; memory stays bounded. Seeded (FUZZ_SEED).
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Random } from '../../shared/data/prng.js';
import { isPlatformError } from '../../shared/errors.js';
import { runTrainer } from '../../trainers/tabular/run-trainer.js';
import { fuzzRandom, integer, junkString, junkValue, pick, residentBytes } from './junk.js';

let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trainer-fuzz-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A learnable binary set; the first two rows fix both classes so every file has them. */
function goodRows(random: Random, rows: number): string[] {
  return Array.from({ length: rows }, (_, i) => {
    const x = random() * 10;
    const label = i < 2 ? i : x + random() * 4 > 7 ? 1 : 0;
    return `${x.toFixed(3)},${pick(random, ['red', 'green', 'blue'])},${label}`;
  });
}

const csvMutations: ((lines: string[], random: Random) => string)[] = [
  (lines) => lines.join('\n'),
  (lines, random) => {
    const text = lines.join('\n');
    const at = integer(random, text.length);
    return text.slice(0, at) + junkString(random, 50) + text.slice(at);
  },
  (lines, random) => lines.map((line) => (random() < 0.1 ? `${line},extra` : line)).join('\r\n'),
  (lines) => ['x,x,label', ...lines.slice(1)].join('\n'),
  (lines) => `\uFEFF${lines.join('\n')}`,
  (lines) => lines.join('\n').replace(/,/g, '\u0000,'),
  (lines) => `${lines.join('\n')}\n"unterminated,quote`,
  (lines, random) =>
    lines.map((line, i) => (i > 0 && random() < 0.03 ? line.replace(/^[^,]*/, '?') : line)).join('\n'),
  (lines) => lines.map((line) => line.replace(/,[01]$/, ',1')).join('\n'),
  (lines) => lines[0] ?? '',
  () => '',
  (lines) => [`${'h'.repeat(300)},colour,label`, ...lines.slice(1)].join('\n'),
  (lines) => [...lines, `"${'y'.repeat(1_100_000)}",red,1`].join('\n'),
  (lines) => [Array.from({ length: 3000 }, (_, i) => `c${i}`).join(','), ...lines.slice(1)].join('\n'),
  (lines, random) =>
    Buffer.from(Array.from({ length: integer(random, 3000) }, () => integer(random, 256))).toString(
      'latin1',
    ) + lines.join('\n'),
];

const specMutations: ((random: Random) => string)[] = [
  () => JSON.stringify({ task: 'binary', params: { maxRounds: 3 } }),
  (random) => JSON.stringify(junkValue(random)),
  (random) =>
    JSON.stringify({
      task: pick(random, ['binary', 'multiclass', 'regression', 'x']),
      params: junkValue(random, 2),
    }),
  (random) => JSON.stringify({ task: 'binary', features: junkValue(random, 3), params: { maxRounds: 3 } }),
  () => JSON.stringify({ task: 'binary', target: 'colour', params: { maxRounds: 3 } }),
  () => `\uFEFF${JSON.stringify({ task: 'regression', algorithm: 'linear', params: { maxIterations: 5 } })}`,
  (random) => `${'['.repeat(integer(random, 100_000))}`,
  (random) => junkString(random, 500),
];

describe('trainer under fuzzing', () => {
  it('trains or refuses as bad input, never failing otherwise, and writes no model when it refuses', async () => {
    const random = fuzzRandom(3);
    const rssBefore = await residentBytes(process.pid);
    let rssPeak = rssBefore;
    const outcomes: string[] = [];
    for (let i = 0; i < 120; i += 1) {
      const train = join(dir, `train-${i}.csv`);
      const validation = join(dir, `valid-${i}.csv`);
      const spec = join(dir, `spec-${i}.json`);
      const out = join(dir, `out-${i}`);
      const lines = ['x,colour,label', ...goodRows(random, 60)];
      await writeFile(train, pick(random, csvMutations)(lines, random));
      await writeFile(
        validation,
        random() < 0.7 ? lines.join('\n') : pick(random, csvMutations)(lines, random),
      );
      await writeFile(spec, pick(random, specMutations)(random));
      try {
        await runTrainer({ train, validation, spec, out }, () => undefined);
        outcomes.push('trained');
      } catch (error) {
        const refused = isPlatformError(error) && error.status < 500;
        expect(refused, `run ${i}: ${String(error)}`).toBe(true);
        expect(existsSync(join(out, 'model.onnx'))).toBe(false);
        outcomes.push((error as { code: string }).code);
      }
      rssPeak = Math.max(rssPeak, await residentBytes(process.pid));
    }
    expect(outcomes).toContain('trained');
    expect(outcomes).toContain('INVALID_DATASET');
    expect(outcomes).toContain('INVALID_INPUT');
    expect(rssPeak - rssBefore).toBeLessThan(400 * 1024 * 1024);
  });
});
