// Training time of the built-in GBDT on a generated 1,000,000 x 20 binary problem against
// scikit-learn's HistGradientBoostingClassifier on the same rows, same settings (100 rounds,
// 31 leaves, rate 0.1, 255 bins, no early stopping), fit time only on both sides.
// BENCH_ROWS scales the row count down (the output says so). CPU seconds are printed too:
// on a busy machine wall time punishes the multi-threaded reference more than it does us.
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aucOf } from '../shared/ml/metrics.js';
import { predictOutputs } from '../shared/ml/predict.js';
import { requireModules, runScript } from './python/run-python.js';
import { generateMatrix, tableOf, trainOnMatrix, writeMatrix } from './python/synthetic-matrix.js';
import { round, timeRatio, type Benchmark } from './result.js';

const fullRows = 1_000_000;
const columns = 20;
const holdoutRows = 100_000;
const settings = { rounds: 100, leaves: 31, rate: 0.1, l2: 1, minSamplesLeaf: 20 };

const benchmark: Benchmark = async (progress) => {
  await requireModules({ sklearn: 'python3-sklearn', numpy: 'python3-numpy' });
  const rows = Number(process.env.BENCH_ROWS ?? fullRows);
  if (rows !== fullRows) progress(`scaled down: ${rows} rows instead of ${fullRows} (BENCH_ROWS)`);
  progress(`generating ${rows} x ${columns} training rows and ${holdoutRows} holdout rows`);
  const train = generateMatrix(rows, columns, 1);
  const holdout = generateMatrix(holdoutRows, columns, 2);
  const trainPath = join(tmpdir(), `bench-train-gbdt-${process.pid}.f32`);
  const holdoutPath = join(tmpdir(), `bench-train-gbdt-holdout-${process.pid}.f32`);
  try {
    await writeMatrix(train, trainPath);
    await writeMatrix(holdout, holdoutPath);

    progress('fitting scikit-learn HistGradientBoostingClassifier (reference)');
    const reference = await runScript<{ seconds: number; cpuSeconds: number; auc: number }>(
      'hist-gbdt-fit.py',
      [
        trainPath,
        holdoutPath,
        String(rows),
        String(holdoutRows),
        String(columns),
        String(settings.rounds),
        String(settings.leaves),
        String(settings.rate),
        String(settings.l2),
        String(settings.minSamplesLeaf),
      ],
    );
    progress(
      `reference: ${reference.seconds.toFixed(2)} s (${reference.cpuSeconds.toFixed(2)} s CPU), holdout AUC ${reference.auc.toFixed(5)}`,
    );

    progress('fitting the built-in GBDT');
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    const { model } = trainOnMatrix(
      train,
      {
        maxRounds: settings.rounds,
        maxLeaves: settings.leaves,
        learningRate: settings.rate,
        l2: settings.l2,
        minSamplesLeaf: settings.minSamplesLeaf,
      },
      (r) => {
        if (r.round % 20 === 0) progress(`round ${r.round}, train logloss ${r.train.toFixed(5)}`);
      },
    );
    const seconds = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const auc = aucOf(predictOutputs(model, tableOf(holdout)), holdout.y, 1, 2) ?? Number.NaN;
    progress(
      `built-in: ${seconds.toFixed(2)} s (${cpuSeconds.toFixed(2)} s CPU, one thread), holdout AUC ${auc.toFixed(5)} (reference ${reference.auc.toFixed(5)})`,
    );
    return {
      name: 'train-gbdt',
      value: round(seconds, 2),
      unit: `seconds to fit ${rows} x ${columns}, ${settings.rounds} rounds`,
      baseline: round(reference.seconds, 2),
      ratio: timeRatio(seconds, reference.seconds),
    };
  } finally {
    await rm(trainPath, { force: true });
    await rm(holdoutPath, { force: true });
  }
};

export default benchmark;
