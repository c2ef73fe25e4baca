// The score route through the local host with the product app, the Cosmos DB emulator and
// Azurite: answers match onnxruntime run in-process on the same artifact; bad rows are 400s
// naming row and field; unknown model, alias and version are 404s; a tampered artifact is a 503
// with the reason while everything else keeps serving; an alias move is picked up live.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Table } from '../../shared/data/table.js';
import { openSession, scoreTable } from '../../shared/ml/onnx-runtime.js';
import { artifactPath } from '../../shared/artifacts/artifact-paths.js';
import { eventually } from '../support/host.js';
import { register, trainedModel } from '../support/served-models.js';
import { startServingStack, type ServingStack } from '../support/serving-stack.js';

let stack: ServingStack;
let first: { bytes: Uint8Array; table: Table };
let second: { bytes: Uint8Array; table: Table };

function rowsOf(table: Table, count: number): Record<string, number | string | null>[] {
  return Array.from({ length: count }, (_, row) => {
    const values: Record<string, number | string | null> = {};
    for (const name of ['x0', 'x1', 'x2', 'x3', 'colour']) {
      const column = table.columns.get(name)!;
      const value = column.values[row] ?? null;
      values[name] = typeof value === 'number' && Number.isNaN(value) ? null : value;
    }
    return values;
  });
}

interface ScoreAnswer {
  model: string;
  version: number;
  alias: string | null;
  predictions: string[];
  probabilities: number[][];
  classes: string[];
}

const score = (model: string, rows: unknown, query = '') =>
  stack.call(`/models/${model}/score${query}`, { method: 'POST', body: JSON.stringify({ rows }) });

