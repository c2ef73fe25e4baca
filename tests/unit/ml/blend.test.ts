import { describe, expect, it } from 'vitest';
import { blendModels, meanScores } from '../../../shared/ml/blend.js';
import { trainModel } from '../../../shared/ml/train-model.js';
import { rawScores } from '../../../shared/ml/predict.js';
import type { GbdtModel } from '../../../shared/ml/model.js';
import { slice, synthetic } from '../../support/ml/synthetic.js';

describe('blending boosted models', () => {
  for (const task of ['binary', 'multiclass', 'regression'] as const) {
    it(`scores the mean of its members' raw scores (${task})`, () => {
      const { table, features } = synthetic({ task, rows: 600, seed: 5, categorical: true });
      const train = slice(table, 0, 400);
      const held = slice(table, 400, 600);
      const fit = (gbdt: { maxLeaves: number; learningRate: number }): GbdtModel =>
        trainModel({
          task,
          algorithm: 'gbdt',
          target: 'label',
          features,
          train,
          validation: held,
          gbdt: { ...gbdt, maxRounds: 30 },
          tuning: false,
        }).model as GbdtModel;
      const members = [fit({ maxLeaves: 4, learningRate: 0.3 }), fit({ maxLeaves: 15, learningRate: 0.1 })];
      const blend = blendModels(members);
      expect(blend.trees).toHaveLength(members[0]!.trees.length + members[1]!.trees.length);
      const expected = meanScores(members.map((m) => rawScores(m, held)));
      const actual = rawScores(blend, held);
      // Leaves are halved and rounded to float32, as the graph stores them.
      for (let i = 0; i < expected.length; i++) expect(actual[i]).toBeCloseTo(expected[i]!, 5);
    });
  }
});
