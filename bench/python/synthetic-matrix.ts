// The benchmarks' generated data: a seeded binary classification problem with interactions,
// non-linear terms and some missing values, stored as float32 so the trainer here and the
// Python references read bit-identical inputs.
import { writeFile } from 'node:fs/promises';
import type { Column, FeatureSpec, Table } from '../../shared/data/table.js';
import { seededRandom } from '../../shared/data/prng.js';
import {
  defaultGbdtParams,
  trainGbdt,
  type GbdtParams,
  type GbdtResult,
  type RoundReport,
} from '../../shared/ml/gbdt.js';

export interface Matrix {
  rows: number;
  /** Column-major float32 values, column j at [j * rows, (j + 1) * rows). */
  values: Float32Array;
  columns: number;
  /** 0/1 labels. */
  y: Float32Array;
}

export function generateMatrix(rows: number, columns: number, seed: number): Matrix {
  const random = seededRandom(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
  const values = new Float32Array(rows * columns);
  const y = new Float32Array(rows);
  const x = new Float64Array(columns);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < columns; j++) x[j] = gauss();
    const at = (j: number): number => x[j % columns] as number;
    const logit =
      1.2 * at(0) -
      0.8 * at(1) +
      Math.sin(2 * at(2)) +
      at(3) * at(4) +
      0.5 * Math.abs(at(5)) -
      0.4 * at(6) ** 2 +
      0.3 * at(7) +
      0.2;
    y[r] = random() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    for (let j = 0; j < columns; j++) {
      // Features 8 and 9 lose 5% of their values.
      values[j * rows + r] = (j === 8 || j === 9) && random() < 0.05 ? Number.NaN : (x[j] as number);
    }
  }
  return { rows, values, columns, y };
}

export function columnsOf(m: Matrix): Float64Array[] {
  return Array.from({ length: m.columns }, (_, j) =>
    Float64Array.from(m.values.subarray(j * m.rows, (j + 1) * m.rows)),
  );
}

export function featureName(j: number): string {
  return `f${j}`;
}

export function featuresOf(m: Matrix): FeatureSpec[] {
  return Array.from({ length: m.columns }, (_, j) => ({ name: featureName(j), type: 'numeric' as const }));
}

/** The built-in GBDT on the matrix's binary problem, every round kept (no validation set). */
export function trainOnMatrix(
  m: Matrix,
  params: Partial<GbdtParams>,
  onRound?: (report: RoundReport) => void,
): GbdtResult {
  return trainGbdt({
    task: 'binary',
    features: featuresOf(m),
    classes: ['0', '1'],
    train: { columns: columnsOf(m), y: Float64Array.from(m.y) },
    validation: null,
    params: { ...defaultGbdtParams, ...params, earlyStoppingRounds: 0 },
    onRound,
  });
}

/** The matrix as a Table with numeric columns f0..f(n-1) (no target). */
export function tableOf(m: Matrix): Table {
  const columns = new Map<string, Column>(
    columnsOf(m).map((values, j) => [featureName(j), { kind: 'numeric', values }] as const),
  );
  return { names: [...columns.keys()], columns, rowCount: m.rows };
}

/** Raw little-endian float32: the values (column-major), then the labels. */
export async function writeMatrix(m: Matrix, path: string): Promise<void> {
  const bytes = new Uint8Array(m.values.byteLength + m.y.byteLength);
  bytes.set(new Uint8Array(m.values.buffer, m.values.byteOffset, m.values.byteLength), 0);
  bytes.set(new Uint8Array(m.y.buffer, m.y.byteOffset, m.y.byteLength), m.values.byteLength);
  await writeFile(path, bytes);
}
