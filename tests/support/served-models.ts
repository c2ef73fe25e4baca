// Models for serving tests: real ones trained and exported by shared/ml on a synthetic set,
// a hand-built one that fails on some inputs, and their registration the way the pipeline
// does it (bench/serving/register-model.ts).
import type { Table } from '../../shared/data/table.js';
import { interfaceMetadata } from '../../shared/ml/model-interface.js';
import { exportModel } from '../../shared/ml/export-model.js';
import { attr, OnnxGraph } from '../../shared/ml/onnx-graph.js';
import { declareInputs, outputHead } from '../../shared/ml/onnx-interface.js';
import { DataType } from '../../shared/ml/onnx-proto.js';
import { trainModel } from '../../shared/ml/train-model.js';
import { synthetic } from './ml/synthetic.js';

/** A binary GBDT over x0..x3 and the categorical `colour`, exported to ONNX. */
export function trainedModel(options: { seed?: number; rounds?: number; rows?: number } = {}): {
  bytes: Uint8Array;
  table: Table;
} {
  const { table, features } = synthetic({
    task: 'binary',
    rows: options.rows ?? 600,
    seed: options.seed ?? 1,
    categorical: true,
  });
  const { model } = trainModel({
    task: 'binary',
    algorithm: 'gbdt',
    target: 'label',
    features,
    train: table,
    validation: null,
    gbdt: { maxRounds: options.rounds ?? 20, earlyStoppingRounds: 0 },
  });
  return { bytes: exportModel(model, 'test'), table };
}

/**
 * A binary model over `x0` (probability of yes = sigmoid(x0 + shift)). When `faulty`, its graph
 * fails (a Gather out of range) for x0 >= 2 or x0 < -2, as a model with a latent bug would.
 */
export function oneFeatureModel(options: { faulty: boolean; shift?: number }): Uint8Array {
  const graph = new OnnxGraph();
  const features = [{ name: 'x0', type: 'numeric' as const }];
  const [x0] = declareInputs(graph, features);
  let scores = graph.node('Add', [x0!, graph.floatConstant([options.shift ?? 0], [1])]);
  if (options.faulty) {
    const index = graph.node('Cast', [x0!], { to: attr.int(DataType.INT64) });
    const zero = graph.node('Gather', [graph.floatConstant([0, 0], [2]), index], { axis: attr.int(0) });
    scores = graph.node('Add', [scores, zero]);
  }
  outputHead(graph, scores, 'binary', ['no', 'yes']);
  return graph.serialize(
    'one-feature',
    interfaceMetadata({ kind: 'linear', task: 'binary', classes: ['no', 'yes'], features }),
    'test',
  );
}

export { register } from '../../bench/serving/register-model.js';
