// The pure parts of the registry: names, alias planning, version filters, lineage traversal
// and the settings that choose between managed identity and the emulator key.
import { describe, expect, it } from 'vitest';
import { PlatformError } from '../../../shared/errors.js';
import { planPromotion, planRollback } from '../../../shared/registry/alias.js';
import { cosmosSettings, isLoopback } from '../../../shared/registry/cosmos-connection.js';
import { modelGraph, subgraph } from '../../../shared/registry/lineage.js';
import { versionRecord } from '../../../shared/registry/model-version.js';
import { modelNameSchema } from '../../../shared/registry/names.js';
import { filterVersions, versionFilterSchema } from '../../../shared/registry/version-filter.js';
import { newVersion } from '../../support/registry/fixtures.js';

const at = '2026-01-01T00:00:00.000Z';
const version = (n: number, overrides: Parameters<typeof newVersion>[2] = {}) =>
  versionRecord(newVersion('churn', `run-${n}`, overrides), n, at);

describe('registry model', () => {
  it('accepts only plain model names', () => {
    for (const good of ['churn', 'a', 'fraud-v2', '0day'])
      expect(modelNameSchema.safeParse(good).success).toBe(true);
    for (const bad of ['', '-x', 'Churn', 'a/b', '..', 'a.b', 'x'.repeat(64), 'a?b', 'a b'])
      expect(modelNameSchema.safeParse(bad).success).toBe(false);
  });

  it('plans a promotion, skips a repeated one and plans a rollback to the previous version', () => {
    const first = planPromotion(undefined, version(1), 'champion', { actor: 'a' }, at);
    expect(first.alias).toMatchObject({ version: 1, previous: null, revision: 1, etag: '"1"' });
    expect(planPromotion(first.alias, version(1), 'champion', { actor: 'a' }, at).event).toBeUndefined();
    const second = planPromotion(first.alias, version(2), 'champion', { actor: 'a', ifMatch: '"1"' }, at);
    expect(second.event).toMatchObject({ kind: 'promote', from: 1, to: 2, revision: 2 });
    const back = planRollback(second.alias, version(1), { actor: 'b' }, at);
    expect(back.event).toMatchObject({ kind: 'rollback', from: 2, to: 1, reason: 'rollback' });
    expect(() =>
      planPromotion(second.alias, version(3), 'champion', { actor: 'a', ifMatch: '"1"' }, at),
    ).toThrow(PlatformError);
    expect(() => planPromotion(undefined, version(3), 'champion', { actor: 'a', ifMatch: '*' }, at)).toThrow(
      /changed since ETag/,
    );
  });

  it('filters versions by tags and metric range, best first, archived ones left out', () => {
    const versions = [
      version(1, { metrics: { auc: 0.7 } }),
      version(2, { metrics: { auc: 0.9 }, tags: { team: 'a' } }),
      { ...version(3, { metrics: { auc: 0.95 } }), archived: true },
    ];
    const byMetric = filterVersions(versions, versionFilterSchema.parse({ metric: 'auc' }));
    expect(byMetric.map((v) => v.version)).toEqual([2, 1]);
    expect(
      filterVersions(
        versions,
        versionFilterSchema.parse({ metric: 'auc', includeArchived: true, ascending: true }),
      ).map((v) => v.version),
    ).toEqual([1, 2, 3]);
    expect(
      filterVersions(versions, versionFilterSchema.parse({ tags: { team: 'a' } })).map((v) => v.version),
    ).toEqual([2]);
    expect(
      filterVersions(versions, versionFilterSchema.parse({ metric: 'auc', max: 0.8 })).map((v) => v.version),
    ).toEqual([1]);
    expect(filterVersions(versions, versionFilterSchema.parse({})).map((v) => v.version)).toEqual([2, 1]);
  });

  it('walks lineage upstream and downstream without crossing into unrelated branches', () => {
    const v1 = version(1);
    const v2 = versionRecord(
      newVersion('churn', 'run-2', {
        parent: 1,
        dataset: { uri: 'datasets/churn/b.csv', sha256: 'b'.repeat(64) },
      }),
      2,
      at,
    );
    const graph = modelGraph([v1, v2], [], []);
    const upstreamOfV1 = subgraph(graph, 'version:churn/1', 'upstream');
    expect(upstreamOfV1.nodes.map((n) => n.id)).not.toContain(`dataset:${'b'.repeat(64)}`);
    const downstreamOfB = subgraph(graph, `dataset:${'b'.repeat(64)}`, 'downstream');
    expect(downstreamOfB.nodes.map((n) => n.id)).toContain('version:churn/2');
    expect(downstreamOfB.nodes.map((n) => n.id)).not.toContain('version:churn/1');
    expect(downstreamOfB.nodes.find((n) => n.id.startsWith('dataset:'))?.ref).toMatchObject({
      uri: 'datasets/churn/b.csv',
    });
  });

  it('uses managed identity for an endpoint and the emulator key only from a connection string', () => {
    expect(cosmosSettings({ COSMOS_ENDPOINT: 'https://acct.documents.azure.com:443/' })).toEqual({
      endpoint: 'https://acct.documents.azure.com:443/',
      database: 'mlops',
    });
    expect(
      cosmosSettings({
        COSMOS_CONNECTION_STRING: 'AccountEndpoint=https://127.0.0.1:8081/;AccountKey=abc==;',
        COSMOS_DATABASE: 'x',
      }),
    ).toEqual({
      endpoint: 'https://127.0.0.1:8081/',
      key: 'abc==',
      database: 'x',
    });
    expect(() => cosmosSettings({})).toThrow(/COSMOS_ENDPOINT/);
    expect(() => cosmosSettings({ COSMOS_CONNECTION_STRING: 'nonsense' })).toThrow(/AccountEndpoint/);
    expect(isLoopback('https://127.0.0.1:8081/')).toBe(true);
    expect(isLoopback('https://localhost:8081/')).toBe(true);
    expect(isLoopback('https://acct.documents.azure.com/')).toBe(false);
  });
});
