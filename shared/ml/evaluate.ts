// Evaluation by the platform, not trusted from the trainer: runs the exported graph with
// onnxruntime on held-out rows and computes the task's metrics from what it returns.
import { PlatformError } from '../errors.js';
import type { Table } from '../data/table.js';
import { columnOf } from './features.js';
import { classificationMetrics, regressionMetrics } from './metrics.js';
import type { ModelFeature, Task } from './model.js';
import { readMetadata } from './onnx-graph.js';
import { openSession, scoreTable } from './onnx-runtime.js';
import { classIndices, regressionTarget } from './target.js';

export type Metrics = Record<string, number | null>;

export interface ModelInterface {
  task: Task;
  classes: string[];
  features: ModelFeature[];
}

/** The interface facts an exported model carries in its metadata_props. */
export function interfaceOf(bytes: Uint8Array): ModelInterface {
  const metadata = readMetadata(bytes);
  try {
    const task = metadata.task as Task;
    const classes = JSON.parse(metadata.classes ?? '[]') as string[];
    const features = JSON.parse(metadata.features ?? '') as ModelFeature[];
    if (!['binary', 'multiclass', 'regression'].includes(task) || !Array.isArray(features))
      throw new Error('incomplete');
    return { task, classes, features };
  } catch (error) {
    throw new PlatformError(
      'INVALID_INPUT',
      'The model lacks the task, classes or features metadata of the model interface.',
      {},
      { cause: error },
    );
  }
}

/** Metrics of a task from graph outputs (probabilities [rows, classes] or values) and the true target. */
export function metricsOf(
  task: Task,
  outputs: ArrayLike<number>,
  table: Table,
  target: string,
  classes: readonly string[],
): Metrics {
  const column = columnOf(table, target);
  if (task === 'regression') return { ...regressionMetrics(outputs, regressionTarget(column, target)) };
  return { ...classificationMetrics(outputs, classIndices(column, classes, target), classes.length) };
}

export interface Evaluation {
  task: Task;
  rows: number;
  metrics: Metrics;
  /** The graph's outputs: probabilities [rows, classes] (classes in `classes` order) or values. */
  outputs: Float32Array;
  classes: string[];
}

export async function evaluateOnnx(bytes: Uint8Array, holdout: Table, target: string): Promise<Evaluation> {
  const model = interfaceOf(bytes);
  const session = await openSession(bytes);
  try {
    const outputs = await scoreTable(session, holdout, model.features);
    return {
      task: model.task,
      rows: holdout.rowCount,
      metrics: metricsOf(model.task, outputs, holdout, target, model.classes),
      outputs,
      classes: model.classes,
    };
  } finally {
    await session.release();
  }
}
