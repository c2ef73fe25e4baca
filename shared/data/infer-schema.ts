// Settles each column's type: declared by the model's spec, forced by the task for the target,
// or inferred from the cells. Booleans need every present cell a boolean word. A column of
// numbers with a few stray tokens ("?", "n/a ", "#REF!") stays numeric, its stray cells read
// as missing and reported, rather than turning into a category per distinct number, which would
// throw the feature's meaning away; declared types are where mismatches are errors.
import type { DatasetOptions } from './dataset.js';
import {
  arrayColumn,
  isBooleanWord,
  isMissing,
  numberOf,
  type RawCell,
  type RawColumn,
  type RawTable,
} from './raw-table.js';
import type { FeatureSpec, FeatureType } from './table.js';

/** The largest share of a numeric column's present cells that may be stray text. */
export const maxStrayShare = 0.02;

/** What a column's present cells are, counted as the type inference needs them. */
export class CellCounts {
  present = 0;
  numbers = 0;
  booleanWords = 0;
  texts = 0;

  /** Adds a present cell; `number` is its numberOf, when the caller has it already. */
  add(cell: RawCell, number = numberOf(cell)): void {
    this.present += 1;
    if (number !== undefined && typeof cell !== 'boolean') this.numbers += 1;
    else if (isBooleanWord(cell)) this.booleanWords += 1;
    else this.texts += 1;
  }

  /** Whether the column is text whatever cells come later, out of `rows` in all. */
  isText(rows: number): boolean {
    return this.texts > rows * maxStrayShare;
  }

  type(): FeatureType {
    if (this.present === 0) return 'numeric';
    if (this.booleanWords === this.present) return 'boolean';
    if (this.numbers + this.texts === this.present && this.texts <= this.present * maxStrayShare)
      return 'numeric';
    return 'categorical';
  }
}

export function inferColumnType(column: RawColumn): FeatureType {
  if (column.asNumbers()) return 'numeric';
  const counts = new CellCounts();
  for (let row = 0; row < column.length; row += 1) {
    const cell = column.cell(row);
    if (isMissing(cell)) continue;
    counts.add(cell);
    if (counts.isText(column.length)) return 'categorical';
  }
  return counts.type();
}

/** One FeatureSpec per column of the file, in file order. */
export function inferSchema(raw: RawTable, options: DatasetOptions = {}): FeatureSpec[] {
  const declared = new Map((options.features ?? []).map((f) => [f.name, f.type] as const));
  const target = options.target === undefined ? 'label' : options.target;
  return raw.names.map((name, index) => {
    if (name === target && options.task) {
      return { name, type: options.task === 'regression' ? 'numeric' : 'categorical' };
    }
    return { name, type: declared.get(name) ?? inferColumnType(raw.columns[index] ?? arrayColumn([])) };
  });
}
