// RFC 4180 formatting of a Table, row by row, so a writer can stream it with backpressure.
// Missing values become empty cells, which the reader reads back as missing.
import type { FeatureType } from './kinds.js';
import { booleanOf, isMissing, numberOf, textOf, type RawCell } from './raw-table.js';
import type { Table } from './table.js';

const needsQuotes = /[",\r\n]|^\s|\s$/;

export function csvField(text: string): string {
  return needsQuotes.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV line (CRLF-terminated, as RFC 4180 asks) of typed cells; missing values are empty. */
export function csvRow(cells: readonly (number | string | null | undefined)[]): string {
  return `${cells
    .map((value) => {
      if (value === null || value === undefined) return '';
      if (typeof value === 'number') return Number.isNaN(value) ? '' : String(value);
      return csvField(value);
    })
    .join(',')}\r\n`;
}

/** The header line, then one line per row. */
export function* csvLines(table: Table, rows?: Iterable<number>): Generator<string> {
  const columns = table.names.map((name) => table.columns.get(name));
  yield csvRow(table.names);
  const order = rows ?? Array.from({ length: table.rowCount }, (_, i) => i);
  for (const row of order) yield csvRow(columns.map((column) => column?.values[row]));
}

/** How typedLine writes a column: as its type reads it, or (`plain`) numbers and missing values as read. */
export type LineType = FeatureType | 'plain';

/**
 * One CSV line of a row as read, each cell written as its column's type reads it (what is not
 * of the type, empty), so the line reads back to the typed row. A number keeps its own spelling:
 * formatting doubles back to text is the costliest part of writing a line, and parsing them the
 * next: a `plain` column, whose cells are all numbers or missing, is copied without either.
 */
export function typedLine(cells: readonly RawCell[], types: readonly LineType[]): string {
  let line = '';
  for (let i = 0; i < types.length; i += 1) {
    const cell = cells[i] ?? null;
    const type = types[i];
    let text = '';
    if (type === 'plain') text = typeof cell === 'string' ? cell : String(numberOf(cell) ?? '');
    else if (type === 'categorical') text = isMissing(cell) ? '' : csvField(textOf(cell));
    else if (type === 'boolean') text = String(booleanOf(cell) ?? '');
    else {
      const number = numberOf(cell);
      if (number !== undefined) text = typeof cell === 'string' ? cell : String(number);
    }
    line += i === 0 ? text : `,${text}`;
  }
  return `${line}\r\n`;
}
