// The trainer program as a pool node runs it: files in, model.onnx + metrics.json out, and a
// one-line reason with a non-zero exit on bad input.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type ExpectStatic } from 'vitest';
import { writeCsv } from '../../../shared/data/write-csv.js';
import { evaluateOnnx } from '../../../shared/ml/evaluate.js';
import { slice, synthetic } from '../../support/ml/synthetic.js';

const cli = join(import.meta.dirname, '../../../trainers/tabular/cli.ts');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function train(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', cli, ...args],
      { timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

let dir = '';
const path = (name: string): string => join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trainer-cli-'));
  const { table } = synthetic({ task: 'binary', rows: 3000, seed: 12, missing: 0.1, categorical: true });
  await writeCsv(slice(table, 0, 2000), path('train.csv'));
  await writeCsv(slice(table, 2000, 2600), path('valid.csv'));
  await writeCsv(slice(table, 2600, 3000), path('holdout.csv'));
  await writeFile(
    path('spec.json'),
    JSON.stringify({
      task: 'binary',
      target: 'label',
      algorithm: 'gbdt',
      params: { maxRounds: 60, tuning: { budgetSeconds: 2 } },
    }),
  );
  await writeFile(
    path('untuned.json'),
    JSON.stringify({ task: 'binary', params: { maxRounds: 30, tuning: false } }),
  );
  await writeFile(
    path('linear.json'),
    JSON.stringify({
      task: 'binary',
      algorithm: 'linear',
      features: [{ name: 'colour', type: 'categorical' }],
    }),
  );
  await writeFile(path('typo.json'), JSON.stringify({ task: 'binary', params: { learning_rate: 0.1 } }));
  await writeFile(path('other-target.json'), JSON.stringify({ task: 'binary', target: 'churned' }));
  await writeFile(path('broken.json'), '{"task": "binary",');
  await writeFile(path('bom.json'), `\uFEFF${JSON.stringify({ task: 'binary', params: { rounds: 1 } })}`);
  await writeFile(
    path('twice.json'),
    JSON.stringify({
      task: 'binary',
      features: [
        { name: 'x0', type: 'numeric' },
        { name: 'x0', type: 'numeric' },
      ],
    }),
  );
  await writeFile(
    path('target-feature.json'),
    JSON.stringify({ task: 'binary', features: [{ name: 'label', type: 'categorical' }] }),
  );
  // Sparse: 600 MB on paper, nothing on disk; the size alone must refuse it.
  await writeFile(path('huge.csv'), '');
  await truncate(path('huge.csv'), 600 * 1024 * 1024);
  await writeFile(path('long-name.csv'), `${'n'.repeat(600_000)},label\n1,0\n`);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const base = (spec = 'spec.json', out = 'out'): string[] => [
  '--train',
  path('train.csv'),
  '--validation',
  path('valid.csv'),
  '--spec',
  path(spec),
  '--out',
  path(out),
];

function expectOneLineError(expect: ExpectStatic, run: Run, pattern: RegExp): void {
  expect(run.code).toBe(2);
  const lines = run.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toMatch(pattern);
}

describe('trainer CLI', () => {
  it('tunes, prints each trial, writes model.onnx and metrics.json with the trials and the choice', async () => {
    const run = await train(base());
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /trial \{"learningRate":0\.1,.*\} \(cap 60\): \d+ rounds, validation loss \d\.\d+/,
    );
    const metrics = JSON.parse(await readFile(path('out/metrics.json'), 'utf8'));
    expect(metrics).toMatchObject({ task: 'binary', algorithm: 'gbdt', classes: ['no', 'yes'] });
    expect(metrics.rounds).toBeGreaterThan(0);
    expect(metrics.rounds).toBeLessThanOrEqual(60);
    // The user's maxRounds stays fixed; the search's choice is what trained.
    expect(metrics.params).toMatchObject({ maxRounds: 60, ...metrics.tuning.chosen });
    // How many trials the budget buys depends on the machine; the unit tests count them on a clock.
    expect(metrics.tuning.trials.length).toBeGreaterThanOrEqual(1);
    expect(metrics.tuning.budgetSeconds).toBe(2);
    expect(metrics.onnxBytes).toBe((await readFile(path('out/model.onnx'))).length);
    expect(metrics.features.map((f: { name: string }) => f.name)).toEqual(['x0', 'x1', 'x2', 'x3', 'colour']);
    expect(metrics.metrics.accuracy).toBeGreaterThan(0.75);
    expect(metrics.parity.maxAbsDiff).toBeLessThan(1e-4);
    const { readCsv } = await import('../../../shared/data/read-csv.js');
    const holdout = await readCsv(await readFile(path('holdout.csv')), { task: 'binary' });
    const evaluation = await evaluateOnnx(await readFile(path('out/model.onnx')), holdout, 'label');
    expect(evaluation.metrics.rocAuc).toBeGreaterThan(0.8);
  });

  it('trains the given parameters as they are when the spec switches tuning off', async () => {
    const run = await train(base('untuned.json', 'untuned'));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/round 10 {2}train logloss \d\.\d+ {2}validation logloss \d\.\d+/);
    const metrics = JSON.parse(await readFile(path('untuned/metrics.json'), 'utf8'));
    expect(metrics.tuning).toBeUndefined();
    expect(metrics.params).toMatchObject({ maxRounds: 30, learningRate: 0.1, maxLeaves: 15 });
  });

  it('trains the linear baseline with declared feature types', async () => {
    const run = await train(base('linear.json', 'linear'));
    expect(run.code).toBe(0);
    const metrics = JSON.parse(await readFile(path('linear/metrics.json'), 'utf8'));
    expect(metrics.algorithm).toBe('linear');
    expect(metrics.metrics.accuracy).toBeGreaterThan(0.7);
  });
});

