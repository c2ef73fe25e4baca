// RFC 4180 formatting of a Table, row by row, so a writer can stream it with backpressure.
// Missing values become empty cells, which the reader reads back as missing.
import type { Table } from './table.js';

const needsQuotes = /[",\r\n]|^\s|\s$/;

export function csvField(text: string): string {
  return needsQuotes.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The header line, then one line per row, each ending in CRLF as RFC 4180 asks. */
export function* csvLines(table: Table, rows?: Iterable<number>): Generator<string> {
  const columns = table.names.map((name) => table.columns.get(name));
  yield `${table.names.map(csvField).join(',')}\r\n`;
  const order = rows ?? Array.from({ length: table.rowCount }, (_, i) => i);
  for (const row of order) {
    const cells = columns.map((column) => {
      if (column === undefined) return '';
      const value = column.values[row];
      if (value === null || value === undefined) return '';
      if (typeof value === 'number') return Number.isNaN(value) ? '' : String(value);
      return csvField(value);
    });
    yield `${cells.join(',')}\r\n`;
  }
}
