// Journey 2 through the product app on the local host: a partition of CSV and Parquet files,
// one with bad rows, scored end to end; outputs row-aligned with their inputs and equal to
// scoring the same rows with the model directly; rejects, manifest, lineage, the error
// threshold, and the routes' answers to bad and repeated requests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchManifest } from '../../../shared/batch/batch-manifest.js';
import type { Column, Table } from '../../../shared/data/table.js';
import { interfaceOf } from '../../../shared/ml/model-interface.js';
import { openSession, scoreTable } from '../../../shared/ml/onnx-runtime.js';
import type { HostProcess } from '../../support/host.js';
import { registerTrainedModel } from '../../support/trained-model.js';
import {
  api,
  boot,
  csvRecords,
  csvText,
  download,
  finishedRun,
  parquetBytes,
  scoringTable,
  startBatchStack,
  upload,
  type BatchStack,
} from './batch-app.js';

let stack: BatchStack;
let host: HostProcess;
let modelBytes: Uint8Array;

beforeAll(async () => {
  stack = await startBatchStack();
  ({ bytes: modelBytes } = await registerTrainedModel(stack.registry, stack.blobs, 'churn'));
  host = await boot(stack);
});

afterAll(async () => {
  await host?.stop();
  await stack?.stop();
});

/** Rows of a table, in order, skipping some. */
function keep(table: Table, skip: ReadonlySet<number>): Table {
  const rows = Array.from({ length: table.rowCount }, (_, i) => i).filter((i) => !skip.has(i));
  const columns = new Map<string, Column>();
  for (const [name, column] of table.columns) {
    columns.set(
      name,
      column.kind === 'numeric'
        ? { kind: 'numeric', values: Float64Array.from(rows, (r) => column.values[r]!) }
        : { kind: 'categorical', values: rows.map((r) => column.values[r]!) },
    );
  }
  return { names: table.names, columns, rowCount: rows.length };
}

/** What the model says about these rows when asked directly. */
async function direct(table: Table): Promise<{ labels: string[]; probabilities: Float32Array }> {
  const model = interfaceOf(modelBytes);
  const session = await openSession(modelBytes);
  const probabilities = await scoreTable(session, table, model.features);
  await session.release();
  const labels = Array.from({ length: table.rowCount }, (_, i) =>
    probabilities[2 * i + 1]! > probabilities[2 * i]! ? model.classes[1]! : model.classes[0]!,
  );
  return { labels, probabilities };
}

async function expectScored(outputUri: string, expected: Table): Promise<void> {
  const records = csvRecords(await download(stack, outputUri));
  expect(records).toHaveLength(expected.rowCount);
  const { labels, probabilities } = await direct(expected);
  const x0 = (expected.columns.get('x0') as { values: Float64Array }).values;
  const classes = interfaceOf(modelBytes).classes;
  records.forEach((record, i) => {
    // Row-aligned: the output's input columns are the input row's.
    expect(record.x0 === '' ? Number.NaN : Number(record.x0)).toBe(x0[i]);
    expect(record.prediction).toBe(labels[i]);
    classes.forEach((c, k) =>
      expect(Math.fround(Number(record[`probability_${c}`]))).toBe(probabilities[2 * i + k]),
    );
  });
}

