// `npm run bench -- NAME` runs bench/NAME; `npm run bench` runs them all. Each benchmark
// prints progress, then one JSON line with its result and the baseline measured in the same run.
import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { machine, type Benchmark } from './result.js';

const here = dirname(fileURLToPath(import.meta.url));
const infrastructure = new Set(['run.js', 'result.js']);

async function available(): Promise<string[]> {
  const files = await readdir(here);
  return files
    .filter((f) => f.endsWith('.js') && !infrastructure.has(f))
    .map((f) => f.slice(0, -3))
    .sort();
}

async function runOne(name: string): Promise<void> {
  const module = (await import(pathToFileURL(join(here, `${name}.js`)).href)) as { default: Benchmark };
  const result = await module.default((message) => console.log(`[${name}] ${message}`));
  console.log(JSON.stringify({ ...result, machine: machine() }));
}

const names = await available();
const requested = process.argv[2];
if (requested && !names.includes(requested)) {
  console.error(`Unknown benchmark '${requested}'. Available: ${names.join(', ')}`);
  process.exit(2);
}
for (const name of requested ? [requested] : names) await runOne(name);
// Benchmarks may leave emulators' sockets behind; the numbers are printed, so end here.
process.exit(0);
