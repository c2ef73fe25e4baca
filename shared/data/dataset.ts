// What readers hand to the rest of the platform: a validated Table plus the schema it was read
// with. A Dataset is a Table, so code written against Table (trainer, evaluation) takes it as is.
import type { Task } from './kinds.js';
import type { FeatureSpec, Table } from './table.js';
import type { DatasetProblem } from './validate-dataset.js';

export interface Dataset extends Table {
  /** One entry per column in file order, target included; booleans are stored as numeric 0/1. */
  readonly schema: readonly FeatureSpec[];
  /** The target column's name, or null for data read without one (scoring input). */
  readonly target: string | null;
  /** What was read leniently (stray text in a numeric column, read as missing); worth telling the user. */
  readonly warnings: readonly DatasetProblem[];
}

export interface DatasetLimits {
  /** Files above this size are refused before they are parsed to the end. */
  maxBytes: number;
  minRows: number;
  /** Highest share of missing cells a feature column may have. */
  maxMissingFraction: number;
}

export const defaultLimits: DatasetLimits = {
  maxBytes: 512 * 1024 * 1024,
  minRows: 20,
  maxMissingFraction: 0.5,
};

export interface DatasetOptions {
  /** The target column; `label` unless the model's spec names another; null when there is none. */
  target?: string | null;
  /**
   * When given, the target's type follows from it: classification targets are categorical
   * (class names as strings, "0"/"1" included), regression targets numeric.
   */
  task?: Task;
  /** Declared column types (the model's spec); columns not listed are inferred. */
  features?: readonly FeatureSpec[];
  limits?: Partial<DatasetLimits>;
}
