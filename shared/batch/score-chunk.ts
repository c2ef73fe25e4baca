// One chunk of a scoring input, from raw cells to output lines: each row is checked against the
// model's features (a cell that cannot be the feature's type rejects the row, with its number
// and why), the valid rows become a Table for the model, and the model's outputs become the
// output file's extra columns. Pure: the reader, the runtime and the writer are elsewhere.
import { PlatformError } from '../errors.js';
import { csvField } from '../data/csv-format.js';
import { textOf, type RawCell } from '../data/raw-table.js';
import type { Column, Table } from '../data/table.js';
import type { ModelInterface } from '../ml/model-interface.js';
import type { ModelFeature } from '../ml/model.js';
import { checkValue } from '../scoring/row-values.js';

export interface RawChunk {
  /** 1-based number of the chunk's first data row in its file (the header is row 0). */
  readonly firstRow: number;
  readonly rows: readonly (readonly RawCell[])[];
}

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
  const numbers = features.map((f) =>
    f.type === 'categorical' ? undefined : new Float64Array(chunk.rows.length),
  );
  const texts = features.map((f) => (f.type === 'categorical' ? ([] as (string | null)[]) : undefined));
  const kept: number[] = [];
  const rejects: Reject[] = [];
  chunk.rows.forEach((cells, index) => {
    const row = chunk.firstRow + index;
    if (cells.length !== width) {
      rejects.push({ row, reason: `the row has ${cells.length} field(s), the header ${width}` });
      return;
    }
    const values: (number | string | null)[] = [];
    for (let f = 0; f < features.length; f++) {
      const checked = checkValue(features[f]!, cells[positions[f]!] ?? null);
      if (!checked.ok) {
        rejects.push({ row, reason: checked.reason });
        return;
      }
      values.push(checked.value);
    }
    const at = kept.length;
    values.forEach((value, f) => {
      const column = numbers[f];
      if (column) column[at] = value as number;
      else texts[f]!.push(value as string | null);
    });
    kept.push(index);
  });
  const columns = new Map<string, Column>(
    features.map((f, i) => {
      const column = numbers[i];
      return [
        f.name,
        column
          ? { kind: 'numeric', values: column.subarray(0, kept.length) }
          : { kind: 'categorical', values: texts[i]! },
      ];
    }),
  );
  return { table: { names: features.map((f) => f.name), columns, rowCount: kept.length }, kept, rejects };
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

/**
 * Output lines for the kept rows: their input cells as read, then the prediction (the most
 * probable class, as the graph's ArgMax picks it: the first of equals) and the probabilities.
 */
export function outputLines(
  chunk: RawChunk,
  prepared: PreparedChunk,
  outputs: Float32Array,
  model: ModelInterface,
): string {
  const classes = model.task === 'regression' ? 0 : model.classes.length;
  let text = '';
  prepared.kept.forEach((index, i) => {
    const cells = chunk.rows[index]!.map(cellText);
    if (classes === 0) {
      cells.push(float32Text(outputs[i]!));
    } else {
      const probabilities = outputs.subarray(i * classes, (i + 1) * classes);
      let best = 0;
      for (let c = 1; c < classes; c++) if (probabilities[c]! > probabilities[best]!) best = c;
      cells.push(csvField(model.classes[best]!), ...Array.from(probabilities, float32Text));
    }
    text += `${cells.join(',')}\r\n`;
  });
  return text;
}

export const rejectsHeader = 'row,reason\r\n';

export function rejectLines(rejects: readonly Reject[]): string {
  return rejects.map((r) => `${r.row},${csvField(r.reason)}\r\n`).join('');
}
