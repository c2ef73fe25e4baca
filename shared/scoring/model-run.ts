// Scores a table of checked rows through a model's session with the model interface of
// DESIGN.md section 4: outputs `label` + `probabilities` (classification) or `variable` (regression).
import type { Column, Table } from '../data/table.js';
import type { ModelFeature } from '../ml/model.js';
import { feedsOf, type Session } from '../ml/onnx-runtime.js';
import type { FeatureValue } from './row-values.js';

export interface Scores {
  /** Classification: the predicted class per row. */
  readonly labels?: readonly string[];
  /** Classification: [rows, classes] row-major, in the order of the model's classes. */
  readonly probabilities?: Float32Array;
  /** Regression: one value per row. */
  readonly values?: Float32Array;
}

const interfaceOutputs = new Set(['label', 'probabilities', 'variable']);

export async function runTable(
  session: Session,
  features: readonly ModelFeature[],
  table: Table,
): Promise<Scores> {
  const wanted = session.outputNames.filter((name) => interfaceOutputs.has(name));
  const result = await session.run(feedsOf(table, features), wanted);
  return {
    labels: result.label?.data as string[] | undefined,
    probabilities: result.probabilities?.data as Float32Array | undefined,
    values: result.variable?.data as Float32Array | undefined,
  };
}

/** Collects checked values into the columnar table the runtime feeds from. */
export class TableBuilder {
  private readonly columns: (Float64Array | (string | null)[])[];

  constructor(
    private readonly features: readonly ModelFeature[],
    private readonly rows: number,
  ) {
    this.columns = features.map((f) =>
      f.type === 'categorical' ? new Array<string | null>(rows).fill(null) : new Float64Array(rows),
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
