// Settles each column's type: declared by the model's spec, forced by the task for the target,
// or inferred from the cells. Inference asks for full agreement (every present cell a number,
// every present cell a boolean word) so that one stray value never silently turns a column
// numeric and drops it; declared types are where mismatches get reported.
import type { DatasetOptions } from './dataset.js';
import {
  arrayColumn,
  isBooleanWord,
  isMissing,
  numberOf,
  type RawColumn,
  type RawTable,
} from './raw-table.js';
import type { FeatureSpec, FeatureType } from './table.js';

export function inferColumnType(column: RawColumn): FeatureType {
  if (column.asNumbers()) return 'numeric';
  let present = 0;
  let numbers = 0;
  let booleans = 0;
  for (let row = 0; row < column.length; row += 1) {
    const cell = column.cell(row);
    if (isMissing(cell)) continue;
    present += 1;
    if (numberOf(cell) !== undefined && typeof cell !== 'boolean') numbers += 1;
    else if (isBooleanWord(cell)) booleans += 1;
    else return 'categorical';
  }
  if (present === 0) return 'numeric';
  if (numbers === present) return 'numeric';
  if (booleans === present) return 'boolean';
  return 'categorical';
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
