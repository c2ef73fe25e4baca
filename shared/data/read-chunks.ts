// Reads a tabular file a chunk of rows at a time, so memory stays bounded whatever the file's
// size: CSV is streamed through CsvTokenizer with its bytes counted (an oversized file is refused
// as soon as it passes the limit); Parquet is read one row group at a time through the random-
// access buffer it is given (a row group is Parquet's own unit of decoding), then sliced into
// chunks. Broken files become INVALID_DATASET with a MALFORMED_FILE, NO_HEADER or
// FILE_TOO_LARGE problem; everything past the header (types, rules) is the caller's to check.
import type { Readable } from 'node:stream';
import {
  parquetMetadataAsync,
  parquetRead,
  parquetSchema,
  type AsyncBuffer,
  type FileMetaData,
} from 'hyparquet';
import { CsvSyntaxError, CsvTokenizer } from './csv-tokenizer.js';
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

/** Bytes counted as they are read, so an oversized file is refused as soon as it passes the limit. */
async function* limitedText(input: Readable, maxBytes: number): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let seen = 0;
  for await (const piece of input as AsyncIterable<Buffer | string>) {
    const bytes = typeof piece === 'string' ? Buffer.from(piece) : piece;
    seen += bytes.length;
    if (seen > maxBytes) throw datasetError([tooLarge(maxBytes)]);
    yield decoder.decode(bytes, { stream: true });
  }
  yield decoder.decode();
}

/** RFC 4180 CSV (quoted fields, embedded newlines, CRLF, a UTF-8 BOM); cells trimmed; ragged rows kept as they are. */
export async function readCsvChunks(input: Readable, options: ChunkOptions): Promise<ChunkedFile> {
  const tokenizer = new CsvTokenizer(options.delimiter ?? ',', maxRowChars);
  const pieces = limitedText(input, options.maxBytes ?? defaultLimits.maxBytes);
  let rows: string[][] = [];
  let ended = false;
  /** Reads on until `count` rows wait in `rows` or the input ends. */
  const readUntil = async (count: number): Promise<void> => {
    try {
      while (!ended && rows.length < count) {
        const piece = await pieces.next();
        if (piece.done) {
          ended = true;
          tokenizer.end(rows);
        } else tokenizer.push(piece.value, rows);
      }
    } catch (error) {
      input.destroy();
      throw error instanceof CsvSyntaxError ? malformed(csvProblem(error)) : error;
    }
  };
  await readUntil(1);
  const header = rows.shift();
  if (!header) throw noHeader();
  async function* chunks(): AsyncGenerator<RawChunk> {
    for (let firstRow = 1; ;) {
      await readUntil(options.chunkRows);
      if (rows.length === 0) return;
      const chunk = rows.length <= options.chunkRows ? rows : rows.slice(0, options.chunkRows);
      rows = chunk === rows ? [] : rows.slice(options.chunkRows);
      yield { firstRow, rows: chunk };
      firstRow += chunk.length;
    }
  }
  return { header, chunks: chunks() };
}

const csvProblem = (error: CsvSyntaxError): string =>
  error.message.startsWith('a row is longer')
    ? `a row near line ${error.line} is longer than ${maxRowChars} characters`
    : `the file is not valid CSV near line ${error.line}: ${error.message}`;

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
