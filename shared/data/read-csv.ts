// Reads a whole CSV into a validated Dataset, through the same chunked reader the streaming
// steps use (read-chunks.ts), so both refuse the same files with the same problems.
import { Readable } from 'node:stream';
import type { Dataset, DatasetOptions } from './dataset.js';
import { CsvColumn } from './csv-column.js';
import type { RawTable } from './raw-table.js';
import { readCsvChunks } from './read-chunks.js';
import type { FeatureType } from './kinds.js';
import { raggedRows, RowProblems, targetOf, validateDataset } from './validate-dataset.js';

export interface ReadCsvOptions extends DatasetOptions {
  delimiter?: string;
}

/**
 * Reads a CSV with a header row and returns the validated Dataset, or throws one
 * INVALID_DATASET PlatformError listing every problem (details.problems).
 */
export async function readCsv(
  source: Readable | string | Buffer,
  options: ReadCsvOptions = {},
): Promise<Dataset> {
  const input =
    typeof source === 'string' || Buffer.isBuffer(source) ? Readable.from([Buffer.from(source)]) : source;
  const file = await readCsvChunks(input, {
    chunkRows: 4096,
    maxBytes: options.limits?.maxBytes,
    delimiter: options.delimiter,
  });
  const names = file.header;
  const columns = names.map((name) => new CsvColumn(declaredType(name, options)));
  let rowCount = 0;
  const ragged = new RowProblems();
  for await (const chunk of file.chunks) {
    for (const record of chunk.rows as string[][]) {
      if (record.length !== names.length) ragged.add(rowCount);
      for (let i = 0; i < columns.length; i += 1) columns[i]!.push(record[i] ?? '');
      rowCount += 1;
    }
  }
  const raw: RawTable = { names, columns, rowCount };
  return validateDataset(raw, options, raggedRows(ragged, names.length));
}

/** The type the options settle for a column before any cell is read: a declared feature, or the target given the task. */
function declaredType(name: string, options: DatasetOptions): FeatureType | undefined {
  if (name === targetOf(options) && options.task)
    return options.task === 'regression' ? 'numeric' : 'categorical';
  return options.features?.find((f) => f.name === name)?.type;
}
