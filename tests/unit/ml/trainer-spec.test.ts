import { describe, expect, it } from 'vitest';
import { parseInput } from '../../../shared/validate.js';
import { trainerSpecSchema } from '../../../trainers/tabular/spec.js';

describe('trainer spec', () => {
  it('defaults the target, algorithm and params', () => {
    expect(parseInput(trainerSpecSchema, { task: 'binary' }, 'spec')).toEqual({
      task: 'binary',
      target: 'label',
      algorithm: 'gbdt',
      params: {},
    });
  });

  it('lets the registry spec carry keys the trainer does not use', () => {
    expect(parseInput(trainerSpecSchema, { task: 'regression', gates: { rmse: 3 } }, 'spec').task).toBe(
      'regression',
    );
  });

  it('rejects a misspelt hyper-parameter and names it', () => {
    expect(() =>
      parseInput(trainerSpecSchema, { task: 'binary', params: { learning_rate: 0.1 } }, 'spec'),
    ).toThrow(/params.*learning_rate/);
  });

  it('rejects out-of-range values', () => {
    expect(() => parseInput(trainerSpecSchema, { task: 'binary', params: { subsample: 0 } }, 'spec')).toThrow(
      /params.subsample/,
    );
    expect(() => parseInput(trainerSpecSchema, { task: 'ranking' }, 'spec')).toThrow(/task/);
  });

  it('takes tuning as a switch or a budget', () => {
    const tuning = (value: unknown) =>
      parseInput(trainerSpecSchema, { task: 'binary', params: { tuning: value } }, 'spec').params.tuning;
    expect(tuning(false)).toBe(false);
    expect(tuning({ budgetSeconds: 30 })).toEqual({ budgetSeconds: 30 });
    expect(() => tuning({ budgetSeconds: 0 })).toThrow(/params.tuning/);
    expect(() => tuning({ budget: 30 })).toThrow(/params.tuning/);
  });
});
