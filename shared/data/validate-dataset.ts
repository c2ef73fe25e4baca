// Turns raw cells into a typed Table, collecting every problem before failing, so a user fixes
// a file once instead of once per error. Problems of one kind in one column are grouped, with
// the first rows named and the total counted, which keeps the error body bounded on big files.
import { PlatformError } from '../errors.js';
import { defaultLimits, type Dataset, type DatasetOptions } from './dataset.js';
import { inferSchema } from './infer-schema.js';
import { arrayColumn, isMissing, numberOf, typedCell, type RawColumn, type RawTable } from './raw-table.js';
import type { Column, FeatureSpec } from './table.js';

export type DatasetProblemKind =
  | 'FILE_TOO_LARGE'
  | 'MALFORMED_FILE'
  | 'NO_HEADER'
  | 'EMPTY_COLUMN_NAME'
  | 'LONG_COLUMN_NAME'
  | 'DUPLICATE_COLUMN_NAME'
  | 'ROW_LENGTH'
  | 'MISSING_COLUMN'
  | 'MISSING_TARGET'
  | 'MISSING_TARGET_VALUE'
  | 'SINGLE_CLASS_TARGET'
  | 'TOO_MANY_CLASSES'
  | 'WRONG_TYPE'
  | 'TOO_MANY_MISSING'
  | 'TOO_FEW_ROWS'
  | 'STRAY_TEXT';

export interface DatasetProblem {
  kind: DatasetProblemKind;
  message: string;
  /** Column name, when the problem belongs to one. */
  column?: string;
  /** 1-based data rows (the header is row 0), the first few when there are many. */
  rows?: number[];
  /** How many cells or rows have the problem, when more than the rows listed. */
  count?: number;
}

const rowsListed = 10;
const maxNameLength = 256;

/** A row-level problem collector that lists the first rows and counts the rest. */
export class RowProblems {
  readonly rows: number[] = [];
  count = 0;
  add(rowIndex: number): void {
    this.count += 1;
    if (this.rows.length < rowsListed) this.rows.push(rowIndex + 1);
  }
}

export function tooLarge(maxBytes: number): DatasetProblem {
  return {
    kind: 'FILE_TOO_LARGE',
    message: `the file is larger than the limit of ${maxBytes} bytes; split it or raise the limit`,
  };
}

/** The ROW_LENGTH problem of rows that do not have the header's number of fields, if any. */
export function raggedRows(ragged: RowProblems, width: number): DatasetProblem[] {
  if (ragged.count === 0) return [];
  return [
    {
      kind: 'ROW_LENGTH',
      rows: ragged.rows,
      count: ragged.count,
      message: `${ragged.count} row(s) do not have the header's ${width} fields (first at row ${ragged.rows[0]})`,
    },
  ];
}

export function datasetError(problems: readonly DatasetProblem[]): PlatformError {
  const first = problems[0]?.message ?? 'unknown problem';
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem(s), listed in details)` : '';
  return new PlatformError(
    'INVALID_DATASET',
    `Invalid dataset: ${first}${more}. Fix the file and upload it again.`,
    { problems },
  );
}

/** Adds the header's problems; false when it is unusable (nothing after it can be checked). */
export function checkHeader(names: readonly string[], problems: DatasetProblem[]): boolean {
  if (names.length === 0) {
    problems.push({
      kind: 'NO_HEADER',
      message: 'the file is empty; a header row naming the columns is required',
    });
    return false;
  }
  if (names.every((name) => numberOf(name) !== undefined)) {
    problems.push({
      kind: 'NO_HEADER',
      message: `the first row (${names.slice(0, 5).join(', ')}) holds only numbers; add a header row naming the columns`,
    });
    return false;
  }
  const long = names.findIndex((name) => name.length > maxNameLength);
  if (long >= 0) {
    // Not quoted: every later message would carry the whole name.
    problems.push({
      kind: 'LONG_COLUMN_NAME',
      message: `column ${long + 1}'s name is ${names[long]!.length} characters long; at most ${maxNameLength} are allowed`,
    });
    return false;
  }
  const seen = new Map<string, number>();
  names.forEach((name, index) => {
    if (name.trim() === '') {
      problems.push({
        kind: 'EMPTY_COLUMN_NAME',
        message: `column ${index + 1} has an empty name; name every column`,
      });
      return;
    }
    const earlier = seen.get(name);
    if (earlier === undefined) seen.set(name, index);
    else {
      problems.push({
        kind: 'DUPLICATE_COLUMN_NAME',
        column: name,
        message: `column name '${name}' appears in columns ${earlier + 1} and ${index + 1}; names must be unique`,
      });
    }
  });
  return true;
}

function convert(spec: FeatureSpec, raw: RawColumn, wrong: RowProblems, missing: RowProblems): Column {
  const numbers = spec.type === 'numeric' ? raw.asNumbers() : undefined;
  if (numbers) {
    numbers.forEach((value, row) => {
      if (Number.isNaN(value)) missing.add(row);
    });
    return { kind: 'numeric', values: numbers };
  }
  const note = (row: number, typed: number | string | null) => {
    if (typed === null || (typeof typed === 'number' && Number.isNaN(typed))) {
      if (isMissing(raw.cell(row))) missing.add(row);
      else wrong.add(row);
    }
  };
  if (spec.type === 'categorical') {
    const values = Array.from({ length: raw.length }, (_, row) => {
      const value = typedCell('categorical', raw.cell(row)) as string | null;
      note(row, value);
      return value;
    });
    return { kind: 'categorical', values };
  }
  const values = new Float64Array(raw.length);
  for (let row = 0; row < raw.length; row += 1) {
    values[row] = typedCell(spec.type, raw.cell(row)) as number;
    note(row, values[row]!);
  }
  return { kind: 'numeric', values };
}

