// Gradient boosting over histogram trees: bins the features once, then per round computes
// gradients, grows one tree per output on a row/feature sample, and watches the validation
// loss to stop early and keep the best round.
import { binColumns, binEdges, categoryEdges } from './binning.js';
import { roundSetup, roundViews } from './class-trees.js';
import type { BinnedData } from './grow-tree.js';
import type { CategoricalLimits } from './split-finder.js';
import type { GbdtModel, ModelFeature, Task, Tree } from './model.js';
import { objectiveFor } from './objectives.js';
import { roundGrower } from './tree-threads.js';
import { sampleWithoutReplacement, seededRandom } from '../data/prng.js';

export interface GbdtParams extends CategoricalLimits {
  learningRate: number;
  maxRounds: number;
  maxLeaves: number;
  /** 0 = unlimited (leaf count is the limit). */
  maxDepth: number;
  minSamplesLeaf: number;
  minChildWeight: number;
  l2: number;
  maxBins: number;
  /** Share of rows each round's trees see. */
  subsample: number;
  /** Share of features each round's trees may split on. */
  colsample: number;
  /** Stop when the validation loss has not improved for this many rounds (0 = never). */
  earlyStoppingRounds: number;
  /**
   * A round improves only when it lowers the best validation loss by more than this share of
   * the loss before the first tree (the base scores'), so the tolerance keeps its meaning at
   * any target scale.
   */
  earlyStoppingTolerance: number;
  seed: number;
  /**
   * How trees split categorical features: 'native' into a set of categories per node (see
   * split-finder.ts), 'ordered' by a cut of the category codes, which features.ts orders by
   * smoothed target mean before training; 'auto' native for columns of more than
   * nativeAboveCategories levels, ordered for the others. All train on the same bins.
   */
  categoricalSplits: 'auto' | 'native' | 'ordered';
}

// The tolerance, like HistGradientBoosting's tol but coarser: once shuttle's classes separate,
// its validation log loss is below 1.3e-3 after 60 rounds and then falls by 8e-6 to 2e-6 a
// round for over a hundred more, while holdout accuracy stays within 0.0003. 1e-4 of the
// starting loss stops it after 114 rounds instead of 193 (2.9 CPU-s instead of 4.8, the same
// holdout accuracy on two splits); over the train-reference splits the other sets' holdout
// metrics move by at most 0.001 ROC AUC, 0.0005 accuracy (letter) and 0.2% RMSE (concrete).
// 15 leaves rather than LightGBM's 31: chosen on validation loss over five seeded splits of
// the train-reference data sets (a few thousand rows each), where 31-leaf trees overfit within
// a few rounds (ames validation RMSE -3%, credit validation AUC +0.007) and the 40,000-row
// shuttle set was unchanged; larger data sets can raise it.
export const defaultGbdtParams: GbdtParams = {
  learningRate: 0.1,
  maxRounds: 500,
  maxLeaves: 15,
  maxDepth: 0,
  minSamplesLeaf: 20,
  minChildWeight: 1e-3,
  l2: 1,
  maxBins: 255,
  subsample: 1,
  colsample: 1,
  earlyStoppingRounds: 20,
  earlyStoppingTolerance: 1e-4,
  seed: 42,
  categoricalSplits: 'auto',
  catSmooth: 10,
  catL2: 10,
  maxCatThreshold: 8,
  minDataPerGroup: 100,
};

// Multiclass rounds grow a tree per class, each fitting one class's share of the gradient: on
// letter (26 classes, 14,000 rows) 31-leaf trees stop after 169 rounds instead of 275, in 19
// CPU-s instead of 30 (train-reference wall 17.5 s instead of 24.1), at +0.2% holdout accuracy;
// shuttle (7 classes, 40,600 rows) keeps its accuracy at 5.9 CPU-s instead of 4.4 (5.7 s wall
// instead of 5.0). The binary and regression sets overfit with 31 (see defaultGbdtParams).
// L2 0.1: a softmax row's hessian p(1 - p) is at most 1/4 and shrinks as the class gets certain,
// so an L2 of 1 holds leaves back far more than under squared error, and letter's validation
// loss crept down for 325-485 rounds; at 0.1 it stops after 128-205 at the same accuracy (three
// seeded splits, within 0.001). Shuttle needs some L2 (at 0 its 10-row class's Newton steps blow
// up after one round, as HistGradientBoosting's do), and at 0.1 it runs 39-263 rounds instead of
// 64-156 at the same accuracy (within 0.0003): the price of letter's threefold saving.
export const multiclassGbdtParams: Partial<GbdtParams> = { maxLeaves: 31, l2: 0.1 };

