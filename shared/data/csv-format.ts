// RFC 4180 formatting of a Table, row by row, so a writer can stream it with backpressure.
// Missing values become empty cells, which the reader reads back as missing.
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
