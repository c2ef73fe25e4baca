import { describe, expect, it } from 'vitest';
import { binGbdtInput, boostGbdt, defaultGbdtParams, type BinnedInput } from '../../../shared/ml/gbdt.js';
import { buildFeatures, columnOf, encodeColumns } from '../../../shared/ml/features.js';
import { classIndices, regressionTarget } from '../../../shared/ml/target.js';
import { trainModel } from '../../../shared/ml/train-model.js';
import { blendModels } from '../../../shared/ml/blend.js';
import { leafOfBinned } from '../../../shared/ml/predict-tree.js';
import {
  blendSize,
  cutShort,
  minValidationRows,
  tuneGbdt,
  type Trial,
  type TuningReport,
} from '../../../shared/ml/tune-gbdt.js';
import { slice, synthetic } from '../../support/ml/synthetic.js';

// Each reading of the clock moves it on 10 ms: trials "take" a fixed time, so the number of
// trials a budget buys is the same on any machine.
function steppingClock(stepMs = 10): { now: () => number } {
  let t = 0;
  return { now: () => (t += stepMs) };
}

const { table, features: specs } = synthetic({ task: 'binary', rows: 1500, seed: 11, categorical: true });
const train = slice(table, 0, 1000);
const validation = slice(table, 1000, 1500);

function binned(validationRows = 500): BinnedInput {
  const held = slice(table, 1000, 1000 + validationRows);
  const classes = ['no', 'yes'];
  const y = classIndices(columnOf(train, 'label'), classes, 'label');
  const features = buildFeatures(train, specs, y, { maxCategories: 254, minCount: 1 });
  return binGbdtInput(
    {
      task: 'binary',
      features,
      classes,
      train: { columns: encodeColumns(train, features), y },
      validation: {
        columns: encodeColumns(held, features),
        y: classIndices(columnOf(held, 'label'), classes, 'label'),
      },
    },
    defaultGbdtParams,
  );
}

function regressionInput(seed: number): BinnedInput {
  const { table, features: specs } = synthetic({ task: 'regression', rows: 800, seed, categorical: true });
  const [fit, held] = [slice(table, 0, 600), slice(table, 600, 800)];
  const y = regressionTarget(columnOf(fit, 'label'), 'label');
  const features = buildFeatures(fit, specs, y, { maxCategories: 254, minCount: 1 });
  return binGbdtInput(
    {
      task: 'regression',
      features,
      classes: [],
      train: { columns: encodeColumns(fit, features), y },
      validation: {
        columns: encodeColumns(held, features),
        y: regressionTarget(columnOf(held, 'label'), 'label'),
      },
    },
    defaultGbdtParams,
  );
}