/** Encoded columns (see features.ts) and the target as class index or value per row. */
export interface TrainingSet {
  columns: readonly Float64Array[];
  y: Float64Array;
}

export interface RoundReport {
  round: number;
  metric: string;
  train: number;
  validation: number | null;
}

export interface GbdtResult {
  model: GbdtModel;
  /** Rounds kept: the best validation round when stopping early, else all of them. */
  rounds: number;
  history: RoundReport[];
  /** Raw validation scores of the rounds kept, row-major like the model's outputs (null without validation). */
  validationScores: Float64Array | null;
}

export interface GbdtInput {
  task: Task;
  features: ModelFeature[];
  classes: string[];
  train: TrainingSet;
  validation: TrainingSet | null;
  params: GbdtParams;
  onRound?: (report: RoundReport) => void;
}

export function trainGbdt(input: GbdtInput): GbdtResult {
  return boostGbdt(binGbdtInput(input, input.params), input.params, input.onRound);
}

/** The training and validation sets binned once, so several parameter sets can boost on them. */
export interface BinnedInput {
  task: Task;
  features: ModelFeature[];
  classes: string[];
  train: Omit<BinnedData, 'categorical'>;
  y: Float64Array;
  validation: { bins: Uint8Array; y: Float64Array } | null;
}

export function binGbdtInput(
  input: Omit<GbdtInput, 'params' | 'onRound'>,
  params: Pick<GbdtParams, 'maxBins'>,
): BinnedInput {
  const { train, validation, features } = input;
  const n = train.y.length;
  // A category code is its own bin, so set splits and the exported graph speak in codes.
  const edges = train.columns.map((c, f) => {
    const categories = features[f]?.categories;
    return categories ? categoryEdges(categories.length) : binEdges(c, params.maxBins);
  });
  return {
    task: input.task,
    features: input.features,
    classes: input.classes,
    train: {
      bins: binColumns(train.columns, edges, n),
      rowCount: n,
      edges,
      valueBins: Int32Array.from(edges, (e) => e.length + 1),
    },
    y: train.y,
    validation: validation
      ? { bins: binColumns(validation.columns, edges, validation.y.length), y: validation.y }
      : null,
  };
}

