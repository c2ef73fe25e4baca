// Turns table columns into the numbers models see. Numeric and boolean columns pass through
// (NaN = missing). A categorical column keeps its frequent categories, each mapped to a code;
// rare, unseen and missing categories all become NaN, which trees route with a learned default
// direction and the ONNX LabelEncoder reproduces with its NaN default.
import { PlatformError } from '../errors.js';
import type { Column, FeatureSpec, Table } from '../data/table.js';
import type { ModelFeature } from './model.js';

export interface CategoryOptions {
  maxCategories: number;
  /** Categories seen fewer times than this in training are treated as missing. */
  minCount: number;
}

// Pseudo-count pulling a category's target mean toward the global mean when ordering. The
// order comes from the very targets the trees then fit, so a small category's extreme mean
// would rank it at an end where one cut isolates it and its noise looks like signal; a
// category needs several leaves' worth of rows (the default leaf minimum is 20) to move far.
const smoothing = 50;

/**
 * The kept categories of a column, most frequent first, or, when a numeric target is given,
 * ordered by smoothed target mean: a tree split on that order is the best binary partition of
 * the categories for squared error and log loss (Fisher 1958), so trees need no one-hot.
 */
export function rankCategories(
  values: readonly (string | null)[],
  target: Float64Array | null,
  options: CategoryOptions,
): string[] {
  const stats = new Map<string, { count: number; sum: number }>();
  let total = 0;
  let present = 0;
  for (let r = 0; r < values.length; r++) {
    const v = values[r];
    if (v === null || v === undefined) continue;
    const y = target ? (target[r] as number) : 0;
    const s = stats.get(v);
    if (s) {
      s.count += 1;
      s.sum += y;
    } else stats.set(v, { count: 1, sum: y });
    total += y;
    present += 1;
  }
  const kept = [...stats.entries()]
    .filter(([, s]) => s.count >= options.minCount)
    .sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1))
    .slice(0, options.maxCategories);
  if (!target) return kept.map(([name]) => name);
  const mean = total / Math.max(1, present);
  const score = (s: { count: number; sum: number }): number =>
    (s.sum + smoothing * mean) / (s.count + smoothing);
  return kept.sort((a, b) => score(a[1]) - score(b[1]) || (a[0] < b[0] ? -1 : 1)).map(([name]) => name);
}

export function columnOf(table: Table, name: string): Column {
  const column = table.columns.get(name);
  if (!column)
    throw new PlatformError('INVALID_DATASET', `Column '${name}' is missing from the data set.`, {
      column: name,
    });
  return column;
}

/** The model's feature list: every listed column, categorical ones with their kept categories. */
export function buildFeatures(
  table: Table,
  specs: readonly FeatureSpec[],
  target: Float64Array | null,
  options: CategoryOptions,
): ModelFeature[] {
  return specs.map((spec) => {
    const column = columnOf(table, spec.name);
    if (spec.type !== 'categorical') {
      if (column.kind !== 'numeric') {
        throw new PlatformError(
          'INVALID_DATASET',
          `Column '${spec.name}' is declared ${spec.type} but holds text.`,
          { column: spec.name },
        );
      }
      return { name: spec.name, type: spec.type };
    }
    const values = column.kind === 'categorical' ? column.values : numericAsText(column.values);
    return { name: spec.name, type: 'categorical', categories: rankCategories(values, target, options) };
  });
}

/** One Float64Array per feature: numbers as they are, categories as codes, missing as NaN. */
export function encodeColumns(table: Table, features: readonly ModelFeature[]): Float64Array[] {
  return features.map((feature) => {
    const column = columnOf(table, feature.name);
    if (feature.type !== 'categorical') {
      if (column.kind !== 'numeric') {
        throw new PlatformError('INVALID_DATASET', `Column '${feature.name}' must be numeric.`, {
          column: feature.name,
        });
      }
      return column.values;
    }
    const codes = new Map((feature.categories ?? []).map((c, i) => [c, i] as const));
    const values = column.kind === 'categorical' ? column.values : numericAsText(column.values);
    const out = new Float64Array(values.length);
    for (let r = 0; r < values.length; r++) {
      const v = values[r];
      out[r] = v === null || v === undefined ? Number.NaN : (codes.get(v) ?? Number.NaN);
    }
    return out;
  });
}

/** The text a served request carries for a number in a categorical column (missing stays null). */
export function numericAsText(values: Float64Array): (string | null)[] {
  return Array.from(values, (v) => (Number.isNaN(v) ? null : String(v)));
}
