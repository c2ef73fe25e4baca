// Seeded train / validation / holdout split. Classification splits are stratified so each
// class keeps its share in every part; a class too small for its share still gets one row in
// validation and holdout (from 3 rows up), so early stopping and evaluation see every class.
// Same rows, same options, same split: rows are drawn with a seeded PRNG, never Math.random,
// and a table in memory and a file streamed row by row split the same way.
import { PlatformError } from '../errors.js';
import { seededRandom, type Random } from './prng.js';
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

export type SplitPart = keyof SplitRows;

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

/**
 * Assigns rows to parts one at a time, in file order, knowing only each stratum's size: every
 * row is drawn into holdout or validation with the chance of the places its stratum still has
 * there over the rows it still has (selection sampling), which picks a uniformly random subset
 * of exactly the planned size. So a file of any length is split in one pass, holding only a
 * few counters per stratum.
 */
export class SplitSampler {
  private readonly random: Random;
  private readonly left = new Map<string, { rows: number; validation: number; holdout: number }>();

  /** `strata`: the rows of each stratum (one, of any key, for an unstratified split). */
  constructor(strata: ReadonlyMap<string, number>, options: SplitOptions) {
    const validationFraction = options.validationFraction ?? 0.15;
    const holdoutFraction = options.holdoutFraction ?? 0.15;
    if (!(validationFraction >= 0 && holdoutFraction >= 0 && validationFraction + holdoutFraction < 1)) {
      throw new PlatformError(
        'INVALID_INPUT',
        'validationFraction and holdoutFraction must be >= 0 and sum to less than 1',
        { validationFraction, holdoutFraction },
      );
    }
    this.random = seededRandom(options.seed);
    for (const [key, rows] of strata) {
      const [validation, holdout] = shares(rows, validationFraction, holdoutFraction);
      this.left.set(key, { rows, validation, holdout });
    }
  }

  /** The part of the next row of stratum `key`; called once per row of the stratum's declared size. */
  next(key: string): SplitPart {
    const left = this.left.get(key);
    if (left === undefined || left.rows === 0)
      throw new RangeError(`more rows of stratum '${key}' than were counted`);
    const draw = this.random() * left.rows;
    left.rows -= 1;
    if (draw < left.holdout) {
      left.holdout -= 1;
      return 'holdout';
    }
    if (draw < left.holdout + left.validation) {
      left.validation -= 1;
      return 'validation';
    }
    return 'train';
  }
}

/** The stratum of a row: its class as text, or one stratum for all rows when not stratified. */
const keyOf = (column: Column | undefined, row: number): string =>
  column === undefined ? '' : String(column.values[row] ?? '');

export function splitRows(table: Table, options: SplitOptions): SplitRows {
  const column = options.stratifyBy === undefined ? undefined : table.columns.get(options.stratifyBy);
  if (options.stratifyBy !== undefined && column === undefined) {
    throw new PlatformError(
      'INVALID_INPUT',
      `Cannot stratify by '${options.stratifyBy}': the table has no such column.`,
      { column: options.stratifyBy },
    );
  }
  const strata = new Map<string, number>();
  for (let row = 0; row < table.rowCount; row += 1) {
    const key = keyOf(column, row);
    strata.set(key, (strata.get(key) ?? 0) + 1);
  }
  const sampler = new SplitSampler(strata, options);
  const parts: SplitRows = { train: [], validation: [], holdout: [] };
  for (let row = 0; row < table.rowCount; row += 1) parts[sampler.next(keyOf(column, row))].push(row);
  return parts;
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