/** Boosts on binned sets; `params.maxBins` was spent when binning. */
export function boostGbdt(
  input: BinnedInput,
  params: GbdtParams,
  onRound?: (report: RoundReport) => void,
): GbdtResult {
  const { task, features, classes, validation, y } = input;
  const data: BinnedData = { ...input.train, categorical: setSplitFeatures(features, params) };
  const objective = objectiveFor(task, classes.length);
  const k = objective.outputs;
  const n = data.rowCount;
  const featureCount = features.length;
  const validRows = validation?.y.length ?? 0;
  const validBins = validation?.bins ?? null;

  const baseScores = objective.baseScores(y);
  const validScores = validation ? filledScores(validation.y.length, baseScores) : null;
  const limits = { ...params, maxLeaves: Math.max(1, params.maxLeaves) };
  const validSet = validBins && { bins: validBins, rows: validRows };
  const setup = roundSetup(task, classes.length, data, y, validSet, limits);
  // Each round's tree outputs per class and row (step) are added to the row-major scores in one
  // pass per round: adding them tree by tree strides through scores k values apart, a cache
  // miss per row and tree when there are many classes.
  const { scores, step, validStep, sample, featureMask } = roundViews(setup);
  fillScores(scores, baseScores);
  const grower = roundGrower(setup);

  const random = seededRandom(params.seed);
  const sampleRows = Math.max(1, Math.round(params.subsample * n));
  const sampleFeatures = Math.max(1, Math.round(params.colsample * featureCount));

  const trees: Tree[] = [];
  const history: RoundReport[] = [];
  const stopsEarly = validation !== null && params.earlyStoppingRounds > 0;
  let best = { loss: Infinity, rounds: 0 };
  const keptValidScores = stopsEarly && validScores ? validScores.slice() : validScores;
  const tolerance =
    validScores && validation
      ? params.earlyStoppingTolerance * Math.abs(objective.loss(validScores, validation.y))
      : 0;
  // Gradients at the starting scores; afterwards each round's report recomputes them at the
  // updated scores for the next round, and that same pass yields its training loss.
  try {
    grower.gradients();
    for (let round = 1; round <= params.maxRounds; round++) {
      // Sorted, so histogram building walks the bins forward through memory.
      if (sampleRows < n) sample.set(sampleWithoutReplacement(n, sampleRows, random).sort());
      featureMask.fill(sampleFeatures < featureCount ? 0 : 1);
      if (sampleFeatures < featureCount)
        for (const f of sampleWithoutReplacement(featureCount, sampleFeatures, random)) featureMask[f] = 1;

      trees.push(...grower.grow(sampleRows));
      addStep(scores, step);
      if (validScores && validStep) addStep(validScores, validStep);

      const report: RoundReport = {
        round,
        metric: objective.metric,
        train: grower.gradients(),
        validation: validScores && validation ? objective.loss(validScores, validation.y) : null,
      };
      history.push(report);
      onRound?.(report);
      if (!stopsEarly || report.validation === null) continue;
      if (report.validation < best.loss - tolerance) {
        best = { loss: report.validation, rounds: round };
        keptValidScores?.set(validScores as Float64Array);
      } else if (round - best.rounds >= params.earlyStoppingRounds) break;
    }
  } finally {
    grower.close();
  }

  const rounds = stopsEarly ? best.rounds : history.length;
  return {
    model: { kind: 'gbdt', task, features, classes, baseScores, trees: trees.slice(0, rounds * k) },
    rounds,
    history,
    validationScores: keptValidScores,
  };
}

// On five seeded splits of the reference sets (tuning off), one global order beat per-node sets
// on credit, wa_churn and ames (ROC AUC +0.0018, +0.0003; RMSE -0.8%), whose columns have at
// most 28 levels, and lost on lending_club's 35- and 50-level columns (ROC AUC -0.009): a global
// order of many levels rests on few rows per level and must serve every node. Sets for those
// two columns alone gained lending_club +0.006; for ames' 28-level column they lost 0.7%.
export const nativeAboveCategories = 32;

/** 1 for the features whose trees split them into category sets (see GbdtParams.categoricalSplits). */
function setSplitFeatures(features: readonly ModelFeature[], params: GbdtParams): Uint8Array {
  const mode = params.categoricalSplits;
  return Uint8Array.from(features, (f) =>
    f.type === 'categorical' &&
    (mode === 'native' || (mode === 'auto' && (f.categories?.length ?? 0) > nativeAboveCategories))
      ? 1
      : 0,
  );
}

/** scores[r * k + c] += step[c][r], reading and writing sequentially. */
function addStep(scores: Float64Array, step: readonly Float64Array[]): void {
  const k = step.length;
  const rows = scores.length / k;
  for (let r = 0, at = 0; r < rows; r++) {
    for (let c = 0; c < k; c++, at++)
      scores[at] = (scores[at] as number) + ((step[c] as Float64Array)[r] as number);
  }
}

function filledScores(rows: number, base: readonly number[]): Float64Array {
  return fillScores(new Float64Array(rows * base.length), base);
}

function fillScores(scores: Float64Array, base: readonly number[]): Float64Array {
  for (let at = 0; at < scores.length; at += base.length) scores.set(base, at);
  return scores;
}
