// One chunk of a scoring input, from raw cells to output lines: each row is checked against the
// model's features (a cell that cannot be the feature's type rejects the row, with its number
// and why), the valid rows become a Table for the model, and the model's outputs become the
// output file's extra columns. Pure: the reader, the runtime and the writer are elsewhere.
import { PlatformError } from '../errors.js';
import { csvField } from '../data/csv-format.js';
import type { RawChunk } from '../data/read-chunks.js';
import { textOf, type RawCell } from '../data/raw-table.js';
import type { Table } from '../data/table.js';
import type { ModelInterface } from '../ml/model-interface.js';
import type { ModelFeature } from '../ml/model.js';
import type { Scores } from '../scoring/scores.js';
import { TableBuilder } from '../scoring/table-builder.js';
import { checkValue, type FeatureValue } from '../scoring/row-values.js';

export interface Reject {
  readonly row: number;
  readonly reason: string;
}

export interface PreparedChunk {
  /** The valid rows' features, in the model's feature order. */
  readonly table: Table;
  /** Index (in the chunk) of each valid row, in order. */
  readonly kept: number[];
  readonly rejects: Reject[];
}

/** Where each feature is in the file's header; a file without a feature column cannot be scored. */
export function featureColumns(header: readonly string[], features: readonly ModelFeature[]): number[] {
  const missing = features.filter((f) => !header.includes(f.name)).map((f) => f.name);
  if (missing.length > 0) {
    throw new PlatformError(
      'INVALID_DATASET',
      `The file has no column ${missing.map((name) => `'${name}'`).join(', ')} that the model needs.`,
      { columns: missing },
    );
  }
  return features.map((f) => header.indexOf(f.name));
}

export function prepareChunk(
  chunk: RawChunk,
  width: number,
  features: readonly ModelFeature[],
  positions: readonly number[],
): PreparedChunk {
  const valid: FeatureValue[][] = [];
  const kept: number[] = [];
  const rejects: Reject[] = [];
  chunk.rows.forEach((cells, index) => {
    const row = chunk.firstRow + index;
    if (cells.length !== width) {
      rejects.push({ row, reason: `the row has ${cells.length} field(s), the header ${width}` });
      return;
    }
    const values: FeatureValue[] = [];
    for (let f = 0; f < features.length; f++) {
      const checked = checkValue(features[f]!, cells[positions[f]!] ?? null);
      if (!checked.ok) {
        rejects.push({ row, reason: checked.reason });
        return;
      }
      values.push(checked.value);
    }
    valid.push(values);
    kept.push(index);
  });
  const builder = new TableBuilder(features, valid.length);
  valid.forEach((values, row) => values.forEach((value, f) => builder.set(f, row, value)));
  return { table: builder.table(), kept, rejects };
}

/** The output file's header: the input's columns, then `prediction` and one `probability_{class}` per class. */
export function outputHeader(header: readonly string[], model: ModelInterface): string {
  const extra = [
    'prediction',
    ...(model.task === 'regression' ? [] : model.classes.map((c) => `probability_${c}`)),
  ];
  return `${[...header, ...extra].map(csvField).join(',')}\r\n`;
}

// Nine significant digits always name the same float32 the model returned, in fewer characters.
const float32Text = (value: number): string => String(Number(value.toPrecision(9)));

function cellText(cell: RawCell | undefined): string {
  return cell === null || cell === undefined ? '' : csvField(textOf(cell));
}

/** Output lines for the kept rows: their input cells as read, then the graph's label and probabilities. */
export function outputLines(
  chunk: RawChunk,
  prepared: PreparedChunk,
  scores: Scores,
  model: ModelInterface,
): string {
  const classes = model.classes.length;
  let text = '';
  prepared.kept.forEach((index, i) => {
    const cells = chunk.rows[index]!.map(cellText);
    if (scores.values) cells.push(float32Text(scores.values[i]!));
    else {
      const probabilities = scores.probabilities!.subarray(i * classes, (i + 1) * classes);
      cells.push(csvField(scores.labels![i]!), ...Array.from(probabilities, float32Text));
    }
    text += `${cells.join(',')}\r\n`;
  });
  return text;
}

export const rejectsHeader = 'row,reason\r\n';

export function rejectLines(rejects: readonly Reject[]): string {
  return rejects.map((r) => `${r.row},${csvField(r.reason)}\r\n`).join('');
}
