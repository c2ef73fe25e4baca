// The one behavioural suite every RegistryStore must pass (in memory and on Cosmos DB), in
// the spirit of MLflow's abstract store tests: the same calls, the same answers, the same
// error codes.
import { describe, expect, it } from 'vitest';
import { PlatformError, type ErrorCode } from '../../../shared/errors.js';
import { modelLineage } from '../../../shared/registry/lineage-query.js';
import { modelSpecSchema } from '../../../shared/registry/model-spec.js';
import type { RegistryStore } from '../../../shared/registry/registry-store.js';
import { newVersion, uniqueModel } from './fixtures.js';

async function failure(promise: Promise<unknown>): Promise<PlatformError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PlatformError) return error;
    throw error;
  }
  throw new Error('expected a PlatformError, but the call succeeded');
}

async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<PlatformError> {
  const error = await failure(promise);
  expect(error.code, error.message).toBe(code);
  return error;
}

const actor = 'tester';

export function registryStoreSuite(name: string, store: () => RegistryStore): void {
  describe(`RegistryStore contract: ${name}`, () => {
    it('creates a model, reads it back and edits its spec only with a current ETag', async () => {
      const model = uniqueModel();
      const spec = modelSpecSchema.parse({ task: 'binary', target: 'churned' });
      const first = await store().putModel(model, spec);
      expect(first.created).toBe(true);
      expect((await store().getModel(model)).spec.target).toBe('churned');
      expect((await store().listModels()).map((record) => record.name)).toContain(model);

      const edited = modelSpecSchema.parse({ task: 'binary', target: 'left' });
      await expectCode(store().putModel(model, edited, { ifMatch: '"stale"' }), 'PRECONDITION_FAILED');
      expect((await store().getModel(model)).spec.target).toBe('churned');

      const second = await store().putModel(model, edited, { ifMatch: first.model.etag });
      expect(second.created).toBe(false);
      expect(second.model.etag).not.toBe(first.model.etag);
      expect((await store().getModel(model)).spec.target).toBe('left');
    });

    it('answers NOT_FOUND for unknown models, versions, aliases and runs', async () => {
      const model = uniqueModel();
      await expectCode(store().getModel(model), 'NOT_FOUND');
      await expectCode(store().listVersions(model), 'NOT_FOUND');
      await store().registerVersion(newVersion(model, 'run-1'));
      await expectCode(store().getVersion(model, 2), 'NOT_FOUND');
      await expectCode(store().getAlias(model, 'champion'), 'NOT_FOUND');
      await expectCode(store().resolve(model, 'champion'), 'NOT_FOUND');
      await expectCode(store().getRun(model, 'nope'), 'NOT_FOUND');
      await expectCode(store().promote(model, 'champion', 7, { actor }), 'NOT_FOUND');
    });

    it('numbers 20 concurrent registrations 1 to 20 with no gap and no duplicate', async () => {
      const model = uniqueModel();
      const registrations = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store().registerVersion(newVersion(model, `run-${i}`))),
      );
      expect(registrations.map((r) => r.version.version).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
      expect(registrations.every((r) => r.created)).toBe(true);
      const listed = await store().listVersions(model);
      expect(listed.map((v) => v.version)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      for (const registration of registrations) {
        expect((await store().getVersion(model, registration.version.version)).runId).toBe(
          registration.version.runId,
        );
      }
    });

    it('returns the existing version when a run registers again, even concurrently', async () => {
      const model = uniqueModel();
      const first = await store().registerVersion(newVersion(model, 'run-a'));
      const again = await store().registerVersion(newVersion(model, 'run-a'));
      expect(again.created).toBe(false);
      expect(again.version).toEqual(first.version);

      await store().archiveVersion(model, 1);
      expect((await store().registerVersion(newVersion(model, 'run-a'))).version.archived).toBe(true);

      const racing = await Promise.all(
        Array.from({ length: 5 }, () => store().registerVersion(newVersion(model, 'run-b'))),
      );
      expect(new Set(racing.map((r) => r.version.version))).toEqual(new Set([2]));
      expect(racing.filter((r) => r.created)).toHaveLength(1);
      expect((await store().listVersions(model)).map((v) => v.version)).toEqual([1, 2]);
    });

    it('refuses a replayed run that brings a different artifact', async () => {
      const model = uniqueModel();
      await store().registerVersion(newVersion(model, 'run-a'));
      const other = newVersion(model, 'run-a', { artifact: { sha256: 'f'.repeat(64), size: 3 } });
      const error = await expectCode(store().registerVersion(other), 'CONFLICT');
      expect(error.details).toMatchObject({ version: 1, offered: 'f'.repeat(64) });
    });

    it('records the artifact, data, run and metrics of a version and never edits them', async () => {
      const model = uniqueModel();
      const input = newVersion(model, 'run-a', { tags: { team: 'growth' } });
      const { version } = await store().registerVersion(input);
      expect(version).toMatchObject({
        model,
        version: 1,
        runId: 'run-a',
        archived: false,
        artifact: { uri: `models/${model}/1/model.onnx`, sha256: input.artifact.sha256 },
        dataset: input.dataset,
        metrics: input.metrics,
        trainer: input.trainer,
        tags: { team: 'growth' },
      });
      expect(Date.parse(version.createdAt)).not.toBeNaN();
      expect(await store().getVersion(model, 1)).toEqual(version);
    });

    it('archives a version, but not while an alias serves it, and never points an alias at an archived one', async () => {
      const model = uniqueModel();
      await store().registerVersion(newVersion(model, 'run-1'));
      await store().registerVersion(newVersion(model, 'run-2'));
      await store().promote(model, 'champion', 1, { actor });
      await expectCode(store().archiveVersion(model, 1), 'CONFLICT');
      const archived = await store().archiveVersion(model, 2);
      expect(archived.archived).toBe(true);
      expect((await store().getVersion(model, 2)).archived).toBe(true);
      await expectCode(store().promote(model, 'champion', 2, { actor }), 'CONFLICT');
      expect((await store().getAlias(model, 'champion')).version).toBe(1);
    });

    it('refuses an alias change with a stale ETag and leaves the alias and its history as they were', async () => {
      const model = uniqueModel();
      for (const run of ['run-1', 'run-2', 'run-3']) await store().registerVersion(newVersion(model, run));
      const first = await store().promote(model, 'champion', 1, { actor });
      const second = await store().promote(model, 'champion', 2, { actor, ifMatch: first.etag });
      const error = await expectCode(
        store().promote(model, 'champion', 3, { actor, ifMatch: first.etag }),
        'PRECONDITION_FAILED',
      );
      expect(error.status).toBe(412);
      expect(error.details).toMatchObject({ expected: first.etag, current: second.etag });
      expect(await store().getAlias(model, 'champion')).toEqual(second);
      expect(await store().aliasHistory(model, 'champion')).toHaveLength(2);
    });

    it('lets exactly one of several racing promotions with the same ETag win', async () => {
      const model = uniqueModel();
      for (let i = 1; i <= 5; i += 1) await store().registerVersion(newVersion(model, `run-${i}`));
      const start = await store().promote(model, 'champion', 1, { actor });
      const results = await Promise.allSettled(
        [2, 3, 4, 5].map((v) => store().promote(model, 'champion', v, { actor, ifMatch: start.etag })),
      );
      const won = results.filter((r) => r.status === 'fulfilled');
      expect(won).toHaveLength(1);
      for (const lost of results.filter((r) => r.status === 'rejected'))
        expect((lost.reason as PlatformError).code).toBe('PRECONDITION_FAILED');
      expect(await store().aliasHistory(model, 'champion')).toHaveLength(2);
    });

    it('records a promotion and a rollback in the history, and rollback restores the previous version', async () => {
      const model = uniqueModel();
      await store().registerVersion(newVersion(model, 'run-1'));
      await store().registerVersion(newVersion(model, 'run-2'));
      await expectCode(store().rollback(model, 'champion', { actor }), 'NOT_FOUND');
      await store().promote(model, 'champion', 1, { actor, reason: 'first model' });
      await expectCode(store().rollback(model, 'champion', { actor }), 'CONFLICT');
      const approval = { by: 'lead', at: '2026-01-01T00:00:00.000Z', runId: 'run-2' };
      const promoted = await store().promote(model, 'champion', 2, {
        actor,
        reason: 'beats champion',
        approval,
      });
      const rolledBack = await store().rollback(model, 'champion', {
        actor: 'oncall',
        reason: 'bad canary',
        ifMatch: promoted.etag,
      });
      expect(rolledBack).toMatchObject({ version: 1, previous: 2 });
      expect((await store().resolve(model, 'champion')).version).toBe(1);

      const history = await store().aliasHistory(model, 'champion');
      expect(history.map((e) => [e.kind, e.from, e.to, e.actor, e.reason])).toEqual([
        ['promote', null, 1, actor, 'first model'],
        ['promote', 1, 2, actor, 'beats champion'],
        ['rollback', 2, 1, 'oncall', 'bad canary'],
      ]);
      expect(history[1]?.approval).toEqual(approval);
      expect(history.map((e) => e.revision)).toEqual([1, 2, 3]);
    });

    it('treats promoting the version an alias already holds as done, with no second event', async () => {
      const model = uniqueModel();
      await store().registerVersion(newVersion(model, 'run-1'));
      const first = await store().promote(model, 'champion', 1, { actor });
      const again = await store().promote(model, 'champion', 1, { actor });
      expect(again).toEqual(first);
      expect(await store().aliasHistory(model, 'champion')).toHaveLength(1);
    });

    it('resolves an alias to the artifact of its version in one answer', async () => {
      const model = uniqueModel();
      await store().registerVersion(newVersion(model, 'run-1'));
      const { version } = await store().registerVersion(newVersion(model, 'run-2'));
      const alias = await store().promote(model, 'challenger', 2, { actor });
      expect(await store().resolve(model, 'challenger')).toEqual({
        model,
        alias: 'challenger',
        version: 2,
        artifact: version.artifact,
        etag: alias.etag,
      });
      expect((await store().listAliases(model)).map((a) => a.name)).toEqual(['challenger']);
    });

    it('keeps run records', async () => {
      const model = uniqueModel();
      const run = {
        model,
        runId: 'train-x',
        status: 'running' as const,
        startedAt: '2026-01-01T00:00:00.000Z',
      };
      await store().saveRun(run);
      await store().saveRun({ ...run, status: 'succeeded', endedAt: '2026-01-01T00:10:00.000Z', version: 1 });
      expect(await store().getRun(model, 'train-x')).toMatchObject({ status: 'succeeded', version: 1 });
      expect(await store().listRuns(model)).toHaveLength(1);
    });

    it('answers lineage upstream of a version and downstream of a dataset', async () => {
      const model = uniqueModel();
      const first = await store().registerVersion(newVersion(model, 'run-1'));
      await store().promote(model, 'champion', 1, { actor });
      await store().registerVersion(newVersion(model, 'run-2', { parent: 1 }));
      const output = { kind: 'output' as const, uri: `scoring-output/${model}/batch-1/predictions.csv` };
      const edge = {
        from: { kind: 'version' as const, model, version: 1 },
        to: output,
        kind: 'scored' as const,
      };
      await store().recordLineage(model, [edge]);
      await store().recordLineage(model, [edge]);
      expect(await store().recordedLineage(model)).toHaveLength(1);

      const upstream = await modelLineage(store(), model, { kind: 'version', version: 2 }, 'upstream');
      const ids = upstream.nodes.map((n) => n.id).sort();
      expect(ids).toEqual(
        [
          `dataset:${first.version.dataset.sha256}`,
          `profile:profiles/${model}/run-1.json`,
          `profile:profiles/${model}/run-2.json`,
          'run:run-1',
          'run:run-2',
          `version:${model}/1`,
          `version:${model}/2`,
        ].sort(),
      );

      const downstream = await modelLineage(
        store(),
        model,
        { kind: 'dataset', sha256: first.version.dataset.sha256 },
        'downstream',
      );
      const reached = downstream.nodes.map((n) => n.id);
      expect(reached).toEqual(
        expect.arrayContaining([
          `version:${model}/1`,
          `version:${model}/2`,
          `alias:${model}/champion`,
          `output:${output.uri}`,
        ]),
      );
      expect(downstream.edges).toContainEqual({
        from: `version:${model}/1`,
        to: `output:${output.uri}`,
        kind: 'scored',
      });
    });
  });
}
