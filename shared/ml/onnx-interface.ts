// The parts of the served-model interface (DESIGN.md section 4) every exported graph shares:
// one [N, 1] input per raw column (float, or string for categoricals), and the output head
// that turns raw scores into `label` + `probabilities` or `variable`. Classification heads
// apply Sigmoid/Softmax and ArgMax themselves instead of using a *Classifier operator's
// post_transform: onnxruntime's binary special cases (scores of one class, all-positive leaf
// weights) skip the LOGISTIC transform, and a ZipMap output would not be a tensor.
import { PlatformError } from '../errors.js';
import { attr, mlDomain, type OnnxGraph } from './onnx-graph.js';
import { DataType } from './onnx-proto.js';
import type { ModelFeature, Task } from './model.js';

const outputNames = new Set(['label', 'probabilities', 'variable']);

/** Declares one input per feature; returns each feature's input name. */
export function declareInputs(graph: OnnxGraph, features: readonly ModelFeature[]): string[] {
  return features.map((f) => {
    if (outputNames.has(f.name) || f.name.startsWith('__')) {
      throw new PlatformError(
        'INVALID_INPUT',
        `Feature name '${f.name}' is reserved by the model interface; rename the column.`,
        { column: f.name },
      );
    }
    return graph.input(f.name, f.type === 'categorical' ? DataType.STRING : DataType.FLOAT, ['N', 1]);
  });
}

/** A categorical input as its category code (float), NaN for anything not kept in training. */
export function categoryCodes(graph: OnnxGraph, input: string, categories: readonly string[]): string {
  return graph.node(
    'LabelEncoder',
    [input],
    {
      keys_strings: attr.strings(categories),
      values_floats: attr.floats(categories.map((_, i) => i)),
      default_float: attr.float(Number.NaN),
    },
    undefined,
    mlDomain,
  );
}

/** Turns the [N, outputs] raw scores into the interface's outputs. */
export function outputHead(graph: OnnxGraph, scores: string, task: Task, classes: readonly string[]): void {
  if (task === 'regression') {
    graph.node('Identity', [scores], {}, 'variable');
    graph.output('variable', DataType.FLOAT, ['N', 1]);
    return;
  }
  let probabilities: string;
  if (task === 'binary') {
    const positive = graph.node('Sigmoid', [scores]);
    const negative = graph.node('Sub', [graph.floatConstant([1], [1]), positive]);
    probabilities = graph.node('Concat', [negative, positive], { axis: attr.int(1) }, 'probabilities');
  } else {
    probabilities = graph.node('Softmax', [scores], { axis: attr.int(1) }, 'probabilities');
  }
  const index = graph.node('ArgMax', [probabilities], { axis: attr.int(1), keepdims: attr.int(0) });
  graph.node(
    'Gather',
    [graph.stringConstant(classes, [classes.length]), index],
    { axis: attr.int(0) },
    'label',
  );
  graph.output('label', DataType.STRING, ['N']);
  graph.output('probabilities', DataType.FLOAT, ['N', classes.length]);
}
