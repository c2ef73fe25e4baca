// POST /api/models/{model}/score (DESIGN.md section 4): `{"rows": [{feature: value}, ...]}` in,
// `{"model","version","alias","predictions"}` (+ `probabilities` and `classes` for
// classification) out. Every row is checked against the served version's features; the
// first bad one is a 400 naming its row and field.
import { PlatformError } from '../errors.js';
import type { ModelInterface } from '../ml/model-interface.js';
import type { ModelFeature } from '../ml/model.js';
import type { Scored } from './scores.js';
import type { Table } from '../data/table.js';
import { TableBuilder } from './table-builder.js';
import { tooManyRows } from './request-body.js';
import { checkRow, float32Max, type RawValue } from './row-values.js';

function fault(message: string, details: Record<string, unknown>): PlatformError {
  return new PlatformError('INVALID_INPUT', message, details);
}

/** The rows of a score request body, checked for shape and count only. */
export function rowsOf(body: unknown, maxRows: number): Record<string, unknown>[] {
  if (
    typeof body !== 'object' ||
    body === null ||
    Array.isArray(body) ||
    !Array.isArray((body as { rows?: unknown }).rows)
  ) {
    throw fault('The body must be a JSON object with "rows": an array of {feature: value} objects.', {
      field: 'rows',
    });
  }
  const extra = Object.keys(body).find((key) => key !== 'rows');
  if (extra !== undefined)
    throw fault(`Unknown field '${extra}' in the body; only "rows" is allowed.`, { field: extra });
  const rows = (body as { rows: unknown[] }).rows;
  if (rows.length === 0) throw fault('"rows" is empty; send at least one row.', { field: 'rows' });
  if (rows.length > maxRows) throw tooManyRows(rows.length, maxRows, 'rows');
  rows.forEach((row, index) => {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      throw fault(`Row ${index} must be an object of feature values.`, {
        field: `rows.${index}`,
        row: index,
      });
    }
  });
  return rows as Record<string, unknown>[];
}

/** The checked table of the rows for a model, or a 400 naming the first bad row and field. */
export function rowsTable(rows: readonly Record<string, unknown>[], meta: ModelInterface): Table {
  const builder = new TableBuilder(meta.features, rows.length);
  rows.forEach((row, index) => {
    if (!setPlainRow(builder, meta.features, row, index)) setCheckedRow(builder, meta.features, row, index);
  });
  return builder.table();
}

/**
 * Sets a row that holds exactly the features, each numeric feature as a number the graph can
 * take: what nearly every request sends, set without the per-value checks. False for any
 * other row, which the full checks then set or refuse (values set so far are overwritten).
 */
function setPlainRow(
  builder: TableBuilder,
  features: readonly ModelFeature[],
  row: Record<string, unknown>,
  index: number,
): boolean {
  for (let f = 0; f < features.length; f++) {
    const feature = features[f]!;
    const value = Object.hasOwn(row, feature.name) ? row[feature.name] : undefined;
    // NaN and the infinities fail the comparison.
    if (feature.type !== 'numeric' || typeof value !== 'number' || !(Math.abs(value) <= float32Max))
      return false;
    builder.set(f, index, value);
  }
  return Object.keys(row).length === features.length;
}

function setCheckedRow(
  builder: TableBuilder,
  features: readonly ModelFeature[],
  row: Record<string, unknown>,
  index: number,
): void {
  for (const [field, value] of Object.entries(row)) {
    if (typeof value === 'object' && value !== null) {
      throw fault(`Row ${index}: field '${field}' must be a number, string, boolean or null.`, {
        field: `rows.${index}.${field}`,
        row: index,
      });
    }
  }
  const checked = checkRow(features, row as Record<string, RawValue>);
  if (!checked.ok) {
    throw fault(`Row ${index}: ${checked.reason}.`, {
      field: `rows.${index}.${checked.field}`,
      row: index,
    });
  }
  checked.values.forEach((value, feature) => builder.set(feature, index, value));
}

export function scoreBody(scored: Scored): Record<string, unknown> {
  const { scores, meta } = scored;
  const body: Record<string, unknown> = {
    model: scored.model,
    version: scored.version,
    alias: scored.alias ?? null,
    predictions: scores.labels ? [...scores.labels] : Array.from(scores.values ?? []),
  };
  if (scores.probabilities) {
    const width = meta.classes.length;
    body.probabilities = Array.from({ length: scored.table.rowCount }, (_, row) =>
      Array.from(scores.probabilities!.subarray(row * width, (row + 1) * width)),
    );
    body.classes = meta.classes;
  }
  return body;
}

/** The headers every answer carries to say which version answered. */
export function versionHeaders(scored: { version: number; alias?: string }): Record<string, string> {
  return { 'x-model-version': String(scored.version), 'x-model-alias': scored.alias ?? '' };
}