// Independent child processes: run side by side (assertions through each test's own expect).
describe.concurrent('trainer CLI on bad input', () => {
  it('exits 2 with one line when an option is missing', async ({ expect }) => {
    expectOneLineError(expect, await train(['--train', path('train.csv')]), /required option/);
  });

  it('exits 2 with one line for a file that does not exist', async ({ expect }) => {
    expectOneLineError(
      expect,
      await train(['--train', path('nope.csv'), ...base().slice(2)]),
      /training file '.*nope\.csv' does not exist/,
    );
  });

  it('exits 2 with one line for a spec that is not JSON', async ({ expect }) => {
    expectOneLineError(expect, await train(base('broken.json')), /not valid JSON/);
  });

  it('exits 2 with one line for an unknown hyper-parameter', async ({ expect }) => {
    expectOneLineError(expect, await train(base('typo.json')), /Invalid spec: params.*learning_rate/);
  });

  it('exits 2 with one line when the target column is absent', async ({ expect }) => {
    expectOneLineError(expect, await train(base('other-target.json')), /target column 'churned' is missing/);
  });

  it('reads a spec with a BOM', async ({ expect }) => {
    expectOneLineError(expect, await train(base('bom.json')), /Invalid spec: params.*rounds/);
  });

  it('refuses duplicate features and the target listed as a feature', async ({ expect }) => {
    expectOneLineError(
      expect,
      await train(base('twice.json')),
      /features\.1\.name: feature 'x0' is listed twice/,
    );
    expectOneLineError(expect, await train(base('target-feature.json')), /'label' is the target/);
  });

  it('refuses an unusable --out before training', async ({ expect }) => {
    const run = await train(base('spec.json', 'train.csv'));
    expectOneLineError(expect, run, /--out '.*train\.csv' cannot be used/);
    expect(run.stdout).not.toMatch(/training/);
  });

  it('refuses a file over the size limit from its size, and bounds the error line', async ({ expect }) => {
    expectOneLineError(
      expect,
      await train(['--train', path('huge.csv'), ...base().slice(2)]),
      /larger than the limit of \d+ bytes/,
    );
    const long = await train(['--train', path('long-name.csv'), ...base().slice(2)]);
    expectOneLineError(expect, long, /name is 600000 characters long/);
    expect(long.stderr.length).toBeLessThan(1100);
  });
});
