// Seeded synthetic tables for the ML tests: numeric signal with noise, a categorical column
// whose categories shift the target, missing values in both, and optional tiny classes.
import type { Column, FeatureSpec, Table } from '../../../shared/data/table.js';
import type { Task } from '../../../shared/ml/model.js';
import { seededRandom } from '../../../shared/data/prng.js';

export interface SyntheticOptions {
  task: Task;
  rows: number;
  seed?: number;
  numeric?: number;
  /** Share of cells set missing in each feature. */
  missing?: number;
  categorical?: boolean;
  classes?: number;
  /** Rows of one extra class, drawn from a distinct region (multiclass only). */
  tinyClassRows?: number;
}

export interface Synthetic {
  table: Table;
  features: FeatureSpec[];
}

const colours = ['red', 'green', 'blue', 'cyan', 'magenta', 'yellow', 'black'];

export function synthetic(options: SyntheticOptions): Synthetic {
  const random = seededRandom(options.seed ?? 1);
  const gauss = (): number => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
  const { rows } = options;
  const numeric = options.numeric ?? 4;
  const missing = options.missing ?? 0;
  const columns = new Map<string, Column>();
  const features: FeatureSpec[] = [];
  const score = new Float64Array(rows);
  for (let j = 0; j < numeric; j++) {
    const values = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      const x = gauss();
      values[r] = x;
      score[r] =
        (score[r] as number) +
        (j === 0 ? 1.5 * x : j === 1 ? Math.sin(2 * x) : j === 2 ? 0.5 * x * x : 0.1 * x);
      if (random() < missing) values[r] = Number.NaN;
    }
    columns.set(`x${j}`, { kind: 'numeric', values });
    features.push({ name: `x${j}`, type: 'numeric' });
  }
  if (options.categorical) {
    const values: (string | null)[] = [];
    for (let r = 0; r < rows; r++) {
      const c = Math.floor(random() * colours.length);
      score[r] = (score[r] as number) + (c - 3) * 0.4;
      values.push(random() < missing ? null : (colours[c] as string));
    }
    columns.set('colour', { kind: 'categorical', values });
    features.push({ name: 'colour', type: 'categorical' });
  }
  const labels: (string | null)[] = [];
  const targets = new Float64Array(rows);
  const classes = options.classes ?? 3;
  const tinyRows = options.tinyClassRows ?? 0;
  // Spread evenly, so every contiguous slice (train, validation, holdout) gets its share.
  const tinyStep = tinyRows > 0 ? Math.floor(rows / tinyRows) : 0;
  const isTiny = (r: number): boolean => tinyRows > 0 && r % tinyStep === 0 && r / tinyStep < tinyRows;
  for (let r = 0; r < rows; r++) {
    const s = (score[r] as number) + 0.5 * gauss();
    if (options.task === 'regression') targets[r] = 3 * s + 10;
    else if (options.task === 'binary') labels.push(s > 0.3 ? 'yes' : 'no');
    else if (isTiny(r)) labels.push('rare');
    else labels.push(`c${Math.min(classes - 1, Math.max(0, Math.floor((s + 2) / (4 / classes))))}`);
  }
  if (tinyRows > 0) {
    // The tiny class lives in a corner of (x0, x1), beyond the other rows' top bins, so it is learnable.
    for (const name of ['x0', 'x1']) {
      const values = (columns.get(name) as { values: Float64Array }).values;
      for (let r = 0; r < rows; r++) if (isTiny(r)) values[r] = 6 + random();
    }
  }
  columns.set(
    'label',
    options.task === 'regression'
      ? { kind: 'numeric', values: targets }
      : { kind: 'categorical', values: labels },
  );
  return { table: { names: [...columns.keys()], columns, rowCount: rows }, features };
}

/** Rows [start, end) of a table, for train/validation/holdout splits of one synthetic set. */
export function slice(table: Table, start: number, end: number): Table {
  const columns = new Map<string, Column>();
  for (const [name, column] of table.columns) {
    columns.set(
      name,
      column.kind === 'numeric'
        ? { kind: 'numeric', values: column.values.slice(start, end) }
        : { kind: 'categorical', values: column.values.slice(start, end) },
    );
  }
  return { names: table.names, columns, rowCount: end - start };
}

export function textColumn(table: Table, name: string): (string | null)[] {
  const column = table.columns.get(name);
  if (column?.kind !== 'categorical') throw new Error(`${name} is not categorical`);
  return [...column.values];
}

export function numberColumn(table: Table, name: string): Float64Array {
  const column = table.columns.get(name);
  if (column?.kind !== 'numeric') throw new Error(`${name} is not numeric`);
  return column.values;
}
