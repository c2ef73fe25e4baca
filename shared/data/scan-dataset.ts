// Validation of a file streamed row by row, in memory bounded by its columns, not its rows:
// each column keeps the counts its type is inferred from and the first rows of each problem
// (missing, not a number, not a boolean), and the target its classes, so the same rules as for
// a table in memory (validate-dataset.ts) run at the end, with every problem's rows and
// columns. The target's task, when not given, is inferred from the same pass.
import type { DatasetOptions } from './dataset.js';
import { CellCounts } from './infer-schema.js';
import type { Task } from './kinds.js';
import type { ChunkedFile, RawChunk } from './read-chunks.js';
import { booleanOf, isMissing, numberOf, textOf, type RawCell } from './raw-table.js';
import type { FeatureSpec } from './table.js';
import {
  checkColumn,
  checkHeader,
  checkShape,
  datasetError,
  raggedRows,
  RowProblems,
  targetOf,
  type DatasetProblem,
} from './validate-dataset.js';

/** Distinct target values counted; a classification target with more is refused. */
export const maxClasses = 1000;

class ColumnScan {
  readonly counts = new CellCounts();
  readonly missing = new RowProblems();
  readonly notNumber = new RowProblems();
  readonly notBoolean = new RowProblems();

  /** Counts the cell; returns it as a number column holds it (NaN when missing or not a number). */
  add(cell: RawCell, row: number): number {
    const number = numberOf(cell);
    if (number === undefined && isMissing(cell)) {
      this.missing.add(row);
      return Number.NaN;
    }
    this.counts.add(cell, number);
    if (number === undefined) this.notNumber.add(row);
    // Only 0, 1 and words can be booleans: other numbers skip the word lookup.
    if ((number !== undefined && number !== 0 && number !== 1) || booleanOf(cell) === undefined)
      this.notBoolean.add(row);
    return number ?? Number.NaN;
  }
}

/** The target's distinct values: as text (its classes, counted) and as numbers (a few). */
class TargetScan {
  readonly classes = new Map<string, number>();
  overflow = false;
  readonly numbers = new Set<number>();
  readonly booleans = new Set<number>();

  add(cell: RawCell): void {
    if (isMissing(cell)) return;
    const text = textOf(cell);
    const count = this.classes.get(text);
    if (count !== undefined) this.classes.set(text, count + 1);
    else if (this.classes.size < maxClasses) this.classes.set(text, 1);
    else this.overflow = true;
    const number = numberOf(cell);
    if (number !== undefined && this.numbers.size < 3) this.numbers.add(number);
    const boolean = booleanOf(cell);
    if (boolean !== undefined) this.booleans.add(boolean);
  }

  /** Distinct values of the target read as `type`, counted up to 3. */
  distinct(type: FeatureSpec['type']): number {
    if (type === 'categorical') return this.overflow ? maxClasses + 1 : this.classes.size;
    return (type === 'boolean' ? this.booleans : this.numbers).size;
  }
}

export interface ScanResult {
  /** One entry per column in file order, target included. */
  readonly schema: FeatureSpec[];
  /** The task given, or inferred from the target column. */
  readonly task: Task | undefined;
  readonly taskInferred: boolean;
  readonly rowCount: number;
  /** Rows per class of a classification target, for a stratified split. */
  readonly classes: ReadonlyMap<string, number> | undefined;
  readonly warnings: readonly DatasetProblem[];
}

export class DatasetScan {
  private readonly columns: ColumnScan[];
  private readonly targetIndex: number;
  private readonly target: TargetScan | undefined;
  private readonly ragged = new RowProblems();
  private rows = 0;

  /** Throws INVALID_DATASET at once when the header is unusable: no row after it can be checked. */
  constructor(
    readonly names: readonly string[],
    private readonly options: DatasetOptions = {},
  ) {
    const problems: DatasetProblem[] = [];
    if (!checkHeader(names, problems)) throw datasetError(problems);
    this.columns = names.map(() => new ColumnScan());
    this.numbers = names.map(() => new Float64Array(1));
    const target = targetOf(options);
    this.targetIndex = target === null ? -1 : names.indexOf(target);
    this.target = this.targetIndex >= 0 ? new TargetScan() : undefined;
  }

