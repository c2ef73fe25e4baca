// Scoring throughput: an exported 500-tree, 31-leaf GBDT run by onnxruntime-node over 100,000
// rows in batches of 10,000, against XGBoost's own predict (inplace_predict, same batches) on
// a model of the same size trained on the same rows. Best of three passes on both sides.
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportGbdt } from '../shared/ml/export-gbdt.js';
import { feedsOf, openSession } from '../shared/ml/onnx-runtime.js';
import { requireModules, runScript } from './python/run-python.js';
import {
  featuresOf,
  generateMatrix,
  tableOf,
  trainOnMatrix,
  writeMatrix,
} from './python/synthetic-matrix.js';
import { throughputRatio, type Benchmark } from './result.js';

const trainRows = 20_000;
const scoreRows = 100_000;
const columns = 20;
const trees = 500;
const leaves = 31;
const batch = 10_000;
const passes = 3;

const benchmark: Benchmark = async (progress) => {
  await requireModules({ xgboost: 'python3-xgboost', numpy: 'python3-numpy' });
  const train = generateMatrix(trainRows, columns, 3);
  const score = generateMatrix(scoreRows, columns, 4);
  const trainPath = join(tmpdir(), `bench-onnx-batch-train-${process.pid}.f32`);
  const scorePath = join(tmpdir(), `bench-onnx-batch-score-${process.pid}.f32`);
  try {
    await writeMatrix(train, trainPath);
    await writeMatrix(score, scorePath);
    progress(`training XGBoost (${trees} trees, ${leaves} leaves) and timing its predict (reference)`);
    const reference = await runScript<{ rowsPerSecond: number; trees: number }>('xgb-predict.py', [
      trainPath,
      scorePath,
      String(trainRows),
      String(scoreRows),
      String(columns),
      String(trees),
      String(leaves),
      String(batch),
      String(passes),
    ]);
    progress(`reference: ${Math.round(reference.rowsPerSecond)} rows/s over ${reference.trees} trees`);

    progress(`training the built-in GBDT (${trees} rounds, ${leaves} leaves) on ${trainRows} rows`);
    const features = featuresOf(train);
    const { model } = trainOnMatrix(train, { maxRounds: trees, maxLeaves: leaves });
    const leafCount = model.trees.reduce((n, t) => n + t.left.filter((l) => l < 0).length, 0);
    progress(`exported ${model.trees.length} trees, ${leafCount} leaves`);
    const session = await openSession(exportGbdt(model, 'bench'));
    const table = tableOf(score);
    // Feeds are built outside the timing, as XGBoost gets its batches as ready arrays.
    const batches = Array.from({ length: Math.ceil(scoreRows / batch) }, (_, i) =>
      feedsOf(table, features, i * batch, Math.min(scoreRows, (i + 1) * batch)),
    );
    let best = 0;
    for (let pass = 0; pass < passes; pass++) {
      const start = performance.now();
      for (const feeds of batches) await session.run(feeds, ['probabilities']);
      best = Math.max(best, scoreRows / ((performance.now() - start) / 1000));
    }
    await session.release();
    progress(`built-in ONNX: ${Math.round(best)} rows/s`);
    return {
      name: 'onnx-batch',
      value: Math.round(best),
      unit: `rows/s, ${trees}-tree model, batches of ${batch}`,
      baseline: Math.round(reference.rowsPerSecond),
      ratio: throughputRatio(best, reference.rowsPerSecond),
    };
  } finally {
    await rm(trainPath, { force: true });
    await rm(scorePath, { force: true });
  }
};

export default benchmark;
