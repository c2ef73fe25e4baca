// The model runtime adapter: scores a table through onnxruntime-node with the model interface
// of DESIGN.md section 4 (one [N, 1] input per feature column; `probabilities` or `variable`).
import * as ort from 'onnxruntime-node';
import { PlatformError } from '../errors.js';
import type { Table } from '../data/table.js';
import { columnOf, numericAsText } from './features.js';
import type { ModelFeature } from './model.js';

export type Session = ort.InferenceSession;

export function openSession(bytes: Uint8Array): Promise<Session> {
  // Idle intra-op threads sleep instead of spinning: on shared or busy vCPUs (Functions
  // instances, pool nodes) spinning threads steal the cycles the working ones need.
  return ort.InferenceSession.create(bytes, {
    graphOptimizationLevel: 'all',
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  });
}

/** The feeds for rows [start, end) of a table: float32 for numeric columns, strings for categorical. */
export function feedsOf(
  table: Table,
  features: readonly ModelFeature[],
  start = 0,
  end = table.rowCount,
): Record<string, ort.Tensor> {
  const rows = end - start;
  const feeds: Record<string, ort.Tensor> = {};
  for (const f of features) {
    const column = columnOf(table, f.name);
    if (f.type === 'categorical') {
      const values = column.kind === 'categorical' ? column.values : numericAsText(column.values);
      // A missing category is served as the empty string, which the graph maps to missing.
      feeds[f.name] = new ort.Tensor(
        'string',
        values.slice(start, end).map((v) => v ?? ''),
        [rows, 1],
      );
    } else {
      if (column.kind !== 'numeric') {
        throw new PlatformError('INVALID_DATASET', `Column '${f.name}' must be numeric.`, { column: f.name });
      }
      // A whole table (every scoring request) is converted without a view of it first.
      const values = rows === column.values.length ? column.values : column.values.subarray(start, end);
      feeds[f.name] = new ort.Tensor('float32', Float32Array.from(values), [rows, 1]);
    }
  }
  return feeds;
}

/** `probabilities` (row-major [rows, classes]) or `variable` ([rows]) for the whole table, in batches. */
export async function scoreTable(
  session: Session,
  table: Table,
  features: readonly ModelFeature[],
  batch = 10_000,
): Promise<Float32Array> {
  const name = session.outputNames.includes('probabilities') ? 'probabilities' : 'variable';
  const parts: Float32Array[] = [];
  for (let start = 0; start < table.rowCount; start += batch) {
    const end = Math.min(table.rowCount, start + batch);
    const result = await session.run(feedsOf(table, features, start, end), [name]);
    parts.push(result[name]?.data as Float32Array);
  }
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
