// The columnar table a scoring request becomes once its values are checked: what the runtime
// feeds from and what capture reads back.
import type { Column, Table } from '../data/table.js';
import type { ModelFeature } from '../ml/model.js';
import type { FeatureValue } from './row-values.js';

/** Collects checked values into the columnar table the runtime feeds from. */
export class TableBuilder {
  private readonly columns: (Float64Array | (string | null)[])[];

  constructor(
    private readonly features: readonly ModelFeature[],
    private readonly rows: number,
  ) {
    // The numeric columns are views of one buffer: a one-row request would else make a buffer per feature.
    const numeric = new Float64Array(rows * features.filter((f) => f.type !== 'categorical').length);
    let next = 0;
    this.columns = features.map((f) =>
      f.type === 'categorical'
        ? new Array<string | null>(rows).fill(null)
        : numeric.subarray(rows * next, rows * ++next),
    );
  }

  set(feature: number, row: number, value: FeatureValue): void {
    this.columns[feature]![row] = value as never;
  }

  table(): Table {
    const columns = new Map<string, Column>();
    this.features.forEach((feature, index) => {
      const values = this.columns[index]!;
      columns.set(
        feature.name,
        values instanceof Float64Array ? { kind: 'numeric', values } : { kind: 'categorical', values },
      );
    });
    return { names: this.features.map((f) => f.name), columns, rowCount: this.rows };
  }
}