describe('tuning the booster within a time budget', () => {
  const input = binned();

  it('trains the defaults first, then candidates, and keeps the trial with the lowest validation loss', () => {
    const { result, params, report } = tuneGbdt(
      input,
      defaultGbdtParams,
      { budgetSeconds: 0.3, fixed: new Set() },
      steppingClock(),
    );
    const [anchor, ...rest] = report.trials;
    expect(anchor?.params).toMatchObject({ learningRate: 0.1, maxLeaves: 15, minSamplesLeaf: 20 });
    expect(anchor?.maxRounds).toBe(defaultGbdtParams.maxRounds);
    expect(rest.length).toBeGreaterThanOrEqual(3);
    // Capped first-rung trials, then uncapped reruns of the best of them.
    expect(rest.some((t) => t.maxRounds < defaultGbdtParams.maxRounds)).toBe(true);
    expect(rest.some((t) => t.maxRounds === defaultGbdtParams.maxRounds)).toBe(true);
    // A first rung's cap is in rounds at the anchor's learning rate: half the rate, twice the rounds.
    const capAt = (rate: number) =>
      rest.find((t) => t.params.learningRate === rate && t.maxRounds < defaultGbdtParams.maxRounds)
        ?.maxRounds;
    expect(capAt(0.05)).toBe(2 * (capAt(0.1) ?? Number.NaN));
    expect(report.skipped).toBeUndefined();
    const lowest = Math.min(...report.trials.map((t) => t.validationLoss));
    expect(lowest).toBeLessThanOrEqual(anchor?.validationLoss ?? 0);
    expect(result.history[result.rounds - 1]?.validation).toBe(lowest);
    expect(report.chosen).toEqual(
      report.trials.find((t) => t.validationLoss === lowest && t.rounds === result.rounds)?.params,
    );
    expect(params).toMatchObject(report.chosen);
  });

  it('blends the best trials no round cap cut short, only when the mean lowers the validation loss', () => {
    // Noisy regression: a search of 8 anchor fits finds a blend that helps, one of 6 does not.
    const noisy = regressionInput(1);
    const searches = [6, 8].map((anchorMultiple) =>
      tuneGbdt(
        noisy,
        defaultGbdtParams,
        { budgetSeconds: 10, anchorMultiple, fixed: new Set() },
        steppingClock(),
      ),
    );
    expect(searches.map((s) => s.report.trials.length > 2 && Boolean(s.report.blend))).toEqual([false, true]);
    for (const { result, params, report } of searches) {
      const lowest = Math.min(...report.trials.map((t) => t.validationLoss));
      if (!report.blend) {
        expect(result.model).toEqual(boostGbdt(noisy, params).model);
        continue;
      }
      const complete = report.trials
        .map((trial, index) => ({ trial, index }))
        .filter(({ trial }) => !cutShort(trial, defaultGbdtParams))
        .sort((a, b) => a.trial.validationLoss - b.trial.validationLoss);
      expect(report.blend.trials).toEqual(complete.slice(0, blendSize).map(({ index }) => index));
      expect(report.blend.validationLoss).toBeLessThan(lowest);
      // The blend is the mean of the members as they retrain from their parameters.
      const retrained = report.blend.trials.map((i) => {
        const t = report.trials[i] as Trial;
        return boostGbdt(noisy, { ...defaultGbdtParams, ...t.params, maxRounds: t.maxRounds }).model;
      });
      expect(result.model).toEqual(blendModels(retrained));
      // Its validation scores are the blend's own, as the trainer's parity check takes them.
      const valid = noisy.validation as { bins: Uint8Array; y: Float64Array };
      const rows = valid.y.length;
      valid.y.forEach((_, r) => {
        const score = result.model.trees.reduce(
          (sum, tree) => sum + leafOfBinned(tree, valid.bins, rows, r),
          result.model.baseScores[0] as number,
        );
        expect(result.validationScores?.[r]).toBeCloseTo(score, 6);
      });
    }
  });

  it('plans by work, not time: machines of any pace run the same trials to the same model', () => {
    const search = (clock: { now: () => number }) =>
      tuneGbdt(input, defaultGbdtParams, { budgetSeconds: 60, anchorMultiple: 6, fixed: new Set() }, clock);
    // Each trial takes `step` ms, times a jitter that cycles through `jitter`; the anchor (the
    // first three readings: the search's start, the anchor's start and end) takes `anchor` ms.
    const machine = (anchor: number, step: number, jitter: number[]) => {
      let reading = 0;
      let t = 0;
      return { now: () => (t += reading++ < 3 ? anchor : step * (jitter[reading % jitter.length] ?? 1)) };
    };
    const [fast, slow] = [search(machine(100, 10, [1])), search(machine(700, 370, [1, 1.3, 0.8, 1.6]))];
    const plan = (report: TuningReport) => report.trials.map(({ seconds: _, ...trial }) => trial);
    expect(fast.report.trials.length).toBeGreaterThan(2);
    expect(plan(slow.report)).toEqual(plan(fast.report));
    expect(slow.result.model).toEqual(fast.result.model);
    // Seconds at a fixed pace plan the same way, where the anchor's pace would not.
    const paced = (clock: { now: () => number }) =>
      tuneGbdt(input, defaultGbdtParams, { budgetSeconds: 2, workPerSecond: 1e6, fixed: new Set() }, clock)
        .report;
    const [fastPaced, slowPaced] = [
      paced(machine(100, 10, [1])),
      paced(machine(700, 370, [1, 1.3, 0.8, 1.6])),
    ];
    expect(fastPaced.trials.length).toBeGreaterThan(2);
    expect(fastPaced.trials.length).toBeLessThan(fast.report.trials.length);
    expect(plan(slowPaced)).toEqual(plan(fastPaced));
  });

  it('stops at twice the budget when trials run slower than the anchor foretold', () => {
    // The anchor "takes" 10 ms, every later clock reading a second more.
    let t = 0;
    const slowing = { now: () => (t += t < 30 ? 10 : 1000) };
    const { report } = tuneGbdt(input, defaultGbdtParams, { budgetSeconds: 0.1, fixed: new Set() }, slowing);
    expect(report.trials).toHaveLength(2);
  });

  it('does not search on a validation set too small to choose by, and says so', () => {
    const small = binned(minValidationRows - 1);
    const { result, params, report } = tuneGbdt(
      small,
      defaultGbdtParams,
      { budgetSeconds: 0.3, fixed: new Set() },
      steppingClock(),
    );
    expect(report.trials).toHaveLength(1);
    expect(report.skipped).toMatch(`${minValidationRows - 1} validation rows are too few`);
    expect(params).toEqual(defaultGbdtParams);
    expect(result.model).toEqual(boostGbdt(small, defaultGbdtParams).model);
  });

  it('never varies what the user fixed', () => {
    const fixed = { ...defaultGbdtParams, learningRate: 0.3, maxLeaves: 4 };
    const { params, report } = tuneGbdt(
      input,
      fixed,
      { budgetSeconds: 0.2, fixed: new Set(['learningRate', 'maxLeaves']) },
      steppingClock(),
    );
    expect(report.trials.length).toBeGreaterThan(1);
    for (const trial of report.trials) {
      expect(trial.params).not.toHaveProperty('learningRate');
      expect(trial.params).not.toHaveProperty('maxLeaves');
    }
    expect(params).toMatchObject({ learningRate: 0.3, maxLeaves: 4 });
  });

  it('stops at the budget: a spent budget leaves the defaults', () => {
    const { result, report } = tuneGbdt(
      input,
      defaultGbdtParams,
      { budgetSeconds: 0.01, fixed: new Set() },
      steppingClock(),
    );
    expect(report.trials).toHaveLength(1);
    expect(result.model).toEqual(boostGbdt(input, defaultGbdtParams).model);
  });

  it('shrinks the budget to a multiple of the first fit, with the given budget as the cap', () => {
    // Each trial reads the clock twice: it "takes" one 10 ms step, so 3 times the anchor is 30 ms.
    const search = (anchorMultiple?: number) =>
      tuneGbdt(
        input,
        defaultGbdtParams,
        { budgetSeconds: 0.3, fixed: new Set(), ...(anchorMultiple ? { anchorMultiple } : {}) },
        steppingClock(),
      ).report;
    const proportional = search(3);
    expect(proportional.budgetSeconds).toBeCloseTo(0.03);
    expect(proportional.trials.length).toBeLessThan(search().trials.length);
    expect(search(1000).budgetSeconds).toBe(0.3);
  });

  it('is switched off by the request, and then reports no search', () => {
    const request = {
      task: 'binary' as const,
      algorithm: 'gbdt' as const,
      target: 'label',
      features: specs,
      train,
      validation,
      clock: steppingClock(),
    };
    const off = trainModel({ ...request, tuning: false });
    expect(off.tuning).toBeUndefined();
    expect(off.params).toEqual(defaultGbdtParams);
    const on = trainModel({ ...request, tuning: { budgetSeconds: 0.2 } });
    expect(on.tuning?.trials.length).toBeGreaterThan(1);
  });
});
