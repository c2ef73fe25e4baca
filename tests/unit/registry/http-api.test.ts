// The registry API's request handling without a host: statuses, bodies, ETags and the field
// named in every 400.
import { beforeEach, describe, expect, it } from 'vitest';
import * as api from '../../../shared/registry/http-api.js';
import { MemoryRegistryStore } from '../../../shared/registry/memory-registry-store.js';
import { newVersion } from '../../support/registry/fixtures.js';

let store: MemoryRegistryStore;

function call(
  handler: api.ApiHandler,
  params: Record<string, string>,
  options: { body?: unknown; query?: string; headers?: Record<string, string> } = {},
) {
  const headers = new Headers(options.headers ?? {});
  const body =
    options.body === undefined
      ? ''
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  return api.handle(handler, async () => store, {
    params,
    query: new URLSearchParams(options.query ?? ''),
    headers,
    body,
  });
}

beforeEach(async () => {
  store = new MemoryRegistryStore();
  await store.registerVersion(
    newVersion('churn', 'run-1', { tags: { stage: 'candidate' }, metrics: { auc: 0.7 } }),
  );
  await store.registerVersion(
    newVersion('churn', 'run-2', { tags: { stage: 'candidate', team: 'risk' }, metrics: { auc: 0.9 } }),
  );
  await store.registerVersion(newVersion('churn', 'run-3', { metrics: { auc: 0.8 } }));
});

