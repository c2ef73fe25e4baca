// Reads a scoring input a chunk of rows at a time, so memory stays bounded whatever the file's
// size: CSV is streamed through csv-parse; Parquet is read one row group at a time through
// ranged reads (a row group is Parquet's own unit of decoding), then sliced into chunks.
import type { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import {
  parquetMetadataAsync,
  parquetRead,
  parquetSchema,
  type AsyncBuffer,
  type FileMetaData,
} from 'hyparquet';
import { PlatformError } from '../errors.js';
import { cellOf } from '../data/read-parquet.js';
import type { RawCell } from '../data/raw-table.js';
import type { RawChunk } from './score-chunk.js';

export interface ChunkedFile {
  readonly header: string[];
  readonly chunks: AsyncIterable<RawChunk>;
}

function malformed(format: string, error: unknown): PlatformError {
  const reason = error instanceof Error ? error.message : String(error);
  return new PlatformError('INVALID_DATASET', `The file is not valid ${format}: ${reason}`, {});
}

const noHeader = () =>
  new PlatformError('INVALID_DATASET', 'The file is empty; a header row naming the columns is required.', {});

export async function readCsvChunks(input: Readable, chunkRows: number): Promise<ChunkedFile> {
  const parser = input.pipe(
    parse({ bom: true, relax_column_count: true, skip_empty_lines: true, trim: true }),
  );
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<string[]>;
  const next = async (): Promise<IteratorResult<string[]>> => {
    try {
      return await records.next();
    } catch (error) {
      if (error instanceof CsvError) throw malformed('CSV', error);
      throw error;
    }
  };
  const first = await next();
  if (first.done) throw noHeader();
  async function* chunks(): AsyncGenerator<RawChunk> {
    let rows: string[][] = [];
    let firstRow = 1;
    for (let record = await next(); !record.done; record = await next()) {
      rows.push(record.value);
      if (rows.length === chunkRows) {
        yield { firstRow, rows };
        firstRow += rows.length;
        rows = [];
      }
    }
    if (rows.length > 0) yield { firstRow, rows };
  }
  return { header: first.value, chunks: chunks() };
}

export async function readParquetChunks(file: AsyncBuffer, chunkRows: number): Promise<ChunkedFile> {
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (error) {
    throw malformed('Parquet', error);
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
        throw malformed('Parquet', error);
      }
      for (let start = 0; start < rows.length; start += chunkRows) {
        yield {
          firstRow: groupStart + start + 1,
          rows: rows.slice(start, start + chunkRows).map((row): RawCell[] => row.map(cellOf)),
        };
      }
      groupStart += groupRows;
    }
  }
  return { header, chunks: chunks() };
}
