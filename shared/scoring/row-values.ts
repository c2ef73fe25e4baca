// Checks the raw values of a row to be scored against the model's feature schema, the same way
// whether they came from a JSON request or a CSV cell: a number for numeric and boolean features,
// text for categorical ones. Missing values are allowed (the graph imputes them); an absent
// feature, a wrong type or a number the float32 graph input cannot hold is refused with a reason.
import { booleanOf, isMissing, numberOf, textOf } from '../data/raw-table.js';
import type { ModelFeature } from '../ml/model.js';

/** What a JSON value or a CSV cell can be; undefined = the row has no such field. */
export type RawValue = string | number | boolean | null | undefined;

/** What the model is fed: a number (NaN = missing) for numeric and boolean features, text (null = missing) for categorical. */
export type FeatureValue = number | string | null;

export type ValueCheck = { ok: true; value: FeatureValue } | { ok: false; reason: string };

export type RowCheck = { ok: true; values: FeatureValue[] } | { ok: false; field: string; reason: string };

// Model inputs are float32: a larger finite double would reach the graph as Infinity.
export const float32Max = 3.4028234663852886e38;

/** The typed value of one raw value for a feature, or why it cannot be scored (naming the field). */
export function checkValue(feature: ModelFeature, raw: RawValue): ValueCheck {
  if (raw === undefined) return refuse(feature, 'is missing from the row');
  if (typeof raw === 'number' && !Number.isFinite(raw) && !Number.isNaN(raw)) {
    return refuse(feature, `must be a finite number, got ${String(raw)}`);
  }
  if (isMissing(raw)) return { ok: true, value: feature.type === 'categorical' ? null : Number.NaN };
  if (feature.type === 'categorical') return { ok: true, value: textOf(raw) };
  const value = feature.type === 'boolean' ? booleanOf(raw) : numberOf(raw);
  if (value === undefined) {
    const expected = feature.type === 'boolean' ? 'a boolean (true/false, 1/0)' : 'a finite number';
    return refuse(feature, `must be ${expected}, got ${describe(raw)}`);
  }
  if (Math.abs(value) > float32Max) return refuse(feature, `is out of the float32 range, got ${value}`);
  return { ok: true, value };
}

export interface RowOptions {
  /** Fields that are not features: refused (a JSON request) or ignored (a CSV's extra columns). */
  unknownFields: 'reject' | 'ignore';
}

/** The row's values in feature order, or the first field that cannot be scored and why. */
export function checkRow(
  features: readonly ModelFeature[],
  row: Readonly<Record<string, RawValue>>,
  options: RowOptions = { unknownFields: 'reject' },
): RowCheck {
  if (options.unknownFields === 'reject') {
    const known = featureNames(features);
    const unknown = Object.keys(row).find((name) => !known.has(name));
    if (unknown !== undefined) {
      return { ok: false, field: unknown, reason: `'${unknown}' is not a feature of the model` };
    }
  }
  const values: FeatureValue[] = [];
  for (const feature of features) {
    const raw = Object.hasOwn(row, feature.name) ? row[feature.name] : undefined;
    const checked = checkValue(feature, raw);
    if (!checked.ok) return { ok: false, field: feature.name, reason: checked.reason };
    values.push(checked.value);
  }
  return { ok: true, values };
}

// One name set per model interface, not one per row checked.
const names = new WeakMap<readonly ModelFeature[], ReadonlySet<string>>();

function featureNames(features: readonly ModelFeature[]): ReadonlySet<string> {
  let known = names.get(features);
  if (!known) names.set(features, (known = new Set(features.map((f) => f.name))));
  return known;
}

function refuse(feature: ModelFeature, problem: string): ValueCheck {
  return { ok: false, reason: `feature '${feature.name}' ${problem}` };
}

function describe(raw: string | number | boolean | null): string {
  return typeof raw === 'string'
    ? JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}...` : raw)
    : String(raw);
}