describe('registry HTTP API', () => {
  it('lists models and shows one with its aliases and ETag', async () => {
    expect((await call(api.listModels, {})).body).toMatchObject({ models: [{ name: 'churn' }] });
    await store.promote('churn', 'champion', 2, { actor: 'x' });
    const response = await call(api.getModel, { model: 'churn' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      name: 'churn',
      latestVersion: 3,
      aliases: [{ name: 'champion', version: 2 }],
    });
    expect(response.headers.etag).toBe((await store.getModel('churn')).etag);
  });

  it('creates and edits a spec, honouring If-Match', async () => {
    const created = await call(
      api.putModel,
      { model: 'fraud' },
      { body: { task: 'binary', target: 'is_fraud' } },
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      spec: { task: 'binary', target: 'is_fraud', deployment: { alias: 'champion' } },
    });
    const stale = await call(
      api.putModel,
      { model: 'fraud' },
      { body: { task: 'binary' }, headers: { 'if-match': '"0"' } },
    );
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ code: 'PRECONDITION_FAILED', expected: '"0"' });
    const edited = await call(
      api.putModel,
      { model: 'fraud' },
      { body: { task: 'regression' }, headers: { 'if-match': created.headers.etag as string } },
    );
    expect(edited.status).toBe(200);
  });

  it('answers 400 naming the field at fault, never 5xx, for bad input', async () => {
    const cases: [api.ApiHandler, Record<string, string>, Parameters<typeof call>[2], string][] = [
      [api.getModel, { model: '../etc' }, {}, 'model'],
      [api.getModel, { model: 'A'.repeat(70) }, {}, 'model'],
      [api.putModel, { model: 'fraud' }, { body: '{not json' }, '(body)'],
      [api.putModel, { model: 'fraud' }, { body: '' }, '(body)'],
      [api.putModel, { model: 'fraud' }, { body: { task: 'clustering' } }, 'task'],
      [
        api.putModel,
        { model: 'fraud' },
        { body: { gates: { thresholds: [{ metric: 'auc', min: 'high' }] } } },
        'gates.thresholds.0.min',
      ],
      [api.putModel, { model: 'fraud' }, { body: { unknownField: 1 } }, '(root)'],
      [api.getVersion, { model: 'churn', version: 'latest' }, {}, 'version'],
      [api.getVersion, { model: 'churn', version: '0' }, {}, 'version'],
      [api.putAlias, { model: 'churn', alias: 'champion' }, { body: { version: 'two' } }, 'version'],
      [api.putAlias, { model: 'churn', alias: 'Champion!' }, { body: { version: 1 } }, 'alias'],
      [api.putAlias, { model: 'churn', alias: 'champion' }, { body: [] }, '(root)'],
      [
        api.putAlias,
        { model: 'churn', alias: 'champion' },
        { body: { version: 1, approval: { by: 'me' } } },
        '(root)',
      ],
      [api.listVersions, { model: 'churn' }, { query: 'min=abc&metric=auc' }, 'min'],
      [api.listVersions, { model: 'churn' }, { query: 'tag=nocolon' }, 'tag.0'],
      [api.getLineage, { model: 'churn' }, { query: 'direction=sideways' }, 'direction'],
      [api.getLineage, { model: 'churn' }, { query: 'dataset=xyz' }, 'dataset'],
    ];
    for (const [handler, params, options, field] of cases) {
      const response = await call(handler, params, options);
      expect(response.status, JSON.stringify(response.body)).toBe(400);
      expect(response.body).toMatchObject({ code: 'INVALID_INPUT', field });
      expect((response.body as { error: string }).error).toBeTruthy();
    }
  });

  it('answers 404 for unknown models, versions and aliases', async () => {
    for (const [handler, params] of [
      [api.getModel, { model: 'nobody' }],
      [api.listVersions, { model: 'nobody' }],
      [api.getVersion, { model: 'churn', version: '9' }],
      [api.getAlias, { model: 'churn', alias: 'champion' }],
      [api.getLineage, { model: 'nobody' }],
    ] as const) {
      const response = await call(handler, params);
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ code: 'NOT_FOUND' });
    }
    const promote = await call(api.putAlias, { model: 'churn', alias: 'champion' }, { body: { version: 9 } });
    expect(promote.status).toBe(404);
    expect(promote.body).toMatchObject({ version: 9 });
  });

  it('archives a version that no alias serves', async () => {
    await store.promote('churn', 'champion', 2, { actor: 'x' });
    expect((await call(api.archiveVersion, { model: 'churn', version: '2' })).status).toBe(409);
    const archived = await call(api.archiveVersion, { model: 'churn', version: '1' });
    expect(archived.body).toMatchObject({ version: 1, archived: true });
    const listed = await call(api.listVersions, { model: 'churn' });
    expect((listed.body as { versions: { version: number }[] }).versions.map((v) => v.version)).toEqual([
      3, 2,
    ]);
    const all = await call(api.listVersions, { model: 'churn' }, { query: 'archived=true' });
    expect((all.body as { versions: { version: number }[] }).versions.map((v) => v.version)).toEqual([
      3, 2, 1,
    ]);
  });

  it('lists versions by tag and by metric, best first', async () => {
    const tagged = await call(api.listVersions, { model: 'churn' }, { query: 'tag=stage:candidate' });
    expect((tagged.body as { versions: { version: number }[] }).versions.map((v) => v.version)).toEqual([
      2, 1,
    ]);
    // Azure's host delivers `?tag=a&tag=b` as one comma-joined value; both forms filter alike.
    for (const query of ['tag=stage:candidate,team:risk', 'tag=stage:candidate&tag=team:risk']) {
      const both = await call(api.listVersions, { model: 'churn' }, { query });
      expect((both.body as { versions: { version: number }[] }).versions.map((v) => v.version)).toEqual([2]);
    }
    const best = await call(api.listVersions, { model: 'churn' }, { query: 'metric=auc&min=0.75' });
    expect((best.body as { versions: { version: number }[] }).versions.map((v) => v.version)).toEqual([2, 3]);
  });

  it('promotes with If-Match, answers 412 on a stale ETag, and rolls back', async () => {
    const first = await call(
      api.putAlias,
      { model: 'churn', alias: 'champion' },
      { body: { version: 1, reason: 'first' }, headers: { 'x-ms-client-principal-name': 'ana@example.com' } },
    );
    expect(first.status).toBe(200);
    const etag = first.headers.etag as string;
    const second = await call(
      api.putAlias,
      { model: 'churn', alias: 'champion' },
      { body: { version: 2 }, headers: { 'if-match': etag } },
    );
    expect(second.status).toBe(200);
    const stale = await call(
      api.putAlias,
      { model: 'churn', alias: 'champion' },
      { body: { version: 3 }, headers: { 'if-match': etag } },
    );
    expect(stale.status).toBe(412);
    expect((await store.getAlias('churn', 'champion')).version).toBe(2);

    const rolledBack = await call(
      api.rollbackAlias,
      { model: 'churn', alias: 'champion' },
      { headers: { 'if-match': second.headers.etag as string } },
    );
    expect(rolledBack.body).toMatchObject({ version: 1, previous: 2 });
    const shown = await call(api.getAlias, { model: 'churn', alias: 'champion' });
    expect(
      (shown.body as { history: { kind: string; actor: string }[] }).history.map((e) => [e.kind, e.actor]),
    ).toEqual([
      ['promote', 'ana@example.com'],
      ['promote', 'function-key'],
      ['rollback', 'function-key'],
    ]);
  });

  it('answers lineage of the model or of one version', async () => {
    const whole = await call(api.getLineage, { model: 'churn' });
    expect(whole.status).toBe(200);
    expect((whole.body as { nodes: unknown[] }).nodes.length).toBeGreaterThan(3);
    const upstream = await call(
      api.getLineage,
      { model: 'churn' },
      { query: 'version=2&direction=upstream' },
    );
    expect((upstream.body as { nodes: { id: string }[] }).nodes.map((n) => n.id)).toContain('run:run-2');
    expect((await call(api.getLineage, { model: 'churn' }, { query: 'version=8' })).status).toBe(404);
  });

  it('bounds body nesting and size, naming the path, and changes nothing', async () => {
    const deep = `{"params":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`;
    const nested = await call(api.putModel, { model: 'fraud' }, { body: deep });
    expect(nested.status).toBe(400);
    expect(nested.body).toMatchObject({ code: 'INVALID_INPUT', field: `params.${'a.'.repeat(30)}a` });
    const big = await call(api.putModel, { model: 'fraud' }, { body: `{"task":"${'x'.repeat(1 << 20)}"}` });
    expect(big.status).toBe(413);
    expect((await call(api.getModel, { model: 'fraud' })).status).toBe(404);
    expect((await call(api.listModels, {})).status).toBe(200);
  });

  it('accepts the host key as ?code= on every route with a query', async () => {
    for (const handler of [api.listVersions, api.getLineage, api.getModel]) {
      expect((await call(handler, { model: 'churn' }, { query: 'code=secret' })).status).toBe(200);
    }
  });

  it('creates an alias without If-Match but moves or rolls one back only with it (428)', async () => {
    const created = await call(api.putAlias, { model: 'churn', alias: 'champion' }, { body: { version: 1 } });
    expect(created.status).toBe(200);
    const again = await call(api.putAlias, { model: 'churn', alias: 'champion' }, { body: { version: 1 } });
    expect(again.status).toBe(200);
    const moved = await call(api.putAlias, { model: 'churn', alias: 'champion' }, { body: { version: 2 } });
    expect(moved.status).toBe(428);
    expect(moved.body).toMatchObject({ code: 'PRECONDITION_REQUIRED', field: 'if-match' });
    await call(
      api.putAlias,
      { model: 'churn', alias: 'champion' },
      { body: { version: 2 }, headers: { 'if-match': created.headers.etag as string } },
    );
    const rollback = await call(api.rollbackAlias, { model: 'churn', alias: 'champion' });
    expect(rollback.status).toBe(428);
    expect(await store.getAlias('churn', 'champion')).toMatchObject({ version: 2, revision: 2 });
  });

  it('refuses an actor header longer than 256 characters or with control characters', async () => {
    for (const name of ['a'.repeat(8000), 'ana\t@example.com']) {
      const response = await call(
        api.putAlias,
        { model: 'churn', alias: 'champion' },
        { body: { version: 1 }, headers: { 'x-ms-client-principal-name': name } },
      );
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ field: 'x-ms-client-principal-name' });
    }
    await expect(store.getAlias('churn', 'champion')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('hides internal failures behind a generic 500 body and reports them to the log', async () => {
    const logged: unknown[] = [];
    const response = await api.handle(
      async () => {
        throw new Error('socket hang up at 10.0.0.4');
      },
      async () => store,
      { params: {}, query: new URLSearchParams(), headers: new Headers(), body: '' },
      (error) => logged.push(error),
    );
    expect(response.status).toBe(500);
    expect(JSON.stringify(response.body)).not.toContain('10.0.0.4');
    expect(logged).toHaveLength(1);
  });
});
