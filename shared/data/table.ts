// The in-memory, columnar form of a tabular data set, shared by validation, profiling,
// splitting, training and evaluation. Missing numeric values are NaN; missing categories null.

import type { FeatureType } from './kinds.js';

export type { FeatureType };

export interface FeatureSpec {
  name: string;
  type: FeatureType;
}

/** Booleans are stored (and served) as numeric 0/1, so the model sees a float input for them. */
export type Column =
  | { readonly kind: 'numeric'; readonly values: Float64Array }
  | { readonly kind: 'categorical'; readonly values: readonly (string | null)[] };

export interface Table {
  /** Column names in file order. */
  readonly names: readonly string[];
  readonly columns: ReadonlyMap<string, Column>;
  readonly rowCount: number;
}
