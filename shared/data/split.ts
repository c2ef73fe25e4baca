// Seeded train / validation / holdout split. Classification splits are stratified so each
// class keeps its share in every part; a class too small for its share still gets one row in
// validation and holdout (from 3 rows up), so early stopping and evaluation see every class.
// Same table, same options, same split: rows are drawn with a seeded PRNG, never Math.random.
import { PlatformError } from '../errors.js';
import { seededRandom, shuffle } from './prng.js';
import type { Column, Table } from './table.js';

export interface SplitOptions {
  seed: number;
  validationFraction?: number;
  holdoutFraction?: number;
  /** Column to stratify by (the classification target); omitted for regression. */
  stratifyBy?: string;
}

export interface SplitRows {
  /** Row indices into the source table, ascending, so each part keeps the file's order. */
  train: number[];
  validation: number[];
  holdout: number[];
}

function strata(table: Table, column: Column | undefined): number[][] {
  if (column === undefined) return [Array.from({ length: table.rowCount }, (_, i) => i)];
  const groups = new Map<string | number | null, number[]>();
  for (let row = 0; row < table.rowCount; row += 1) {
    const raw = column.values[row] ?? null;
    const key = typeof raw === 'number' && Number.isNaN(raw) ? null : raw;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return [...groups.values()];
}

function shares(size: number, validationFraction: number, holdoutFraction: number): [number, number] {
  if (size < 2) return [0, 0];
  if (size === 2) return [0, 1];
  let holdout = Math.max(1, Math.round(size * holdoutFraction));
  let validation = Math.max(1, Math.round(size * validationFraction));
  while (holdout + validation >= size) {
    if (holdout >= validation) holdout -= 1;
    else validation -= 1;
  }
  return [validation, holdout];
}

export function splitRows(table: Table, options: SplitOptions): SplitRows {
  const validationFraction = options.validationFraction ?? 0.15;
  const holdoutFraction = options.holdoutFraction ?? 0.15;
  if (!(validationFraction >= 0 && holdoutFraction >= 0 && validationFraction + holdoutFraction < 1)) {
    throw new PlatformError(
      'INVALID_INPUT',
      'validationFraction and holdoutFraction must be >= 0 and sum to less than 1',
      {
        validationFraction,
        holdoutFraction,
      },
    );
  }
  const column = options.stratifyBy === undefined ? undefined : table.columns.get(options.stratifyBy);
  if (options.stratifyBy !== undefined && column === undefined) {
    throw new PlatformError(
      'INVALID_INPUT',
      `Cannot stratify by '${options.stratifyBy}': the table has no such column.`,
      { column: options.stratifyBy },
    );
  }
  const random = seededRandom(options.seed);
  const parts: SplitRows = { train: [], validation: [], holdout: [] };
  for (const group of strata(table, column)) {
    const rows = shuffle([...group], random);
    const [validation, holdout] = shares(rows.length, validationFraction, holdoutFraction);
    parts.holdout.push(...rows.slice(0, holdout));
    parts.validation.push(...rows.slice(holdout, holdout + validation));
    parts.train.push(...rows.slice(holdout + validation));
  }
  const ascending = (a: number, b: number): number => a - b;
  return {
    train: parts.train.sort(ascending),
    validation: parts.validation.sort(ascending),
    holdout: parts.holdout.sort(ascending),
  };
}

/** A new Table holding the given rows of `table`, in the order given. */
export function takeRows(table: Table, rows: readonly number[]): Table {
  const columns = new Map<string, Column>();
  for (const [name, column] of table.columns) {
    if (column.kind === 'numeric') {
      const values = new Float64Array(rows.length);
      rows.forEach((row, i) => {
        values[i] = column.values[row] ?? Number.NaN;
      });
      columns.set(name, { kind: 'numeric', values });
    } else {
      columns.set(name, { kind: 'categorical', values: rows.map((row) => column.values[row] ?? null) });
    }
  }
  return { names: table.names, columns, rowCount: rows.length };
}
