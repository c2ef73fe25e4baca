// Reads a tabular file a chunk of rows at a time, so memory stays bounded whatever the file's
// size: CSV is streamed through csv-parse with its bytes counted (an oversized file is refused
// as soon as it passes the limit); Parquet is read one row group at a time through the random-
// access buffer it is given (a row group is Parquet's own unit of decoding), then sliced into
// chunks. Broken files become INVALID_DATASET with a MALFORMED_FILE, NO_HEADER or
// FILE_TOO_LARGE problem; everything past the header (types, rules) is the caller's to check.
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import {
  parquetMetadataAsync,
  parquetRead,
  parquetSchema,
  type AsyncBuffer,
  type FileMetaData,
} from 'hyparquet';
import { defaultLimits } from './dataset.js';
import { cellOf, type RawCell } from './raw-table.js';
import { datasetError, tooLarge } from './validate-dataset.js';

export interface RawChunk {
  /** 1-based number of the chunk's first data row in its file (the header is row 0). */
  readonly firstRow: number;
  readonly rows: readonly (readonly RawCell[])[];
}

export interface ChunkedFile {
  readonly header: string[];
  readonly chunks: AsyncIterable<RawChunk>;
}

export interface ChunkOptions {
  chunkRows: number;
  /** Files above this size are refused (defaultLimits.maxBytes when omitted). */
  maxBytes?: number;
  delimiter?: string;
}

/** The longest row read; longer ones (a 100 MiB cell) are refused rather than carried into a model. */
export const maxRowChars = 1024 * 1024;

const malformed = (message: string) => datasetError([{ kind: 'MALFORMED_FILE', message }]);

const noHeader = () =>
  datasetError([
    { kind: 'NO_HEADER', message: 'the file is empty; a header row naming the columns is required' },
  ]);

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

function csvFailure(error: unknown, maxBytes: number): unknown {
  if (error instanceof SizeExceeded) return datasetError([tooLarge(maxBytes)]);
  if (!(error instanceof CsvError)) return error;
  const line = typeof error['lines'] === 'number' ? error['lines'] : undefined;
  const near = line === undefined ? '' : ` near line ${line}`;
  return malformed(
    error.code === 'CSV_MAX_RECORD_SIZE'
      ? `a row${near} is longer than ${maxRowChars} characters`
      : `the file is not valid CSV${near}: ${error.message}`,
  );
}

/** RFC 4180 CSV (quoted fields, embedded newlines, CRLF, a UTF-8 BOM); cells trimmed; ragged rows kept as they are. */
export async function readCsvChunks(input: Readable, options: ChunkOptions): Promise<ChunkedFile> {
  const maxBytes = options.maxBytes ?? defaultLimits.maxBytes;
  const parser = parse({
    bom: true,
    delimiter: options.delimiter ?? ',',
    relax_column_count: true,
    max_record_size: maxRowChars,
    skip_empty_lines: true,
    trim: true,
  });
  // A failure anywhere upstream (the source, the limit) destroys the parser with it, so the
  // records below report it; this promise only needs to be observed.
  pipeline(input, byteLimiter(maxBytes), parser).catch(() => undefined);
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<string[]>;
  const next = async (): Promise<IteratorResult<string[]>> => {
    try {
      return await records.next();
    } catch (error) {
      throw csvFailure(error, maxBytes);
    }
  };
  const first = await next();
  if (first.done) throw noHeader();
  async function* chunks(): AsyncGenerator<RawChunk> {
    let rows: string[][] = [];
    let firstRow = 1;
    for (let record = await next(); !record.done; record = await next()) {
      rows.push(record.value);
      if (rows.length === options.chunkRows) {
        yield { firstRow, rows };
        firstRow += rows.length;
        rows = [];
      }
    }
    if (rows.length > 0) yield { firstRow, rows };
  }
  return { header: first.value, chunks: chunks() };
}

export async function readParquetChunks(file: AsyncBuffer, options: ChunkOptions): Promise<ChunkedFile> {
  const maxBytes = options.maxBytes ?? defaultLimits.maxBytes;
  if (file.byteLength > maxBytes) throw datasetError([tooLarge(maxBytes)]);
  const failed = (error: unknown) =>
    malformed(`the file is not valid Parquet: ${error instanceof Error ? error.message : String(error)}`);
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (error) {
    throw failed(error);
  }
  const header = parquetSchema(metadata).children.map((child) => child.element.name);
  if (header.length === 0) throw noHeader();
  const groups = metadata.row_groups.map((group) => Number(group.num_rows));
  async function* chunks(): AsyncGenerator<RawChunk> {
    let groupStart = 0;
    for (const groupRows of groups) {
      let rows: unknown[][] = [];
      try {
        await parquetRead({
          file,
          metadata,
          rowStart: groupStart,
          rowEnd: groupStart + groupRows,
          onComplete: (read: unknown[][]) => (rows = read),
        });
      } catch (error) {
        throw failed(error);
      }
      for (let start = 0; start < rows.length; start += options.chunkRows) {
        yield {
          firstRow: groupStart + start + 1,
          rows: rows.slice(start, start + options.chunkRows).map((row): RawCell[] => row.map(cellOf)),
        };
      }
      groupStart += groupRows;
    }
  }
  return { header, chunks: chunks() };
}
