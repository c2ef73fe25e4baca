import { describe, expect, it } from 'vitest';
import { MemoryArtifactStore } from '../../../shared/artifacts/memory-artifact-store.js';
import { loadVerifiedArtifact } from '../../../shared/artifacts/model-artifacts.js';
import { PlatformError } from '../../../shared/errors.js';
import { MemoryRegistryStore } from '../../../shared/registry/memory-registry-store.js';
import { publishVersion } from '../../../shared/registry/publish-version.js';
import { servableModel } from '../../../shared/registry/servable-model.js';
import { artifactBytes, newVersion } from '../../support/registry/fixtures.js';

async function failure(promise: Promise<unknown>): Promise<PlatformError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (error instanceof PlatformError) return error;
  throw new Error(`expected a PlatformError, got ${String(error)}`);
}

describe('model artifacts', () => {
  it('publishes a version and its artifact, and a replayed publish changes nothing', async () => {
    const registry = new MemoryRegistryStore();
    const artifacts = new MemoryArtifactStore();
    const first = await publishVersion(
      registry,
      artifacts,
      newVersion('churn', 'run-1'),
      artifactBytes('run-1'),
    );
    const again = await publishVersion(
      registry,
      artifacts,
      newVersion('churn', 'run-1'),
      artifactBytes('run-1'),
    );
    expect(again).toEqual({ version: first.version, created: false });
    expect(await loadVerifiedArtifact(artifacts, first.version)).toEqual(artifactBytes('run-1'));
    expect((await artifacts.get('churn/1/model.onnx')).metadata).toMatchObject({
      model: 'churn',
      version: '1',
      sha256: first.version.artifact.sha256,
    });
  });

  it('refuses bytes that are not the ones registered', async () => {
    const registry = new MemoryRegistryStore();
    const error = await failure(
      publishVersion(
        registry,
        new MemoryArtifactStore(),
        newVersion('churn', 'run-1'),
        Buffer.from('other bytes'),
      ),
    );
    expect(error.code).toBe('INTEGRITY_ERROR');
  });

  it('never overwrites a stored artifact', async () => {
    const artifacts = new MemoryArtifactStore();
    await artifacts.putOnce('churn/1/model.onnx', Buffer.from('a'), {});
    expect((await failure(artifacts.putOnce('churn/1/model.onnx', Buffer.from('b'), {}))).code).toBe(
      'CONFLICT',
    );
    expect((await artifacts.get('churn/1/model.onnx')).bytes.toString()).toBe('a');
  });

  it('refuses to load an artifact whose bytes changed in storage, naming the version and both checksums', async () => {
    const registry = new MemoryRegistryStore();
    const artifacts = new MemoryArtifactStore();
    const { version } = await publishVersion(
      registry,
      artifacts,
      newVersion('churn', 'run-1'),
      artifactBytes('run-1'),
    );
    artifacts.tamper('churn/1/model.onnx', Buffer.from('tampered'));
    const error = await failure(loadVerifiedArtifact(artifacts, version));
    expect(error.code).toBe('INTEGRITY_ERROR');
    expect(error.details).toMatchObject({ model: 'churn', version: 1, expected: version.artifact.sha256 });
    const actual = error.details.actual as string;
    expect(actual).toMatch(/^[a-f0-9]{64}$/);
    expect(error.message).toContain('version 1');
    expect(error.message).toContain(version.artifact.sha256);
    expect(error.message).toContain(actual);
  });
});

describe('servable model', () => {
  it('serves the deployment alias by default, or the pinned alias or version, and never an archived pin', async () => {
    const registry = new MemoryRegistryStore();
    const artifacts = new MemoryArtifactStore();
    for (const run of ['run-1', 'run-2', 'run-3'])
      await publishVersion(registry, artifacts, newVersion('churn', run), artifactBytes(run));
    await registry.promote('churn', 'champion', 2, { actor: 'a' });
    await registry.promote('churn', 'challenger', 3, { actor: 'a' });
    await registry.archiveVersion('churn', 1);

    const byDefault = await servableModel(registry, 'churn', undefined);
    expect(byDefault).toMatchObject({ version: 2, alias: 'champion' });
    expect(await loadVerifiedArtifact(artifacts, byDefault)).toEqual(artifactBytes('run-2'));
    expect(await servableModel(registry, 'churn', { alias: 'challenger' })).toMatchObject({
      version: 3,
      alias: 'challenger',
    });
    expect(await servableModel(registry, 'churn', { version: 3 })).toMatchObject({
      version: 3,
      artifact: { uri: 'models/churn/3/model.onnx' },
    });
    expect((await failure(servableModel(registry, 'churn', { version: 1 }))).code).toBe('CONFLICT');
    expect((await failure(servableModel(registry, 'churn', { alias: 'canary' }))).code).toBe('NOT_FOUND');
  });
});
