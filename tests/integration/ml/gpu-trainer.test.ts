// The PyTorch trainer (trainers/gpu) run as the pipeline runs a `compute: "gpu"` model locally:
// through the local pool with the command the training target gives. Its ONNX graph must pass
// the same checks as the built-in trainer's: the model interface, parity with the trainer's
// own outputs, and the platform's evaluation on held-out rows. Needs Debian's python3-torch and
// python3-onnx (installed by .ci/run).
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalPool } from '../../../local/pool/local-pool.js';
import { readCsv } from '../../../shared/data/read-csv.js';
import { writeCsv } from '../../../shared/data/write-csv.js';
import { evaluateOnnx } from '../../../shared/ml/evaluate.js';
import { interfaceOf } from '../../../shared/ml/model-interface.js';
import type { Task } from '../../../shared/ml/model.js';
import { ModelProto } from '../../../shared/ml/onnx-proto.js';
import { openSession, scoreTable } from '../../../shared/ml/onnx-runtime.js';
import { assertParity } from '../../../shared/ml/parity.js';
import { requireSuccess } from '../../../shared/training/task-outcome.js';
import { trainerTask } from '../../../shared/training/trainer-task.js';
import { trainingTarget } from '../../../shared/training/training-target.js';
import { slice, synthetic } from '../../support/ml/synthetic.js';

const torchPresent = spawnSync('/usr/bin/python3', ['-c', 'import torch, onnx']).status === 0;

let root = '';
let pool: LocalPool;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gpu-trainer-'));
  pool = new LocalPool({ root: join(root, 'tasks'), slots: 1 });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function runTrainer(id: string, spec: object, files: { train: string; validation: string }) {
  const specPath = join(root, id, 'spec.json');
  await writeFile(specPath, JSON.stringify(spec));
  await pool.submit(
    trainerTask({
      id,
      program: trainingTarget('gpu', () => pool, {}).command([]),
      ...files,
      spec: specPath,
      destination: join(root, id),
      maxWallClockMs: 120_000,
    }),
  );
  return { info: await pool.wait(id, 120_000), out: join(root, id, 'out') };
}

const minimum: Record<Task, [string, number]> = {
  binary: ['accuracy', 0.8],
  multiclass: ['accuracy', 0.6],
  regression: ['r2', 0.8],
};

describe.skipIf(!torchPresent)('GPU trainer (PyTorch MLP, on CPU here)', () => {
  it.each(['binary', 'multiclass', 'regression'] as const)(
    '%s: follows the model interface, matches its own outputs, and passes evaluation',
    async (task) => {
      const { table } = synthetic({ task, rows: 2400, seed: 5, missing: 0.1, categorical: true, classes: 3 });
      const dir = join(root, task);
      await mkdir(dir, { recursive: true });
      const files = { train: join(dir, 'train.csv'), validation: join(dir, 'validation.csv') };
      await writeCsv(slice(table, 0, 1400), files.train);
      await writeCsv(slice(table, 1400, 1900), files.validation);
      await writeCsv(slice(table, 1900, 2400), join(dir, 'holdout.csv'));
      const { info, out } = await runTrainer(task, { task, target: 'label', params: { epochs: 60 } }, files);
      requireSuccess(info);
      const bytes = await readFile(join(out, 'model.onnx'));

      const model = interfaceOf(bytes);
      expect(model.task).toBe(task);
      expect(model.features.map((f) => [f.name, f.type])).toEqual([
        ['x0', 'numeric'],
        ['x1', 'numeric'],
        ['x2', 'numeric'],
        ['x3', 'numeric'],
        ['colour', 'categorical'],
      ]);
      if (task !== 'regression')
        expect(model.classes).toEqual(task === 'binary' ? ['no', 'yes'] : ['c0', 'c1', 'c2']);
      const ops = (
        ModelProto.toObject(ModelProto.decode(bytes)) as { graph: { node: { op_type: string }[] } }
      ).graph.node.map((n) => n.op_type);
      expect(ops).not.toContain('ZipMap');
      expect(ops).toContain('OneHotEncoder');

      const session = await openSession(bytes);
      try {
        expect([...session.inputNames]).toEqual(['x0', 'x1', 'x2', 'x3', 'colour']);
        expect([...session.outputNames].sort()).toEqual(
          task === 'regression' ? ['variable'] : ['label', 'probabilities'],
        );
        const validation = await readCsv(await readFile(files.validation), {
          task,
          features: model.features,
        });
        const own = JSON.parse(await readFile(join(out, 'validation-outputs.json'), 'utf8')) as {
          width: number;
          outputs: number[];
        };
        assertParity(await scoreTable(session, validation, model.features), own.outputs, own.width);
      } finally {
        await session.release();
      }

      const holdout = await readCsv(await readFile(join(dir, 'holdout.csv')), {
        task,
        features: model.features,
      });
      const evaluation = await evaluateOnnx(bytes, holdout, 'label');
      const [metric, floor] = minimum[task];
      expect(evaluation.metrics[metric]).toBeGreaterThan(floor);
      const reported = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8')) as {
        task: string;
        metrics: object;
      };
      expect(reported).toMatchObject({ task, metrics: { [metric]: expect.any(Number) as number } });
    },
  );

  it('exits non-zero with a one-line reason on bad input', async () => {
    const dir = join(root, 'bad');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'train.csv'), 'x,label\n1,a\n2,b\n');
    const { info } = await runTrainer(
      'bad',
      { task: 'binary', params: { learning_rate: 1 } },
      {
        train: join(dir, 'train.csv'),
        validation: join(dir, 'train.csv'),
      },
    );
    expect(info).toMatchObject({ result: 'failure', exitCode: 2, failure: { code: 'EXIT_CODE' } });
    expect(info.stderrTail).toMatch(/^error: unknown params \['learning_rate'\]/);
    expect(info.stderrTail?.split('\n')).toHaveLength(1);
  });
});
