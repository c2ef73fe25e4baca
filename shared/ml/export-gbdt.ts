// A boosted tree model as an ONNX graph: categorical inputs through LabelEncoder to codes,
// all features concatenated, one ai.onnx.ml TreeEnsembleRegressor summing every tree into
// the raw scores (missing values follow each node's learned default), then the shared head.
// Category-set splits become chains of BRANCH_EQ nodes (see setChain): onnxruntime 1.30 also
// runs ai.onnx.ml 5's TreeEnsemble with BRANCH_MEMBER nodes, but that operator replaces this
// one in opset 5, and the chains keep every model on the operator all runtimes since 1.10 load.
import { attr, mlDomain, OnnxGraph, type Attribute } from './onnx-graph.js';
import { inSet, setMembers } from './category-set.js';
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

function treeAttributes(model: GbdtModel, outputs: number): Record<string, Attribute> {
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
  const branch = (
    t: number,
    id: number,
    feature: number,
    mode: string,
    value: number,
    to: [number, number],
    missingTrue: boolean,
  ): void => {
    nodeTree.push(t);
    nodeId.push(id);
    nodeFeature.push(feature);
    nodeMode.push(mode);
    nodeValue.push(value);
    nodeTrue.push(to[0]);
    nodeFalse.push(to[1]);
    nodeMissingTrue.push(missingTrue ? 1 : 0);
  };
  model.trees.forEach((tree, t) => {
    // Ids for the extra nodes of category-set chains follow the tree's own node ids.
    let nextId = tree.left.length;
    for (let n = 0; n < tree.left.length; n++) {
      const feature = tree.feature[n] as number;
      const left = tree.left[n] as number;
      const right = tree.right[n] as number;
      const missingLeft = tree.missingLeft[n] === 1;
      const set = tree.categorySets[n];
      if (left < 0) {
        branch(t, n, 0, 'LEAF', 0, [0, 0], false);
        targetTree.push(t);
        targetNode.push(n);
        targetId.push(t % outputs);
        targetWeight.push(tree.value[n] as number);
      } else if (!set) {
        branch(t, n, feature, 'BRANCH_LT', tree.threshold[n] as number, [left, right], missingLeft);
      } else {
        const categories = model.features[feature]?.categories?.length ?? 0;
        const chain = setChain(set, categories, left, right, missingLeft);
        if (chain.codes.length === 0) {
          // No code to test: every code (0..categories-1) goes one way, missing values the other.
          const threshold = chain.inSet === left ? 0 : categories;
          branch(t, n, feature, 'BRANCH_LT', threshold, [left, right], missingLeft);
          continue;
        }
        const ids = chain.codes.map((_, i) => (i === 0 ? n : nextId++));
        chain.codes.forEach((code, i) => {
          const next = i + 1 < ids.length ? (ids[i + 1] as number) : chain.notInSet;
          branch(
            t,
            ids[i] as number,
            feature,
            'BRANCH_EQ',
            code,
            [chain.inSet, next],
            chain.missingInSet && i === 0,
          );
        });
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

/**
 * A category-set split as a chain of BRANCH_EQ nodes: each tests one code and sends a match
 * to `inSet`, a miss on down the chain, the last miss to `notInSet`. The chain lists the
 * smaller of the set and its complement among the feature's codes (swapping the children),
 * so a split costs at most half the categories in nodes. A missing value (also an unseen
 * category, which the LabelEncoder maps to NaN) goes to `inSet` at the first node when it
 * belongs there, else fails every test.
 */
function setChain(
  set: Uint32Array,
  categories: number,
  left: number,
  right: number,
  missingLeft: boolean,
): { codes: number[]; inSet: number; notInSet: number; missingInSet: boolean } {
  const members = setMembers(set, categories);
  if (members.length <= categories - members.length) {
    return { codes: members, inSet: left, notInSet: right, missingInSet: missingLeft };
  }
  const complement = Array.from({ length: categories }, (_, c) => c).filter((c) => !inSet(set, c));
  return { codes: complement, inSet: right, notInSet: left, missingInSet: !missingLeft };
}
