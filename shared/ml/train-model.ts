// Trains a tabular model from tables: settles the feature list, encodes the target, and runs
// the chosen algorithm. Pure: tables in, fitted model out; the trainer program does the I/O.
import { PlatformError } from '../errors.js';
import type { FeatureSpec, Table } from '../data/table.js';
import { buildFeatures, columnOf, encodeColumns } from './features.js';
import type { Clock } from '../clock.js';
import {
  binGbdtInput,
  defaultGbdtParams,
  multiclassGbdtParams,
  trainGbdt,
  type GbdtInput,
  type GbdtParams,
  type GbdtResult,
  type RoundReport,
} from './gbdt.js';
import { designWidth } from './linear-design.js';
import { defaultLinearParams, trainLinear, type LinearParams } from './linear.js';
import type { Algorithm, Task, TabularModel } from './model.js';
import { classesOf, classIndices, regressionTarget } from './target.js';
import { tuneGbdt, type TuningReport, type TuningSettings } from './tune-gbdt.js';

export interface TrainRequest {
  task: Task;
  algorithm: Algorithm;
  target: string;
  /** Feature columns and their types (target excluded). */
  features: readonly FeatureSpec[];
  train: Table;
  validation: Table | null;
  gbdt?: Partial<GbdtParams>;
  linear?: Partial<LinearParams>;
  /** Searches the booster's parameters the request leaves open (gbdt only); false trains the defaults. */
  tuning?: Partial<Omit<TuningSettings, 'fixed'>> | false;
  /** Times the tuning budget: by default the process's CPU time (see cpuClock). */
  clock?: Pick<Clock, 'now'>;
  onRound?: (report: RoundReport) => void;
}

export interface TrainOutcome {
  model: TabularModel;
  rounds: number;
  /** The parameters the booster trained with (gbdt only). */
  params?: GbdtParams;
  tuning?: TuningReport;
  /**
   * Raw scores of the validation rows as training computed them on their bins (gbdt with a
   * validation table): what the exported graph must reproduce, without predicting again.
   */
  validationScores?: Float64Array;
}

// By default the search does the work of 8 first (default) fits, and at most 4 seconds' worth
// at a fixed pace: small data sets stay within a few seconds, and tiny ones within a second.
// Planned by work (see tune-gbdt.ts), 8 fits cost about what 6 fits' measured time did, the
// first fit's JIT warm-up included; over ten seeded splits of ames, 6 gave RMSE +0.2% against 8,
// and 10 -0.2% for 20% more time. The pace is about what a first fit does here on one core
// (ames 62 million cells x rounds a second, credit 21, wa_churn 35; long multiclass fits 115-130),
// so the 4 seconds are a few more on a slow node, and a search running more than twice its
// seconds stops (see TuningSettings).
export const defaultTuning = { budgetSeconds: 4, anchorMultiple: 8, workPerSecond: 6e7 };

// Seconds are the trainer's own CPU milliseconds (all its threads: multiclass rounds grow their
// class trees on several, see tree-threads.ts): a user's budget and the hard stop then do not
// depend on the neighbours on a busy node.
const cpuClock: Pick<Clock, 'now'> = {
  now: () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  },
};

// Trees split on category codes, so a feature keeps at most one code per value bin.
const treeCategories = { maxCategories: 254, minCount: 1 };
// One-hot columns cost weights: keep categories seen often enough to estimate one.
const linearCategories = { maxCategories: 100, minCount: 5 };

export function trainModel(request: TrainRequest): TrainOutcome {
  const { task, target, train, validation } = request;
  if (request.features.length === 0) {
    throw new PlatformError('INVALID_DATASET', 'The data set has no feature columns besides the target.', {
      column: target,
    });
  }
  const targetColumn = columnOf(train, target);
  const classes =
    task === 'regression'
      ? []
      : classesOf(validation ? [targetColumn, columnOf(validation, target)] : [targetColumn]);
  if (task !== 'regression' && classes.length < 2) {
    throw new PlatformError(
      'INVALID_DATASET',
      `Target '${target}' has ${classes.length} class; classification needs at least 2.`,
      { column: target },
    );
  }
  if (task === 'binary' && classes.length > 2) {
    throw new PlatformError(
      'INVALID_DATASET',
      `Target '${target}' has ${classes.length} classes; use task "multiclass".`,
      { column: target },
    );
  }
  const encodeTarget = (table: Table): Float64Array =>
    task === 'regression'
      ? regressionTarget(columnOf(table, target), target)
      : classIndices(columnOf(table, target), classes, target);
  const y = encodeTarget(train);

  if (request.algorithm === 'linear') {
    const features = buildFeatures(train, request.features, null, linearCategories);
    if (designWidth(features) === 0) {
      throw new PlatformError(
        'INVALID_DATASET',
        'No feature column is usable by a linear model (categories too rare).',
        {},
      );
    }
    const params = { ...defaultLinearParams, ...request.linear };
    const { model, iterations } = trainLinear({ task, features, classes, table: train, y, params });
    return { model, rounds: iterations };
  }

  const params = {
    ...defaultGbdtParams,
    ...(task === 'multiclass' ? multiclassGbdtParams : {}),
    ...request.gbdt,
  };
  // Ordered splits cut one category order by target mean, which suits a single score (binary,
  // regression); multiclass trees have one score per class, so frequency order is the neutral
  // choice there. Native splits order categories per node and ignore the codes' order, so
  // both ways train on the same codes (and 'auto' mixes them per feature).
  const ordering = task === 'multiclass' ? null : y;
  const features = buildFeatures(train, request.features, ordering, treeCategories);
  const input: GbdtInput = {
    task,
    features,
    classes,
    train: { columns: encodeColumns(train, features), y },
    validation: validation
      ? { columns: encodeColumns(validation, features), y: encodeTarget(validation) }
      : null,
    params,
    onRound: request.onRound,
  };
  // Tuning scores trials on the validation split; without one there is nothing to choose by.
  if (request.tuning === false || !validation) {
    const result = trainGbdt(input);
    return { model: result.model, rounds: result.rounds, params, ...scoresOf(result) };
  }
  const budgetSeconds = request.tuning?.budgetSeconds;
  const tuned = tuneGbdt(
    binGbdtInput(input, params),
    params,
    {
      // A budget the user gives is the budget, not a cap on a share of the first fit.
      ...(budgetSeconds === undefined ? defaultTuning : { budgetSeconds }),
      ...request.tuning,
      fixed: new Set(Object.keys(request.gbdt ?? {})),
    },
    request.clock ?? cpuClock,
  );
  return {
    model: tuned.result.model,
    rounds: tuned.result.rounds,
    params: tuned.params,
    tuning: tuned.report,
    ...scoresOf(tuned.result),
  };
}

const scoresOf = ({ validationScores }: GbdtResult): Pick<TrainOutcome, 'validationScores'> =>
  validationScores ? { validationScores } : {};