beforeAll(async () => {
  stack = await startServingStack({
    SCORING_MAX_ROWS: '50',
    SCORING_REFRESH_SECONDS: '1',
    SCORING_CAPTURE_FLUSH_SECONDS: '1',
  });
  first = trainedModel({ seed: 1 });
  second = trainedModel({ seed: 2 });
  await register(stack.registry, stack.artifacts, 'churn', 'run-1', first.bytes);
  await register(stack.registry, stack.artifacts, 'churn', 'run-2', second.bytes);
  await register(stack.registry, stack.artifacts, 'churn', 'run-3', trainedModel({ seed: 3 }).bytes);
  await register(stack.registry, stack.artifacts, 'churn', 'run-4', trainedModel({ seed: 4 }).bytes);
  await stack.registry.promote('churn', 'champion', 1, { actor: 'test' });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('POST /api/models/{model}/score', () => {
  it('answers what onnxruntime computes for the champion, saying which version answered', async () => {
    const rows = rowsOf(first.table, 20);
    const response = await score('churn', rows);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-model-version')).toBe('1');
    expect(response.headers.get('x-model-alias')).toBe('champion');
    const body = (await response.json()) as ScoreAnswer;
    expect(body).toMatchObject({ model: 'churn', version: 1, alias: 'champion', classes: ['no', 'yes'] });
    const session = await openSession(first.bytes);
    const expected = await scoreTable(session, sliceTable(first.table, 20), [
      ...['x0', 'x1', 'x2', 'x3'].map((name) => ({ name, type: 'numeric' as const })),
      { name: 'colour', type: 'categorical' as const },
    ]);
    expect(body.probabilities.flat()).toEqual(Array.from(expected));
    expect(body.predictions).toEqual(body.probabilities.map((p) => (p[1]! > p[0]! ? 'yes' : 'no')));
  });

  it('captures scored rows to inference-logs as JSON Lines, off the request path', async () => {
    const rows = rowsOf(first.table, 3);
    const response = await stack.call('/models/churn/score', {
      method: 'POST',
      body: JSON.stringify({ rows }),
      headers: { 'x-request-id': 'capture-check-1' },
    });
    expect(response.headers.get('x-request-id')).toBe('capture-check-1');
    const answer = (await response.json()) as ScoreAnswer;
    const logs = stack.blobs.getContainerClient('inference-logs');
    await logs.createIfNotExists();
    const captured = await eventually(async () => {
      for await (const blob of logs.listBlobsFlat({ prefix: 'churn/' })) {
        expect(blob.name).toMatch(/^churn\/\d{4}-\d{2}-\d{2}\/\d{2}\/[^/]+\.jsonl$/);
        const text = (await logs.getBlobClient(blob.name).downloadToBuffer()).toString();
        const lines = text
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as Record<string, unknown>)
          .filter((line) => line.requestId === 'capture-check-1');
        if (lines.length > 0) return lines;
      }
      return undefined;
    }, 15_000);
    expect(captured).toHaveLength(3);
    expect(captured[0]).toEqual({
      ts: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      requestId: 'capture-check-1',
      model: 'churn',
      version: 1,
      alias: 'champion',
      inputs: rows[0],
      outputs: {
        prediction: answer.predictions[0],
        probabilities: { no: answer.probabilities[0]![0], yes: answer.probabilities[0]![1] },
      },
    });
  });

  it('serves a pinned version or alias', async () => {
    const rows = rowsOf(first.table, 1);
    const pinned = await score('churn', rows, '?version=3');
    expect(pinned.headers.get('x-model-version')).toBe('3');
    expect(await pinned.json()).toMatchObject({ version: 3, alias: null });
    await stack.registry.promote('churn', 'challenger', 2, { actor: 'test' });
    const byAlias = await score('churn', rows, '?alias=challenger');
    expect(await byAlias.json()).toMatchObject({ version: 2, alias: 'challenger' });
  });

  it('refuses bad rows with 400 naming the row and field, never a 5xx', async () => {
    const good = rowsOf(first.table, 3);
    const cases: [unknown, string][] = [
      [[good[0], { ...good[1], height: 3 }], 'rows.1.height'],
      [[good[0], good[1], { x0: 1, x1: 1, x2: 1, x3: 1 }], 'rows.2.colour'],
      [[{ ...good[0], x1: 'tall' }], 'rows.0.x1'],
      [[{ ...good[0], x2: 1e39 }], 'rows.0.x2'],
      [[{ ...good[0], colour: { name: 'red' } }], 'rows.0.colour'],
      [[], 'rows'],
      [Array.from({ length: 51 }, () => good[0]), 'rows'],
    ];
    for (const [rows, field] of cases) {
      const response = await score('churn', rows);
      const body = (await response.json()) as Record<string, unknown>;
      expect([response.status, body.field], JSON.stringify(body)).toEqual([400, field]);
      expect(body).toMatchObject({ code: 'INVALID_INPUT', error: expect.any(String) });
    }
    const notJson = await stack.call('/models/churn/score', { method: 'POST', body: '{"rows": [' });
    expect(notJson.status).toBe(400);
    const both = await score('churn', good, '?version=1&alias=champion');
    expect(both.status).toBe(400);
    const deep = await stack.call('/models/churn/score', {
      method: 'POST',
      body: `{"rows": [{"x0": ${'['.repeat(20)}${']'.repeat(20)}}]}`,
    });
    expect([deep.status, ((await deep.json()) as { field: string }).field]).toEqual([
      400,
      'rows.0.x0.0.0.0.0.0.0.0.0.0.0.0.0.0',
    ]);
  });

  it('refuses a body over the scoring limit with 413 before reading it', async () => {
    for (const path of ['/models/churn/score', '/v2/models/churn/infer']) {
      const response = await stack.call(path, {
        method: 'POST',
        body: new Uint8Array(32 * 1024 * 1024 + 1),
      });
      expect(response.status).toBe(413);
      expect(await response.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    }
  });

  it('answers 404 for an unknown model, alias or version and 401 without a key', async () => {
    const rows = rowsOf(first.table, 1);
    for (const [model, query] of [
      ['nobody', ''],
      ['churn', '?alias=staging'],
      ['churn', '?version=99'],
    ] as const) {
      const response = await score(model, rows, query);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ code: 'NOT_FOUND', error: expect.any(String) });
    }
    const anonymous = await fetch(`${stack.host.url}/api/models/churn/score`, {
      method: 'POST',
      body: JSON.stringify({ rows }),
    });
    expect(anonymous.status).toBe(401);
  });

  it('answers 503 with the reason for a tampered artifact, and everything else keeps serving', async () => {
    const rows = rowsOf(first.table, 2);
    // Version 1 is loaded already; its blob changing behind the registry's back does not stop it.
    await stack.blobs
      .getContainerClient('models')
      .getBlockBlobClient(artifactPath('churn', 1))
      .uploadData(Buffer.from('not the model'));
    await stack.blobs
      .getContainerClient('models')
      .getBlockBlobClient(artifactPath('churn', 4))
      .uploadData(Buffer.from('not the model either'));
    const broken = await score('churn', rows, '?version=4');
    expect(broken.status).toBe(503);
    const body = (await broken.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', model: 'churn', version: 4 });
    expect(String(body.reason)).toContain('SHA-256');
    expect(JSON.stringify(body)).not.toMatch(/\bat .*\.ts:\d+/);
    expect((await score('churn', rows)).status).toBe(200);
    expect((await score('churn', rows, '?alias=challenger')).status).toBe(200);
  });

  it('picks up an alias move without a restart', async () => {
    const rows = rowsOf(second.table, 1);
    await stack.registry.promote('churn', 'champion', 2, { actor: 'test' });
    const version = await eventually(async () => {
      const response = await score('churn', rows);
      return response.headers.get('x-model-version') === '2' ? 2 : undefined;
    }, 10_000);
    expect(version).toBe(2);
  });
});

function sliceTable(table: Table, rows: number): Table {
  const columns = new Map(
    [...table.columns].map(([name, column]) => [
      name,
      column.kind === 'numeric'
        ? { kind: 'numeric' as const, values: column.values.slice(0, rows) }
        : { kind: 'categorical' as const, values: column.values.slice(0, rows) },
    ]),
  );
  return { names: table.names, columns, rowCount: rows };
}

// Modelled on the KServe and MLServer V2 REST conformance tests.
describe('Open Inference Protocol V2', () => {
  const v2 = (path: string, body?: unknown) =>
    stack.call(`/v2${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });

  function inputsOf(table: Table, rows: number) {
    const numeric = ['x0', 'x1', 'x2', 'x3'].map((name) => ({
      name,
      shape: [rows, 1],
      datatype: 'FP64',
      data: Array.from((table.columns.get(name)!.values as Float64Array).subarray(0, rows), (v) =>
        Number.isNaN(v) ? null : v,
      ),
    }));
    const colour = table.columns.get('colour')!.values.slice(0, rows) as (string | null)[];
    return [
      ...numeric,
      { name: 'colour', shape: [rows], datatype: 'BYTES', data: colour.map((c) => c ?? '') },
    ];
  }

  it('answers health without a key and server metadata with one', async () => {
    for (const path of ['live', 'ready']) {
      const response = await fetch(`${stack.host.url}/api/v2/health/${path}`);
      expect(response.status).toBe(200);
    }
    expect((await fetch(`${stack.host.url}/api/v2`)).status).toBe(401);
    const server = await v2('');
    expect(await server.json()).toMatchObject({
      name: 'azfn-mlops',
      version: expect.any(String),
      extensions: [],
    });
  });

  it('describes a model and a version', async () => {
    const response = await v2('/models/churn');
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ name: 'churn', platform: 'onnx_onnxv1', versions: ['1', '2', '3', '4'] });
    expect(body.inputs).toContainEqual({ name: 'colour', datatype: 'BYTES', shape: [-1, 1] });
    expect(body.inputs).toContainEqual({ name: 'x0', datatype: 'FP32', shape: [-1, 1] });
    expect(body.outputs).toEqual([
      { name: 'label', datatype: 'BYTES', shape: [-1] },
      { name: 'probabilities', datatype: 'FP32', shape: [-1, 2] },
    ]);
    const ready = await v2('/models/churn/versions/2/ready');
    expect([ready.status, await ready.json()]).toEqual([200, { name: 'churn', ready: true }]);
  });

  it('infers, echoing id and parameters, with the same numbers as the score route', async () => {
    const request = { id: 'req-42', parameters: { content_type: 'np' }, inputs: inputsOf(second.table, 5) };
    const response = await v2('/models/churn/versions/2/infer', request);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-model-version')).toBe('2');
    const body = (await response.json()) as { outputs: { name: string; shape: number[]; data: unknown[] }[] };
    expect(body).toMatchObject({
      model_name: 'churn',
      model_version: '2',
      id: 'req-42',
      parameters: { content_type: 'np' },
    });
    expect(body.outputs.map((o) => [o.name, o.shape])).toEqual([
      ['label', [5]],
      ['probabilities', [5, 2]],
    ]);
    const scored = (await (
      await score('churn', rowsOf(second.table, 5), '?version=2')
    ).json()) as ScoreAnswer;
    expect(body.outputs[1]!.data).toEqual(scored.probabilities.flat());
    expect(body.outputs[0]!.data).toEqual(scored.predictions);

    const selected = await v2('/models/churn/versions/2/infer', {
      ...request,
      outputs: [{ name: 'probabilities' }],
    });
    const only = (await selected.json()) as { outputs: { name: string }[] };
    expect(only.outputs.map((o) => o.name)).toEqual(['probabilities']);
  });

  it('refuses FP16, wrong shapes, wrong types and unknown outputs with 400 and an error', async () => {
    const inputs = inputsOf(second.table, 2);
    const withInput = (index: number, change: Record<string, unknown>) =>
      inputs.map((input, i) => (i === index ? { ...input, ...change } : input));
    const cases: [unknown, string][] = [
      [{ inputs: withInput(0, { datatype: 'FP16' }) }, 'inputs.0.datatype'],
      [{ inputs: withInput(1, { shape: [2, 2] }) }, 'inputs.1.shape'],
      [{ inputs: withInput(1, { shape: [3, 1] }) }, 'inputs.1.shape'],
      [{ inputs: withInput(2, { data: [1] }) }, 'inputs.2.data'],
      [{ inputs: withInput(4, { datatype: 'FP32', data: [1, 2] }) }, 'inputs.4.datatype'],
      [{ inputs: withInput(0, { data: ['a', 'b'] }) }, 'inputs.0.data.0'],
      [{ inputs: inputs.slice(1) }, 'inputs'],
      [{ inputs, outputs: [{ name: 'logits' }] }, 'outputs.0.name'],
      [{ inputs: 'all of them' }, 'inputs'],
    ];
    for (const [request, field] of cases) {
      const response = await v2('/models/churn/infer', request);
      const body = (await response.json()) as Record<string, unknown>;
      expect([response.status, body.field], JSON.stringify(body)).toEqual([400, field]);
      expect(body.error).toEqual(expect.any(String));
    }
  });

  it('answers 404 with an error for an unknown model or version', async () => {
    for (const path of ['/models/nobody', '/models/nobody/ready', '/models/churn/versions/99']) {
      const response = await v2(path);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: expect.any(String) });
    }
    const infer = await v2('/models/nobody/infer', { inputs: inputsOf(second.table, 1) });
    expect(infer.status).toBe(404);
  });
});
