// The trainer contract end to end: read spec and files, train, export ONNX, check with
// onnxruntime that the graph reproduces the trainer's own predictions on the validation file,
// and write model.onnx and metrics.json (metrics computed from the graph's outputs).
import { access, constants, mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Dataset } from '../../shared/data/dataset.js';
import { PlatformError } from '../../shared/errors.js';
import type { FeatureSpec } from '../../shared/data/table.js';
import { metricsOf, type Metrics } from '../../shared/ml/evaluate.js';
import { exportModel } from '../../shared/ml/export-model.js';
import type { GbdtParams, RoundReport } from '../../shared/ml/gbdt.js';
import type { TabularModel } from '../../shared/ml/model.js';
import { openSession, scoreTable } from '../../shared/ml/onnx-runtime.js';
import { assertParity } from '../../shared/ml/parity.js';
import { predictOutputs, scoresToOutputs } from '../../shared/ml/predict.js';
import { trainModel } from '../../shared/ml/train-model.js';
import type { Trial, TuningReport } from '../../shared/ml/tune-gbdt.js';
import { loadDataset, loadSpec } from './load.js';

export const trainerVersion = 'tabular-trainer/1';

export interface TrainerArgs {
  train: string;
  validation: string;
  spec: string;
  out: string;
}

export interface MetricsFile {
  task: string;
  algorithm: string;
  metrics: Metrics;
  /** Rounds kept by the best trial (a blend of trials holds each member's). */
  rounds: number;
  features: FeatureSpec[];
  classes: string[];
  validationRows: number;
  parity: { maxAbsDiff: number; maxScaledDiff: number };
  /** Size of model.onnx. */
  onnxBytes: number;
  /** The booster's parameters as trained: the user's, the search's choice, the defaults (gbdt). */
  params?: GbdtParams;
  tuning?: TuningReport;
}

export async function runTrainer(args: TrainerArgs, log: (line: string) => void): Promise<MetricsFile> {
  const spec = await loadSpec(args.spec);
  await prepareOut(args.out);
  const reading = performance.now();
  const train = await loadDataset(args.train, 'training file', spec, spec.features);
  const validation = await loadDataset(args.validation, 'validation file', spec, train.schema);
  for (const warning of [...train.warnings, ...validation.warnings]) log(`warning: ${warning.message}`);
  const features = train.schema.filter((f) => f.name !== spec.target);
  log(
    `training ${spec.algorithm} (${spec.task}) on ${train.rowCount} rows x ${features.length} features, validating on ${validation.rowCount} rows (read in ${secondsSince(reading)} s)`,
  );

  const { tuning, ...params } = spec.params;
  const outcome = trainModel({
    task: spec.task,
    algorithm: spec.algorithm,
    target: spec.target,
    features,
    train,
    validation,
    gbdt: params,
    linear: params,
    tuning: tuning === false ? false : { ...(tuning === true ? {} : tuning), onTrial: trialLogger(log) },
    onRound: progressLogger(log),
  });
  const { model, rounds } = outcome;
  log(`kept ${rounds} ${spec.algorithm === 'gbdt' ? 'rounds' : 'iterations'}`);
  const blend = outcome.tuning?.blend;
  if (blend)
    log(
      `model: the mean of trials ${blend.trials.join(', ')} (validation loss ${blend.validationLoss.toFixed(5)})`,
    );

  const checking = performance.now();
  const bytes = exportModel(model, trainerVersion);
  // The trainer's own outputs: those training computed on the validation bins when it has them
  // (the graph must agree with training itself), else predicted from the raw table.
  const own = outcome.validationScores
    ? scoresToOutputs(outcome.validationScores, model.task, model.classes.length)
    : predictOutputs(model, validation);
  const { metrics, parity } = await checkExport(bytes, model, validation, spec.target, own);
  log(
    `onnx parity on validation: max abs difference ${parity.maxAbsDiff.toExponential(2)} (export and check in ${secondsSince(checking)} s)`,
  );

  const result: MetricsFile = {
    task: spec.task,
    algorithm: spec.algorithm,
    metrics,
    rounds,
    features: model.features.map(({ name, type }) => ({ name, type })),
    classes: model.classes,
    validationRows: validation.rowCount,
    parity: { maxAbsDiff: parity.maxAbsDiff, maxScaledDiff: parity.maxScaledDiff },
    onnxBytes: bytes.length,
    ...(outcome.params && { params: outcome.params }),
    ...(outcome.tuning && { tuning: outcome.tuning }),
  };
  await writeFile(join(args.out, 'model.onnx'), bytes);
  await writeFile(join(args.out, 'metrics.json'), `${JSON.stringify(result, null, 2)}\n`);
  log(
    `validation ${Object.entries(metrics)
      .map(([k, v]) => `${k} ${v === null ? 'n/a' : v.toFixed(5)}`)
      .join(', ')}`,
  );
  log(`wrote ${join(args.out, 'model.onnx')} (${bytes.length} bytes) and metrics.json`);
  return result;
}

const secondsSince = (start: number): string => ((performance.now() - start) / 1000).toFixed(2);

/** Creates the output folder before any training, so a bad `--out` fails in a second, not after the run. */
async function prepareOut(out: string): Promise<void> {
  try {
    await mkdir(out, { recursive: true });
    if (!(await stat(out)).isDirectory()) throw new Error('not a directory');
    await access(out, constants.W_OK);
  } catch (error) {
    throw new PlatformError(
      'INVALID_INPUT',
      `--out '${out}' cannot be used as the output folder: ${(error as Error).message}`,
      { path: out },
    );
  }
}

/** Runs the graph on the validation rows: parity with the trainer's own outputs, then metrics. */
async function checkExport(
  bytes: Uint8Array,
  model: TabularModel,
  validation: Dataset,
  target: string,
  own: Float64Array,
) {
  const session = await openSession(bytes);
  try {
    const outputs = await scoreTable(session, validation, model.features);
    const width = model.task === 'regression' ? 1 : model.classes.length;
    const parity = assertParity(outputs, own, width);
    return { parity, metrics: metricsOf(model.task, outputs, validation, target, model.classes) };
  } finally {
    await session.release();
  }
}

function trialLogger(log: (line: string) => void): (trial: Trial) => void {
  return (t) =>
    log(
      `trial ${JSON.stringify(t.params)} (cap ${t.maxRounds}): ${t.rounds} rounds, validation loss ${t.validationLoss.toFixed(5)} in ${t.seconds.toFixed(2)} s`,
    );
}

// One line per 10 rounds (and the first): enough to follow a long run without flooding logs.
function progressLogger(log: (line: string) => void): (report: RoundReport) => void {
  return (r) => {
    if (r.round !== 1 && r.round % 10 !== 0) return;
    const validation = r.validation === null ? '' : `  validation ${r.metric} ${r.validation.toFixed(5)}`;
    log(`round ${r.round}  train ${r.metric} ${r.train.toFixed(5)}${validation}`);
  };
}