function distinctValues(column: Column, limit: number): number {
  const seen = new Set<string | number>();
  for (const value of column.values) {
    if (value === null || (typeof value === 'number' && Number.isNaN(value))) continue;
    seen.add(value);
    if (seen.size >= limit) break;
  }
  return seen.size;
}

/** The target column's name: `label` unless the options name another (or null for none). */
export const targetOf = (options: DatasetOptions): string | null =>
  options.target === undefined ? 'label' : options.target;

/** Problems of the file as a whole: its header, the declared columns and target, its size. */
export function checkShape(
  names: readonly string[],
  rowCount: number,
  options: DatasetOptions,
  problems: DatasetProblem[],
): void {
  const limits = { ...defaultLimits, ...options.limits };
  const target = targetOf(options);
  if (!checkHeader(names, problems)) throw datasetError(problems);
  for (const feature of options.features ?? []) {
    // A missing target is reported once, as MISSING_TARGET, even when the spec lists it too.
    if (feature.name !== target && !names.includes(feature.name)) {
      problems.push({
        kind: 'MISSING_COLUMN',
        column: feature.name,
        message: `the spec declares column '${feature.name}', which the file does not have`,
      });
    }
  }
  if (target !== null && !names.includes(target)) {
    problems.push({
      kind: 'MISSING_TARGET',
      column: target,
      message: `target column '${target}' is missing; add it or name the target in the model's spec`,
    });
  }
  if (rowCount < limits.minRows) {
    problems.push({
      kind: 'TOO_FEW_ROWS',
      count: rowCount,
      message: `the file has ${rowCount} data row(s); at least ${limits.minRows} are needed`,
    });
  }
}

/** What a column's cells showed once converted to its type. */
export interface ColumnFindings {
  readonly spec: FeatureSpec;
  /** Present cells that are not of the type. */
  readonly wrong: RowProblems;
  readonly missing: RowProblems;
  /** Distinct present values, counted up to 2 (only read for the target). */
  readonly distinct: number;
}

/** Adds a column's problems (or warnings, for stray text in an inferred numeric column). */
export function checkColumn(
  findings: ColumnFindings,
  rowCount: number,
  options: DatasetOptions,
  problems: DatasetProblem[],
  warnings: DatasetProblem[],
): void {
  const { spec, wrong } = findings;
  const limits = { ...defaultLimits, ...options.limits };
  const target = targetOf(options);
  const declared = spec.name === target || (options.features ?? []).some((f) => f.name === spec.name);
  let missing = findings.missing.count;
  if (wrong.count > 0 && !declared) {
    // Inferred numeric with a few stray tokens: those cells are missing values now.
    const present = rowCount - missing;
    missing += wrong.count;
    warnings.push({
      kind: 'STRAY_TEXT',
      column: spec.name,
      rows: wrong.rows,
      count: wrong.count,
      message: `column '${spec.name}' is numeric but ${wrong.count} of its ${present} values (${((100 * wrong.count) / present).toFixed(2)}%) are not numbers (first at row ${wrong.rows[0]}); they are read as missing`,
    });
  } else if (wrong.count > 0) {
    problems.push({
      kind: 'WRONG_TYPE',
      column: spec.name,
      rows: wrong.rows,
      count: wrong.count,
      message: `column '${spec.name}' is declared ${spec.type} but ${wrong.count} cell(s) are not (first at row ${wrong.rows[0]})`,
    });
  }
  if (spec.name === target) {
    if (missing > 0) {
      const rows = findings.missing.rows;
      problems.push({
        kind: 'MISSING_TARGET_VALUE',
        column: spec.name,
        rows,
        count: missing,
        message: `target '${spec.name}' is missing in ${missing} row(s) (first at row ${rows[0]}); fill or drop those rows`,
      });
    }
    if (rowCount > 0 && findings.distinct < 2) {
      problems.push({
        kind: 'SINGLE_CLASS_TARGET',
        column: spec.name,
        message: `target '${spec.name}' has a single value; a model needs at least two classes (or distinct values) to learn from`,
      });
    }
  } else if (rowCount > 0 && missing / rowCount > limits.maxMissingFraction) {
    problems.push({
      kind: 'TOO_MANY_MISSING',
      column: spec.name,
      count: missing,
      message: `column '${spec.name}' is missing in ${missing} of ${rowCount} rows, above the limit of ${Math.round(limits.maxMissingFraction * 100)}%`,
    });
  }
}

/**
 * Validates raw cells against the options and returns the typed Dataset, or throws one
 * INVALID_DATASET PlatformError whose `details.problems` lists every problem found, including
 * the reader's own (`readProblems`: size, malformed quoting, ragged rows).
 */
export function validateDataset(
  raw: RawTable,
  options: DatasetOptions = {},
  readProblems: readonly DatasetProblem[] = [],
): Dataset {
  const target = targetOf(options);
  const problems: DatasetProblem[] = [...readProblems];
  checkShape(raw.names, raw.rowCount, options, problems);
  const schema = inferSchema(raw, { ...options, target });
  const columns = new Map<string, Column>();
  const warnings: DatasetProblem[] = [];
  schema.forEach((spec, index) => {
    const wrong = new RowProblems();
    const missing = new RowProblems();
    const column = convert(spec, raw.columns[index] ?? arrayColumn([]), wrong, missing);
    if (!columns.has(spec.name)) columns.set(spec.name, column);
    const distinct = spec.name === target ? distinctValues(column, 2) : 0;
    checkColumn({ spec, wrong, missing, distinct }, raw.rowCount, options, problems, warnings);
  });
  if (problems.length > 0) throw datasetError(problems);
  return { names: raw.names, columns, rowCount: raw.rowCount, schema, target, warnings };
}
