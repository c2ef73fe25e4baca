// Evaluation by the platform, not trusted from the trainer: runs the exported graph with
// onnxruntime on held-out rows and computes the task's metrics from what it returns.
import type { Table } from '../data/table.js';
import { columnOf } from './features.js';
import { classificationMetrics, regressionMetrics } from './metrics.js';
import type { Task } from './model.js';
import { interfaceOf } from './model-interface.js';
import { openSession, scoreTable } from './onnx-runtime.js';
import { classIndices, regressionTarget } from './target.js';

export type Metrics = Record<string, number | null>;

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
