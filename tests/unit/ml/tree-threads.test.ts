// The worker threads run the built module (a worker cannot load TypeScript sources), so these
// tests import dist/ (npm test builds first) and compare with the sources' single-threaded path.
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../shared/data/prng.js';
import * as serialClassTrees from '../../../shared/ml/class-trees.js';
import * as serialGbdt from '../../../shared/ml/gbdt.js';
import type { ModelFeature } from '../../../shared/ml/model.js';
import type * as TreeThreads from '../../../shared/ml/tree-threads.js';

const dist = new URL('../../../dist/shared/ml/', import.meta.url);
const built = async <T>(file: string): Promise<T> => (await import(new URL(file, dist).href)) as T;

// Large enough a round for the threaded path: 5,000 training rows x 9 features x 24 classes >= 2^20.
const rows = 6000;
const featureCount = 9;
const classes = 24;

function input(): serialGbdt.BinnedInput {
  const random = seededRandom(7);
  const columns = Array.from({ length: featureCount }, () => Float64Array.from({ length: rows }, random));
  const y = Float64Array.from({ length: rows }, (_, r) => {
    const a = columns[0]?.[r] as number;
    const b = columns[1]?.[r] as number;
    // Classes from a grid over two features, plus label noise.
    return random() < 0.1 ? Math.floor(random() * classes) : Math.floor(a * 6) * 4 + Math.floor(b * 4);
  });
  const features: ModelFeature[] = columns.map((_, f) => ({ name: `x${f}`, type: 'numeric' }));
  const names = Array.from({ length: classes }, (_, c) => `c${c}`);
  const split = (from: number, to: number) => ({
    columns: columns.map((column) => column.slice(from, to)),
    y: y.slice(from, to),
  });
  return serialGbdt.binGbdtInput(
    {
      task: 'multiclass',
      features,
      classes: names,
      train: split(0, 5000),
      validation: split(5000, rows),
    },
    serialGbdt.defaultGbdtParams,
  );
}

describe('growing a round of class trees on worker threads', () => {
  it('gives every class the tree the main thread alone grows, and the workers grow some of them', async () => {
    const threads = await built<typeof TreeThreads>('tree-threads.js');
    const data = input();
    const limits = { ...serialGbdt.defaultGbdtParams, subsample: 0.8 };
    const setup = serialClassTrees.roundSetup(
      'multiclass',
      classes,
      { ...data.train, categorical: new Uint8Array(featureCount) },
      data.y,
      data.validation && { bins: data.validation.bins, rows: data.validation.y.length },
      limits,
    );
    const views = serialClassTrees.roundViews(setup);
    const single = threads.roundGrower(setup, 1);
    const parallel = threads.roundGrower(setup, 2);
    const random = seededRandom(3);
    const sampleCount = Math.round(0.8 * data.train.rowCount);
    try {
      // A worker starts within a round or a few: grow rounds until one has taken part.
      for (let round = 0; round < 200 && (round < 3 || parallel.workerTrees === 0); round++) {
        for (const g of views.grad) for (let r = 0; r < g.length; r++) g[r] = random() - 0.5;
        for (const h of views.hess) for (let r = 0; r < h.length; r++) h[r] = 0.05 + random() * 0.2;
        views.sample.set(Uint32Array.from({ length: sampleCount }, (_, i) => Math.floor((i * 5) / 4)));
        views.featureMask.fill(1);
        views.featureMask[round % featureCount] = 0;
        const expected = single.grow(sampleCount);
        const steps = views.step.map((s) => s.slice());
        expect(parallel.grow(sampleCount)).toEqual(expected);
        expect(views.step).toEqual(steps);
      }
      expect(parallel.workerTrees).toBeGreaterThan(0);
    } finally {
      single.close();
      parallel.close();
    }
  });

  it('trains the same model on two threads as on one', async () => {
    const gbdt = await built<typeof serialGbdt>('gbdt.js');
    const data = input();
    const params = { ...serialGbdt.defaultGbdtParams, maxRounds: 15, subsample: 0.9, colsample: 0.75 };
    const previous = process.env.TRAINER_THREADS;
    process.env.TRAINER_THREADS = '2';
    try {
      const threaded = gbdt.boostGbdt(data, params);
      const serial = serialGbdt.boostGbdt(data, params);
      expect(threaded.model).toEqual(serial.model);
      expect(threaded.history).toEqual(serial.history);
    } finally {
      if (previous === undefined) delete process.env.TRAINER_THREADS;
      else process.env.TRAINER_THREADS = previous;
    }
  });
});
