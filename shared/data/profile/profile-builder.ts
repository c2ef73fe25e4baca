// Builds the dataset profile one row at a time in memory bounded by columns x sketch size:
// each numeric column keeps Welford moments and a t-digest, each categorical column a
// Space-Saving counter set. Builders over shards merge into the profile of the whole.
import type { FeatureSpec, Table } from '../table.js';
import { Moments } from './moments.js';
import type { CategoricalProfile, DatasetProfile, FeatureProfile, NumericProfile } from './profile-schema.js';
import { profileSchemaVersion } from './profile-schema.js';
import { SpaceSaving } from './space-saving.js';
import { TDigest } from './t-digest.js';

export interface ProfileOptions {
  /** t-digest compression: about this many centroids per numeric column. */
  compression?: number;
  bins?: number;
  /** Categories reported per categorical column. */
  topK?: number;
  /** Counters kept per categorical column; counts are exact up to this many distinct values. */
  counters?: number;
  /** Counters for the target's classes, larger so class frequencies stay exact. */
  labelCounters?: number;
}

export const quantileLevels = [0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99] as const;

export type ProfileCell = number | string | null;

interface NumericState {
  kind: 'numeric';
  spec: FeatureSpec;
  missing: number;
  moments: Moments;
  digest: TDigest;
}

interface CategoricalState {
  kind: 'categorical';
  spec: FeatureSpec;
  missing: number;
  counters: SpaceSaving;
}

type ColumnState = NumericState | CategoricalState;

const finite = (value: number): number | null => (Number.isFinite(value) ? value : null);

export class ProfileBuilder {
  private readonly states: ColumnState[];
  private rows = 0;
  private readonly options: Required<ProfileOptions>;

  constructor(
    private readonly schema: readonly FeatureSpec[],
    private readonly target: string | null,
    options: ProfileOptions = {},
  ) {
    this.options = { compression: 100, bins: 20, topK: 20, counters: 64, labelCounters: 1024, ...options };
    this.states = schema.map((spec): ColumnState => {
      if (spec.type === 'categorical') {
        const capacity = spec.name === target ? this.options.labelCounters : this.options.counters;
        return { kind: 'categorical', spec, missing: 0, counters: new SpaceSaving(capacity) };
      }
      return {
        kind: 'numeric',
        spec,
        missing: 0,
        moments: new Moments(),
        digest: new TDigest(this.options.compression),
      };
    });
  }

  /**
   * Adds one row, its cells in schema order. Null, and in numeric columns anything that is not
   * a finite number (NaN, an infinity from a Parquet double), counts as missing: one infinity
   * would otherwise turn the mean, the spread and every histogram edge into NaN.
   */
  addRow(cells: readonly ProfileCell[]): void {
    this.rows += 1;
    this.states.forEach((state, index) => {
      const cell = cells[index] ?? null;
      if (state.kind === 'numeric') {
        const value = typeof cell === 'number' ? cell : Number.NaN;
        if (Number.isFinite(value)) {
          state.moments.add(value);
          state.digest.add(value);
        } else state.missing += 1;
      } else if (cell === null) state.missing += 1;
      else state.counters.add(String(cell));
    });
  }

  addTable(table: Table): void {
    const columns = this.schema.map((spec) => table.columns.get(spec.name));
    const cells: ProfileCell[] = new Array<ProfileCell>(columns.length);
    for (let row = 0; row < table.rowCount; row += 1) {
      columns.forEach((column, index) => {
        cells[index] = column?.values[row] ?? null;
      });
      this.addRow(cells);
    }
  }

  merge(other: ProfileBuilder): void {
    this.rows += other.rows;
    this.states.forEach((state, index) => {
      const theirs = other.states[index];
      if (theirs === undefined || theirs.kind !== state.kind)
        throw new TypeError('profiles of different schemas');
      state.missing += theirs.missing;
      if (state.kind === 'numeric' && theirs.kind === 'numeric') {
        state.moments.merge(theirs.moments);
        state.digest.merge(theirs.digest);
      } else if (state.kind === 'categorical' && theirs.kind === 'categorical') {
        state.counters.merge(theirs.counters);
      }
    });
  }

  /** How many centroids and counters the builder holds: constant in the number of rows. */
  stateSize(): number {
    return this.states.reduce(
      (sum, state) => sum + (state.kind === 'numeric' ? state.digest.size : state.counters.size),
      0,
    );
  }

  finish(): DatasetProfile {
    const profiles = this.states.map((state) =>
      state.kind === 'numeric' ? this.numeric(state) : this.categorical(state),
    );
    const isLabel = (profile: FeatureProfile): boolean => profile.name === this.target;
    return {
      schemaVersion: profileSchemaVersion,
      rowCount: this.rows,
      target: this.target,
      features: profiles.filter((p) => !isLabel(p)),
      label: profiles.find(isLabel) ?? null,
    };
  }

  private numeric(state: NumericState): NumericProfile {
    const { moments, digest } = state;
    const empty = moments.count === 0;
    return {
      name: state.spec.name,
      type: state.spec.type === 'boolean' ? 'boolean' : 'numeric',
      count: moments.count,
      missing: state.missing,
      mean: empty ? null : finite(moments.mean),
      std: empty ? null : finite(moments.std),
      min: empty ? null : moments.min,
      max: empty ? null : moments.max,
      quantiles: empty ? [] : quantileLevels.map((q) => ({ q, value: digest.quantile(q) })),
      cdf: empty ? { x: [], p: [] } : digest.cdfPoints(),
      histogram: empty ? { edges: [], counts: [] } : this.histogram(moments, digest),
    };
  }

  private histogram(moments: Moments, digest: TDigest): NumericProfile['histogram'] {
    if (moments.min === moments.max) return { edges: [moments.min, moments.max], counts: [moments.count] };
    const bins = this.options.bins;
    const width = (moments.max - moments.min) / bins;
    const edges = Array.from({ length: bins + 1 }, (_, i) =>
      i === bins ? moments.max : moments.min + i * width,
    );
    // Rounding cumulative counts (not each bin's) makes the bins sum exactly to the count.
    const cumulative = edges.map((edge, i) =>
      i === 0 ? 0 : i === bins ? moments.count : Math.round(digest.cdf(edge) * moments.count),
    );
    const counts = cumulative.slice(1).map((c, i) => c - (cumulative[i] ?? 0));
    return { edges, counts };
  }

  private categorical(state: CategoricalState): CategoricalProfile {
    const present = this.rows - state.missing;
    // Every class of the target is reported; features only their most frequent categories.
    const listed = state.spec.name === this.target ? this.options.labelCounters : this.options.topK;
    return {
      name: state.spec.name,
      type: 'categorical',
      count: present,
      missing: state.missing,
      top: state.counters.top(listed).map((h) => ({
        value: h.value,
        count: h.count,
        frequency: present === 0 ? 0 : h.count / present,
      })),
      exact: state.counters.exact,
    };
  }
}

/** The profile of a whole table, e.g. a freshly validated Dataset. */
export function profileTable(
  table: Table,
  schema: readonly FeatureSpec[],
  target: string | null,
  options?: ProfileOptions,
): DatasetProfile {
  const builder = new ProfileBuilder(schema, target, options);
  builder.addTable(table);
  return builder.finish();
}
