// A linear model as an ONNX graph: numeric inputs concatenated, Imputer (training means) and
// Scaler (standardization); each categorical input through OneHotEncoder (unknown categories
// give zeros); everything concatenated into one ai.onnx.ml LinearRegressor computing the raw
// scores, then the shared head.
import { attr, mlDomain, OnnxGraph } from './onnx-graph.js';
import { declareInputs, outputHead } from './onnx-interface.js';
import { interfaceMetadata } from './model-interface.js';
import { outputCount, type LinearModel } from './model.js';

export function exportLinear(model: LinearModel, producerVersion: string): Uint8Array {
  const graph = new OnnxGraph();
  const inputs = declareInputs(graph, model.features);
  const blocks: string[] = [];
  const numeric = inputs.filter((_, i) => model.features[i]?.type !== 'categorical');
  if (numeric.length > 0) {
    const joined =
      numeric.length === 1 ? (numeric[0] as string) : graph.node('Concat', numeric, { axis: attr.int(1) });
    const imputed = graph.node(
      'Imputer',
      [joined],
      { imputed_value_floats: attr.floats(model.numericMeans), replaced_value_float: attr.float(Number.NaN) },
      undefined,
      mlDomain,
    );
    const scaled = graph.node(
      'Scaler',
      [imputed],
      {
        offset: attr.floats(model.numericMeans),
        scale: attr.floats(Array.from(model.numericScales, (s) => 1 / s)),
      },
      undefined,
      mlDomain,
    );
    blocks.push(scaled);
  }
  model.features.forEach((f, i) => {
    if (f.type !== 'categorical' || (f.categories ?? []).length === 0) return;
    const oneHot = graph.node(
      'OneHotEncoder',
      [inputs[i] as string],
      { cats_strings: attr.strings(f.categories ?? []), zeros: attr.int(1) },
      undefined,
      mlDomain,
    );
    // OneHotEncoder appends the category axis: [N, 1, K] -> [N, K].
    blocks.push(graph.node('Flatten', [oneHot], { axis: attr.int(1) }));
  });
  const outputs = outputCount(model.task, model.classes.length);
  const matrix =
    blocks.length === 1 ? (blocks[0] as string) : graph.node('Concat', blocks, { axis: attr.int(1) });
  const scores = graph.node(
    'LinearRegressor',
    [matrix],
    {
      coefficients: attr.floats(model.weights),
      intercepts: attr.floats(model.intercepts),
      targets: attr.int(outputs),
    },
    undefined,
    mlDomain,
  );
  outputHead(graph, scores, model.task, model.classes);
  return graph.serialize('linear', interfaceMetadata(model), producerVersion);
}
