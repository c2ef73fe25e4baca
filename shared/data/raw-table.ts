// The cells of a file before types are settled: CSV gives strings, Parquet gives typed values.
// Validation turns a RawTable into a Table, so both formats share one set of checks.
import type { FeatureType } from './kinds.js';

export type RawCell = string | number | boolean | null;

export interface RawColumn {
  readonly length: number;
  /** The cell of data row `row` (0-based, header excluded). */
  cell(row: number): RawCell;
  /**
   * Every cell as a number (NaN where missing) when all present cells are plain numbers, so
   * numeric columns skip per-cell work and become Table columns without a copy; else undefined.
   */
  asNumbers(): Float64Array | undefined;
}

export interface RawTable {
  readonly names: readonly string[];
  readonly columns: readonly RawColumn[];
  readonly rowCount: number;
}

/** A RawColumn over cells already in memory. */
export function arrayColumn(cells: readonly RawCell[]): RawColumn {
  return { length: cells.length, cell: (row) => cells[row] ?? null, asNumbers: () => undefined };
}

/** A RawColumn of numbers, NaN where missing (typed Parquet columns). */
export function numberColumn(values: Float64Array): RawColumn {
  return { length: values.length, cell: (row) => values[row] ?? null, asNumbers: () => values };
}

// The spellings data tools write for "no value"; trimmed cells are compared. "None" and "?"
// are left out on purpose: in real data they are often a category (Ames: no masonry veneer).
const missingTokens = new Set(['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL']);
const longestMissingToken = 4;

export function isMissing(cell: RawCell): boolean {
  if (cell === null) return true;
  if (typeof cell === 'number') return Number.isNaN(cell);
  if (typeof cell === 'boolean') return false;
  return cell.length <= longestMissingToken && missingTokens.has(cell);
}

/** The number a present cell holds, or undefined when it is not a number. */
export function numberOf(cell: RawCell): number | undefined {
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : undefined;
  if (typeof cell === 'boolean') return cell ? 1 : 0;
  if (typeof cell === 'string') {
    // Every cell of every pass comes here, so Number() parses first (a regex costs more than
    // the parse); then decimal notation only: Number() also takes "0x1F", "Infinity", "" and
    // blanks around the digits.
    const value = Number(cell);
    if (
      !Number.isNaN(value) &&
      isDecimalStart(cell.charCodeAt(0)) &&
      isDecimalEnd(cell.charCodeAt(cell.length - 1))
    ) {
      const second = cell.charCodeAt(1) | 32;
      // x, o, b: a radix prefix ("0x1F", "0b1", "0o7").
      if (second !== 120 && second !== 111 && second !== 98) return value;
    }
  }
  return undefined;
}

/** A digit, a sign or a point. */
const isDecimalStart = (code: number): boolean =>
  (code >= 48 && code <= 57) || code === 43 || code === 45 || code === 46;
/** A digit or a point. */
const isDecimalEnd = (code: number): boolean => (code >= 48 && code <= 57) || code === 46;

const trueTokens = new Set(['true', 'yes', 't', 'y']);
const falseTokens = new Set(['false', 'no', 'f', 'n']);

/** 1 or 0 for a present boolean-looking cell (true/false, yes/no, 1/0), else undefined. */
export function booleanOf(cell: RawCell): number | undefined {
  if (typeof cell === 'boolean') return cell ? 1 : 0;
  if (typeof cell === 'number') return cell === 0 || cell === 1 ? cell : undefined;
  if (cell === null) return undefined;
  const token = cell.toLowerCase();
  if (trueTokens.has(token) || token === '1') return 1;
  if (falseTokens.has(token) || token === '0') return 0;
  return undefined;
}

/** Whether a cell spells a word boolean (true/false/yes/no); 0/1 columns stay numeric when inferred. */
export function isBooleanWord(cell: RawCell): boolean {
  if (typeof cell === 'boolean') return true;
  if (typeof cell !== 'string') return false;
  const token = cell.toLowerCase();
  return trueTokens.has(token) || falseTokens.has(token);
}

export function textOf(cell: RawCell): string {
  return typeof cell === 'string' ? cell : String(cell);
}

/**
 * A cell as a Table column of `type` holds it: numbers (booleans as 0/1) with NaN where the
 * cell is missing or not of the type, text with null where missing.
 */
export function typedCell(type: FeatureType, cell: RawCell): number | string | null {
  if (type === 'categorical') return isMissing(cell) ? null : textOf(cell);
  if (isMissing(cell)) return Number.NaN;
  return (type === 'boolean' ? booleanOf(cell) : numberOf(cell)) ?? Number.NaN;
}

/** A Parquet value as a cell: numbers, text and booleans as they are, anything else as text. */
export function cellOf(value: unknown): RawCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  // Nested and binary values have no tabular feature type; they are kept as text (categorical).
  return JSON.stringify(value, (_key, inner: unknown) => (typeof inner === 'bigint' ? Number(inner) : inner));
}
