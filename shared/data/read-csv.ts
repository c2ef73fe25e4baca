// Reads an RFC 4180 CSV (quoted fields, embedded newlines, CRLF, a UTF-8 BOM) into a validated
// Dataset. The file is streamed through csv-parse with its bytes counted, so an oversized upload
// is refused as soon as it passes the limit rather than after it has been buffered.
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import { defaultLimits, type Dataset, type DatasetOptions } from './dataset.js';
import { CsvColumn } from './csv-column.js';
import type { RawTable } from './raw-table.js';
import { datasetError, RowProblems, validateDataset, type DatasetProblem } from './validate-dataset.js';

export interface ReadCsvOptions extends DatasetOptions {
  delimiter?: string;
}

class SizeExceeded extends Error {}

function byteLimiter(maxBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      seen += chunk.length;
      if (seen > maxBytes) callback(new SizeExceeded());
      else callback(null, chunk);
    },
  });
}

/** The longest row read; longer ones (a 100 MiB cell) are refused rather than carried into a model. */
export const maxRowChars = 1024 * 1024;

export function tooLarge(maxBytes: number): DatasetProblem {
  return {
    kind: 'FILE_TOO_LARGE',
    message: `the file is larger than the limit of ${maxBytes} bytes; split it or raise the limit`,
  };
}

/**
 * Reads a CSV with a header row and returns the validated Dataset, or throws one
 * INVALID_DATASET PlatformError listing every problem (details.problems).
 */
export async function readCsv(
  source: Readable | string | Buffer,
  options: ReadCsvOptions = {},
): Promise<Dataset> {
  const maxBytes = options.limits?.maxBytes ?? defaultLimits.maxBytes;
  const inMemory = typeof source === 'string' || Buffer.isBuffer(source);
  if (inMemory && Buffer.byteLength(source) > maxBytes) throw datasetError([tooLarge(maxBytes)]);
  const input = inMemory ? Readable.from([Buffer.from(source)]) : source;
  const parser = parse({
    bom: true,
    delimiter: options.delimiter ?? ',',
    relax_column_count: true,
    max_record_size: maxRowChars,
    skip_empty_lines: true,
    trim: true,
  });

  let header: string[] | undefined;
  let columns: CsvColumn[] = [];
  let rowCount = 0;
  const ragged = new RowProblems();
  try {
    await pipeline(input, byteLimiter(maxBytes), parser, async (records: AsyncIterable<string[]>) => {
      for await (const record of records) {
        if (header === undefined) {
          header = record;
          columns = record.map(() => new CsvColumn());
          continue;
        }
        if (record.length !== header.length) ragged.add(rowCount);
        for (let i = 0; i < columns.length; i += 1) columns[i]?.push(record[i] ?? '');
        rowCount += 1;
      }
    });
  } catch (error) {
    if (error instanceof SizeExceeded) throw datasetError([tooLarge(maxBytes)]);
    if (error instanceof CsvError) {
      const line = typeof error['lines'] === 'number' ? error['lines'] : undefined;
      const near = line === undefined ? '' : ` near line ${line}`;
      throw datasetError([
        {
          kind: 'MALFORMED_FILE',
          message:
            error.code === 'CSV_MAX_RECORD_SIZE'
              ? `a row${near} is longer than ${maxRowChars} characters`
              : `the file is not valid CSV${near}: ${error.message}`,
        },
      ]);
    }
    throw error;
  }

  const names = header ?? [];
  const readProblems: DatasetProblem[] =
    ragged.count === 0
      ? []
      : [
          {
            kind: 'ROW_LENGTH',
            rows: ragged.rows,
            count: ragged.count,
            message: `${ragged.count} row(s) do not have the header's ${names.length} fields (first at row ${ragged.rows[0]})`,
          },
        ];
  const raw: RawTable = { names, columns, rowCount };
  return validateDataset(raw, options, readProblems);
}
