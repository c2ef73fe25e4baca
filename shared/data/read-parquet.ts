// Reads a Parquet file into a validated Dataset with hyparquet. Parquet needs random access to
// its footer, so a path is read through hyparquet's file buffer (ranges on demand) and the size
// limit is checked from the file's length before any page is decoded. Numeric columns end up
// as Float64Arrays, like the CSV reader's, and share all of its validation.
import { stat } from 'node:fs/promises';
import {
  asyncBufferFromFile,
  parquetMetadataAsync,
  parquetRead,
  parquetSchema,
  type AsyncBuffer,
  type ColumnData,
} from 'hyparquet';
import { defaultLimits, type Dataset, type DatasetOptions } from './dataset.js';
import { arrayColumn, cellOf, numberColumn, type RawColumn, type RawTable } from './raw-table.js';
import { datasetError, tooLarge, validateDataset } from './validate-dataset.js';

/** Numeric Parquet columns (doubles, ints, nulls) become Float64Arrays; anything else cells. */
function columnOf(values: ArrayLike<unknown>): RawColumn {
  const numeric = Array.prototype.every.call(
    values,
    (v: unknown) => v === null || v === undefined || typeof v === 'number' || typeof v === 'bigint',
  );
  if (numeric) {
    return numberColumn(
      Float64Array.from(values, (v) => (v === null || v === undefined ? Number.NaN : Number(v))),
    );
  }
  return arrayColumn(Array.from(values, cellOf));
}

function bufferOf(bytes: Uint8Array): AsyncBuffer {
  const copy = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return { byteLength: copy.byteLength, slice: (start, end) => copy.slice(start, end) };
}

/** Reads a Parquet file (path or bytes) and returns the validated Dataset, or throws INVALID_DATASET. */
export async function readParquet(
  source: string | Uint8Array,
  options: DatasetOptions = {},
): Promise<Dataset> {
  const maxBytes = options.limits?.maxBytes ?? defaultLimits.maxBytes;
  const size = typeof source === 'string' ? (await stat(source)).size : source.byteLength;
  if (size > maxBytes) throw datasetError([tooLarge(maxBytes)]);
  const file = typeof source === 'string' ? await asyncBufferFromFile(source) : bufferOf(source);
  let raw: RawTable;
  try {
    const metadata = await parquetMetadataAsync(file);
    const names = parquetSchema(metadata).children.map((child) => child.element.name);
    const rowCount = Number(metadata.num_rows);
    // Column chunks straight into per-column arrays: rows are never assembled as objects.
    const cells = new Map(names.map((name) => [name, new Array<unknown>(rowCount)]));
    await parquetRead({
      file,
      metadata,
      onChunk: ({ columnName, columnData, rowStart }: ColumnData) => {
        const target = cells.get(columnName);
        if (!target) return;
        for (let i = 0; i < columnData.length && rowStart + i < rowCount; i += 1)
          target[rowStart + i] = columnData[i];
      },
    });
    raw = { names, columns: names.map((name) => columnOf(cells.get(name) ?? [])), rowCount };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw datasetError([{ kind: 'MALFORMED_FILE', message: `the file is not valid Parquet: ${reason}` }]);
  }
  return validateDataset(raw, options);
}