  /**
   * Each column's cells of the current chunk as numbers (NaN when missing or not a number), so
   * a pass that also profiles the rows (EarlyProfile) does not parse every number twice.
   */
  readonly numbers: Float64Array[];

  add(cells: readonly RawCell[], slot = 0): void {
    const row = this.rows;
    this.rows += 1;
    if (cells.length !== this.names.length) this.ragged.add(row);
    if (this.numbers[0]!.length <= slot) this.grow(slot + 1);
    for (let i = 0; i < this.columns.length; i += 1)
      this.numbers[i]![slot] = this.columns[i]!.add(cells[i] ?? null, row);
    this.target?.add(cells[this.targetIndex] ?? null);
  }

  private grow(size: number): void {
    for (let i = 0; i < this.numbers.length; i += 1) {
      const grown = new Float64Array(Math.max(size, 2 * this.numbers[i]!.length));
      grown.set(this.numbers[i]!);
      this.numbers[i] = grown;
    }
  }

  /** The validated file's schema, task and counts, or INVALID_DATASET with every problem. */
  finish(readProblems: readonly DatasetProblem[] = []): ScanResult {
    const options = this.options;
    const target = targetOf(options);
    const { schema, task } = this.schemaSoFar();
    const problems = [...readProblems, ...raggedRows(this.ragged, this.names.length)];
    checkShape(this.names, this.rows, options, problems);
    const warnings: DatasetProblem[] = [];
    schema.forEach((spec, index) => {
      const scan = this.columns[index]!;
      const wrong =
        spec.type === 'numeric'
          ? scan.notNumber
          : spec.type === 'boolean'
            ? scan.notBoolean
            : new RowProblems();
      const distinct = index === this.targetIndex ? this.target!.distinct(spec.type) : 0;
      checkColumn({ spec, wrong, missing: scan.missing, distinct }, this.rows, options, problems, warnings);
    });
    const classification = task !== undefined && task !== 'regression';
    if (classification && this.target?.overflow) {
      problems.push({
        kind: 'TOO_MANY_CLASSES',
        column: target!,
        message: `target '${target}' has more than ${maxClasses} distinct values, too many classes for ${task} classification; name task regression in the spec if it is a number to predict`,
      });
    }
    if (problems.length > 0) throw datasetError(problems);
    return {
      schema,
      task,
      taskInferred: options.task === undefined,
      rowCount: this.rows,
      classes: classification ? this.target!.classes : undefined,
      warnings,
    };
  }

  /** The schema and task the rows added so far point to; finish() settles them on every row. */
  schemaSoFar(): { schema: FeatureSpec[]; task: Task | undefined } {
    const target = targetOf(this.options);
    const declared = new Map((this.options.features ?? []).map((f) => [f.name, f.type] as const));
    const task = this.options.task ?? this.inferredTask(declared.get(target ?? ''));
    const schema = this.names.map((name, index): FeatureSpec => {
      if (name === target && task) return { name, type: task === 'regression' ? 'numeric' : 'categorical' };
      return { name, type: declared.get(name) ?? this.columns[index]!.counts.type() };
    });
    return { schema, task };
  }

  /**
   * The task of a target whose spec names none: text classes are classification (two:
   * binary), a numeric column with exactly two values (0/1, 1/2) is binary, any other numeric
   * column regression.
   */
  private inferredTask(declared: FeatureSpec['type'] | undefined): Task | undefined {
    if (this.target === undefined) return undefined;
    const type = declared ?? this.columns[this.targetIndex]!.counts.type();
    const distinct = this.target.distinct(type);
    if (type === 'categorical') return distinct === 2 ? 'binary' : 'multiclass';
    return distinct === 2 ? 'binary' : 'regression';
  }
}

/**
 * Scans a chunked file to its end: the validated file's schema, task and counts. `onChunk` sees
 * each chunk once it is scanned, so one pass over the file can do more than validate it.
 */
export async function scanFile(
  file: ChunkedFile,
  options: DatasetOptions = {},
  onChunk?: (chunk: RawChunk, scan: DatasetScan) => void,
): Promise<ScanResult> {
  const scan = new DatasetScan(file.header, options);
  for await (const chunk of file.chunks) {
    for (let slot = 0; slot < chunk.rows.length; slot += 1) scan.add(chunk.rows[slot]!, slot);
    onChunk?.(chunk, scan);
  }
  return scan.finish();
}
