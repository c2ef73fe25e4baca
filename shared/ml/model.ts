// What a trained tabular model is, independent of how it was trained or where it is served:
// the feature schema (with the category order the graph maps strings to), the classes and the
// fitted parameters. Exporters turn it into ONNX; predict.ts scores it in-process for parity.
import type { FeatureType, Task } from '../data/kinds.js';

export type { Algorithm, Task } from '../data/kinds.js';

export interface ModelFeature {
  name: string;
  type: FeatureType;
  /** Categorical only: the kept categories; position = the code the model sees. Others count as missing. */
  categories?: string[];
}

/**
 * One regression tree in flat arrays. Internal node n sends a row left when its value x
 * (as float32, the precision the ONNX graph sees) satisfies x < threshold[n], or, on a
 * categorical feature with categorySets[n] set, when x's category code is in that set; a
 * missing x goes left when missingLeft[n] is 1. left[n] is -1 for a leaf, whose output is value[n].
 */
export interface Tree {
  feature: Int32Array;
  threshold: Float32Array;
  /** The same split in bin space: bin <= bin[n] goes left. Used while training. */
  bin: Uint8Array;
  missingLeft: Uint8Array;
  /** Per node: the category codes that go left as a 256-bit set (see category-set.ts), or null for a threshold split. */
  categorySets: (Uint32Array | null)[];
  left: Int32Array;
  right: Int32Array;
  /** Leaf outputs, learning rate applied and rounded to float32 as stored in the graph. */
  value: Float64Array;
}

export interface GbdtModel {
  kind: 'gbdt';
  task: Task;
  features: ModelFeature[];
  /** Class names for classification (index = class id), empty for regression. */
  classes: string[];
  /** One raw score per output: 1 for binary (the positive class's logit) and regression, C for multiclass. */
  baseScores: number[];
  /** Round-major: tree r * outputs + k adds to output k. */
  trees: Tree[];
}

export interface LinearModel {
  kind: 'linear';
  task: Task;
  features: ModelFeature[];
  classes: string[];
  /** Numeric features in feature order: the imputed value (training mean) and the standard deviation. */
  numericMeans: Float64Array;
  numericScales: Float64Array;
  /** outputs x inputs, row-major, over [scaled numerics..., one-hot blocks of categoricals...]. */
  weights: Float64Array;
  intercepts: Float64Array;
}

export type TabularModel = GbdtModel | LinearModel;

/** Raw score columns the model computes: 1 for binary and regression, one per class for multiclass. */
export function outputCount(task: Task, classCount: number): number {
  return task === 'multiclass' ? classCount : 1;
}
