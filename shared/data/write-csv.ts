// Writes a Table (or some of its rows) to a CSV file, streamed so large splits never exist
// twice in memory as text. The file appears under its name only once it is complete.
import { createWriteStream } from 'node:fs';
import { rename } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { csvLines } from './csv-format.js';
import type { Table } from './table.js';

export async function writeCsv(table: Table, path: string, rows?: Iterable<number>): Promise<void> {
  const partial = `${path}.partial`;
  await pipeline(Readable.from(csvLines(table, rows)), createWriteStream(partial));
  await rename(partial, path);
}
