// The target column as numbers a loss can use: class indices for classification (classes named
// as strings, sorted numerically when they all are numbers), values for regression.
import { PlatformError } from '../errors.js';
import type { Column } from '../data/table.js';
import { numericAsText } from './features.js';

function labelsOf(column: Column): readonly (string | null)[] {
  return column.kind === 'categorical' ? column.values : numericAsText(column.values);
}

function missingTarget(name: string, row: number): PlatformError {
  return new PlatformError('INVALID_DATASET', `Target '${name}' is missing in data row ${row + 1}.`, {
    column: name,
    row: row + 1,
  });
}

/** The sorted set of class names over the given target columns. */
export function classesOf(columns: readonly Column[]): string[] {
  const seen = new Set<string>();
  for (const column of columns) for (const v of labelsOf(column)) if (v !== null) seen.add(v);
  const names = [...seen];
  const numeric = names.every((n) => Number.isFinite(Number(n)) && n.trim() !== '');
  return numeric ? names.sort((a, b) => Number(a) - Number(b)) : names.sort();
}

/** Class index per row, as float64 so every objective reads one target array type. */
export function classIndices(column: Column, classes: readonly string[], name: string): Float64Array {
  const index = new Map(classes.map((c, i) => [c, i] as const));
  const labels = labelsOf(column);
  const out = new Float64Array(labels.length);
  for (let r = 0; r < labels.length; r++) {
    const label = labels[r];
    if (label === null || label === undefined) throw missingTarget(name, r);
    const i = index.get(label);
    if (i === undefined) {
      throw new PlatformError(
        'INVALID_DATASET',
        `Target '${name}' has class '${label}' (data row ${r + 1}) that training never saw.`,
        {
          column: name,
          row: r + 1,
        },
      );
    }
    out[r] = i;
  }
  return out;
}

export function regressionTarget(column: Column, name: string): Float64Array {
  if (column.kind !== 'numeric') {
    throw new PlatformError('INVALID_DATASET', `Regression target '${name}' must be numeric.`, {
      column: name,
    });
  }
  column.values.forEach((v, r) => {
    if (Number.isNaN(v)) throw missingTarget(name, r);
  });
  return column.values;
}
