// The trainer's own predictions, computed in-process from the fitted model on raw table
// columns. The parity check compares them with what onnxruntime computes from the exported
// graph; they are also what the trainer reports before export.
import type { Table } from '../data/table.js';
import { encodeColumns } from './features.js';
import { linearScores } from './linear-design.js';
import { outputCount, type GbdtModel, type TabularModel } from './model.js';
import { sigmoid, softmaxInto } from './objectives.js';
import { leafOfRaw } from './predict-tree.js';

/** Raw scores, row-major [rows, outputs]. */
export function rawScores(model: TabularModel, table: Table): Float64Array {
  return model.kind === 'gbdt' ? gbdtScores(model, table) : linearScores(model, table);
}

function gbdtScores(model: GbdtModel, table: Table): Float64Array {
  const columns = encodeColumns(table, model.features);
  const k = outputCount(model.task, model.classes.length);
  const rows = table.rowCount;
  // Row-major and rounded to float32 once (the graph's input precision), rather than per node
  // visited: a row's features share cache lines while trees walk it.
  const width = columns.length;
  const values = new Float32Array(rows * width);
  columns.forEach((column, f) => {
    for (let r = 0; r < rows; r++) values[r * width + f] = column[r] as number;
  });
  const scores = new Float64Array(rows * k);
  for (let r = 0; r < rows; r++) scores.set(model.baseScores, r * k);
  model.trees.forEach((tree, t) => {
    const c = t % k;
    for (let r = 0; r < rows; r++)
      scores[r * k + c] = (scores[r * k + c] as number) + leafOfRaw(tree, values, r * width);
  });
  return scores;
}

/**
 * What the model's graph outputs: class probabilities row-major [rows, classes] for
 * classification, values [rows] for regression.
 */
export function predictOutputs(model: TabularModel, table: Table): Float64Array {
  return scoresToOutputs(rawScores(model, table), model.task, model.classes.length);
}

export function scoresToOutputs(
  scores: Float64Array,
  task: TabularModel['task'],
  classCount: number,
): Float64Array {
  if (task === 'regression') return scores;
  if (task === 'binary') {
    const out = new Float64Array(scores.length * 2);
    for (let r = 0; r < scores.length; r++) {
      const p = sigmoid(scores[r] as number);
      out[2 * r] = 1 - p;
      out[2 * r + 1] = p;
    }
    return out;
  }
  const rows = scores.length / classCount;
  const out = new Float64Array(scores.length);
  const p = new Float64Array(classCount);
  for (let r = 0; r < rows; r++) {
    softmaxInto(scores, r * classCount, classCount, p);
    out.set(p, r * classCount);
  }
  return out;
}
