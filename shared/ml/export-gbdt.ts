// A boosted tree model as an ONNX graph: categorical inputs through LabelEncoder to codes,
// all features concatenated, one ai.onnx.ml TreeEnsembleRegressor summing every tree into
// the raw scores (missing values follow each node's learned default), then the shared head.
import { attr, mlDomain, OnnxGraph } from './onnx-graph.js';
import { categoryCodes, declareInputs, outputHead } from './onnx-interface.js';
import { interfaceMetadata } from './model-interface.js';
import { outputCount, type GbdtModel } from './model.js';

export function exportGbdt(model: GbdtModel, producerVersion: string): Uint8Array {
  const graph = new OnnxGraph();
  const inputs = declareInputs(graph, model.features);
  const columns = model.features.map((f, i) =>
    f.type === 'categorical'
      ? categoryCodes(graph, inputs[i] as string, f.categories ?? [])
      : (inputs[i] as string),
  );
  const matrix =
    columns.length === 1 ? (columns[0] as string) : graph.node('Concat', columns, { axis: attr.int(1) });
  const outputs = outputCount(model.task, model.classes.length);
  const scores = graph.node(
    'TreeEnsembleRegressor',
    [matrix],
    treeAttributes(model, outputs),
    undefined,
    mlDomain,
  );
  outputHead(graph, scores, model.task, model.classes);
  return graph.serialize('gbdt', interfaceMetadata(model), producerVersion);
}

function treeAttributes(model: GbdtModel, outputs: number): Record<string, ReturnType<typeof attr.int>> {
  const nodeTree: number[] = [];
  const nodeId: number[] = [];
  const nodeFeature: number[] = [];
  const nodeMode: string[] = [];
  const nodeValue: number[] = [];
  const nodeTrue: number[] = [];
  const nodeFalse: number[] = [];
  const nodeMissingTrue: number[] = [];
  const targetTree: number[] = [];
  const targetNode: number[] = [];
  const targetId: number[] = [];
  const targetWeight: number[] = [];
  model.trees.forEach((tree, t) => {
    for (let n = 0; n < tree.left.length; n++) {
      const leaf = (tree.left[n] as number) < 0;
      nodeTree.push(t);
      nodeId.push(n);
      nodeFeature.push(leaf ? 0 : (tree.feature[n] as number));
      nodeMode.push(leaf ? 'LEAF' : 'BRANCH_LT');
      nodeValue.push(leaf ? 0 : (tree.threshold[n] as number));
      nodeTrue.push(leaf ? 0 : (tree.left[n] as number));
      nodeFalse.push(leaf ? 0 : (tree.right[n] as number));
      nodeMissingTrue.push(leaf ? 0 : (tree.missingLeft[n] as number));
      if (leaf) {
        targetTree.push(t);
        targetNode.push(n);
        targetId.push(t % outputs);
        targetWeight.push(tree.value[n] as number);
      }
    }
  });
  return {
    n_targets: attr.int(outputs),
    aggregate_function: attr.string('SUM'),
    post_transform: attr.string('NONE'),
    base_values: attr.floats(model.baseScores),
    nodes_treeids: attr.ints(nodeTree),
    nodes_nodeids: attr.ints(nodeId),
    nodes_featureids: attr.ints(nodeFeature),
    nodes_modes: attr.strings(nodeMode),
    nodes_values: attr.floats(nodeValue),
    nodes_truenodeids: attr.ints(nodeTrue),
    nodes_falsenodeids: attr.ints(nodeFalse),
    nodes_missing_value_tracks_true: attr.ints(nodeMissingTrue),
    target_treeids: attr.ints(targetTree),
    target_nodeids: attr.ints(targetNode),
    target_ids: attr.ints(targetId),
    target_weights: attr.floats(targetWeight),
  };
}