describe('batch scoring through the host', () => {
  it('scores a partition of CSV and Parquet files, rejects bad rows with reasons, and writes the manifest', async () => {
    const a = scoringTable(300, 11);
    const b = scoringTable(260, 12);
    const c = scoringTable(200, 13);
    const cLines = csvText(c).split('\r\n');
    // Data rows 5 and 77 get a non-number in x0; row 120 loses a field.
    cLines[5] = cLines[5]!.replace(/^[^,]*/, 'abc');
    cLines[77] = cLines[77]!.replace(/^[^,]*/, '1e999');
    cLines[120] = cLines[120]!.split(',').slice(1).join(',');
    await upload(stack, 'churn/2026-11-30/a.csv', csvText(a));
    await upload(stack, 'churn/2026-11-30/b.parquet', parquetBytes(b));
    await upload(stack, 'churn/2026-11-30/c.csv', cLines.join('\r\n'));
    await upload(stack, 'churn/2026-11-30/notes.txt', 'not an input');

    const response = await api(host, 'churn', {
      method: 'POST',
      body: JSON.stringify({ partition: '2026-11-30' }),
    });
    expect(response.status).toBe(202);
    const started = (await response.json()) as { runId: string; statusUri: string; version: number };
    expect(started).toMatchObject({ runId: 'batch:churn:2026-11-30:v1', version: 1, created: true });
    expect(started.statusUri).toBe(
      `${host.url}/api/batch-scoring/churn/runs/${encodeURIComponent(started.runId)}`,
    );

    const run = await finishedRun(host, 'churn', started.runId);
    expect(run.status).toBe('succeeded');
    const manifest = run.manifest as BatchManifest;
    expect(manifest).toMatchObject({
      runId: started.runId,
      model: 'churn',
      version: 1,
      alias: 'champion',
      partition: '2026-11-30',
      status: 'succeeded',
      totals: { files: 3, failedFiles: 0, rows: 760, scored: 757, rejected: 3 },
    });
    expect(manifest.files.map((f) => [f.file, f.rows, f.scored, f.rejected])).toEqual([
      ['a.csv', 300, 300, 0],
      ['b.parquet', 260, 260, 0],
      ['c.csv', 200, 197, 3],
    ]);
    const stored = JSON.parse(
      (await download(stack, `scoring-output/churn/${started.runId}/_manifest.json`)).toString(),
    );
    expect(stored).toEqual(manifest);

    await expectScored(manifest.files[0]!.output!, a);
    await expectScored(manifest.files[1]!.output!, b);
    await expectScored(manifest.files[2]!.output!, keep(c, new Set([4, 76, 119])));
    const rejects = csvRecords(await download(stack, manifest.files[2]!.rejects!));
    expect(rejects.map((r) => r.row)).toEqual(['5', '77', '120']);
    expect(rejects[0]!.reason).toMatch(/feature 'x0' must be a finite number, got "abc"/);
    expect(rejects[2]!.reason).toMatch(/the row has 5 field\(s\), the header 6/);
    expect(manifest.files[0]!.sha256).toMatch(/^[a-f0-9]{64}$/);

    // Asking again, however it is asked, finds the same run.
    const again = await api(host, 'churn', { method: 'POST', body: '{}' });
    expect(await again.json()).toMatchObject({ runId: started.runId, created: false });
    const list = (await (await api(host, 'churn/runs')).json()) as {
      runs: { runId: string; status: string }[];
    };
    expect(list.runs).toEqual([expect.objectContaining({ runId: started.runId, status: 'succeeded' })]);
  });

  it('records lineage: inputs and the version into the run, the run into its outputs', async () => {
    const response = await fetch(
      `${host.url}/api/registry/models/churn/lineage?version=1&direction=downstream`,
      {
        headers: { 'x-functions-key': 'batch-e2e-key' },
      },
    );
    const graph = (await response.json()) as {
      nodes: { id: string }[];
      edges: { from: string; to: string; kind: string }[];
    };
    const run = 'run:batch:churn:2026-11-30:v1';
    expect(graph.edges).toContainEqual({ from: 'version:churn/1', to: run, kind: 'scored' });
    const produced = graph.edges.filter((e) => e.from === run && e.kind === 'produced').map((e) => e.to);
    expect(produced.sort()).toEqual(
      ['a.csv', 'b.csv', 'c.csv', 'c.rejects.csv', '_manifest.json']
        .map((f) => `output:scoring-output/churn/${run.slice(4)}/${f}`)
        .sort(),
    );
    const upstream = await fetch(`${host.url}/api/registry/models/churn/lineage`, {
      headers: { 'x-functions-key': 'batch-e2e-key' },
    });
    const whole = (await upstream.json()) as { edges: { to: string; kind: string }[] };
    expect(whole.edges.filter((e) => e.to === run && e.kind === 'input-of')).toHaveLength(3);
  });

  it('fails a run that passes the error threshold, still writing its manifest', async () => {
    await stack.registry.putModel('churn', {
      ...(await stack.registry.getModel('churn')).spec,
      batch: { errorThreshold: { rejectedFraction: 0.01 }, concurrency: 2, chunkRows: 100, fileAttempts: 2 },
    });
    const lines = csvText(scoringTable(150, 21)).split('\r\n');
    for (const row of [3, 30, 60]) lines[row] = lines[row]!.replace(/^[^,]*/, 'n/a?');
    await upload(stack, 'churn/2026-12-01/bad.csv', lines.join('\r\n'));
    await upload(stack, 'churn/2026-12-01/missing-column.csv', 'x0,x1\r\n1,2\r\n');
    const response = await api(host, 'churn', {
      method: 'POST',
      body: JSON.stringify({ partition: '2026-12-01' }),
    });
    const { runId } = (await response.json()) as { runId: string };
    const run = await finishedRun(host, 'churn', runId);
    expect(run.status).toBe('failed');
    expect(run.reason).toMatch(
      /3 of 150 row\(s\) were rejected, more than batch.errorThreshold.rejectedFraction \(0.01\)/,
    );
    expect(run.manifest?.files).toEqual([
      expect.objectContaining({ file: 'bad.csv', status: 'scored', rows: 150, rejected: 3 }),
      expect.objectContaining({
        file: 'missing-column.csv',
        status: 'failed',
        error: expect.stringMatching(/no column 'x2', 'x3', 'colour'/),
      }),
    ]);
    const stored = JSON.parse(
      (await download(stack, `scoring-output/churn/${runId}/_manifest.json`)).toString(),
    );
    expect(stored).toMatchObject({ status: 'failed', totals: { files: 2, failedFiles: 1 } });
  });

  it('answers bad requests with 4xx naming the field, and unknown models, partitions and runs with 404', async () => {
    const cases: [string, RequestInit, number, Record<string, unknown>][] = [
      ['Bad_Name', { method: 'POST' }, 400, { field: 'model' }],
      ['churn', { method: 'POST', body: '{"partition": "../x"}' }, 400, { field: 'partition' }],
      ['churn', { method: 'POST', body: '{"version": 1, "alias": "champion"}' }, 400, { field: 'alias' }],
      ['churn', { method: 'POST', body: '{"partition": ' }, 400, { field: '(body)' }],
      ['churn', { method: 'POST', body: '{"partition": "2099-01-01"}' }, 404, { code: 'NOT_FOUND' }],
      ['churn', { method: 'POST', body: '{"version": 7}' }, 404, { code: 'NOT_FOUND' }],
      ['nobody', { method: 'POST' }, 404, { code: 'NOT_FOUND' }],
      ['churn/runs/batch:other:p:v1', {}, 404, { code: 'NOT_FOUND' }],
      ['nobody/runs', {}, 404, { code: 'NOT_FOUND' }],
    ];
    for (const [path, init, status, body] of cases) {
      const response = await api(host, path, init);
      expect(response.status, `${init.method ?? 'GET'} ${path} ${String(init.body)}`).toBe(status);
      expect(await response.json()).toMatchObject(body);
    }
  });
});
