// Artifacts in Azurite through the official blob client: written once, and a model whose
// bytes were changed in storage behind the registry's back is refused when loaded.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type Azurite } from '../../../local/emulators/azurite.js';
import { BlobArtifactStore } from '../../../shared/artifacts/blob-artifact-store.js';
import { blobServiceFromSettings } from '../../../shared/artifacts/blob-connection.js';
import { loadVerifiedArtifact } from '../../../shared/artifacts/model-artifacts.js';
import { PlatformError } from '../../../shared/errors.js';
import { MemoryRegistryStore } from '../../../shared/registry/memory-registry-store.js';
import { artifactContainer } from '../../../shared/artifacts/artifact-paths.js';
import { publishVersion } from '../../../shared/registry/publish-version.js';
import { artifactBytes, newVersion } from '../../support/registry/fixtures.js';

let azurite: Azurite;
let service: BlobServiceClient;
let artifacts: BlobArtifactStore;

beforeAll(async () => {
  azurite = await startAzurite({ location: await mkdtemp(join(tmpdir(), 'azurite-registry-')) });
  service = blobServiceFromSettings({ AzureWebJobsStorage: azurite.connectionString });
  artifacts = await BlobArtifactStore.open(service, artifactContainer);
});

afterAll(async () => {
  await azurite?.stop();
});

async function failure(promise: Promise<unknown>): Promise<PlatformError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (error instanceof PlatformError) return error;
  throw new Error(`expected a PlatformError, got ${String(error)}`);
}

describe('blob artifact store', () => {
  it('writes an artifact once and refuses a second write to the same path', async () => {
    await artifacts.putOnce('once/1/model.onnx', Buffer.from('first'), { model: 'once' });
    const error = await failure(
      artifacts.putOnce('once/1/model.onnx', Buffer.from('second'), { model: 'once' }),
    );
    expect(error.code).toBe('CONFLICT');
    const stored = await artifacts.get('once/1/model.onnx');
    expect(stored.bytes.toString()).toBe('first');
    expect(stored.metadata).toMatchObject({ model: 'once' });
    expect((await failure(artifacts.get('once/2/model.onnx'))).code).toBe('NOT_FOUND');
  });

  it('serves a published model only while its bytes match the registered SHA-256', async () => {
    const registry = new MemoryRegistryStore();
    const { version } = await publishVersion(
      registry,
      artifacts,
      newVersion('churn', 'run-1'),
      artifactBytes('run-1'),
    );
    expect(version.artifact.uri).toBe('models/churn/1/model.onnx');
    expect(await loadVerifiedArtifact(artifacts, version)).toEqual(artifactBytes('run-1'));

    // Someone with storage access replaces the bytes, bypassing the registry.
    const tampered = Buffer.from('not the model that was evaluated');
    await service
      .getContainerClient(artifactContainer)
      .getBlockBlobClient('churn/1/model.onnx')
      .uploadData(tampered);

    const error = await failure(loadVerifiedArtifact(artifacts, version));
    expect(error.code).toBe('INTEGRITY_ERROR');
    expect(error.details).toMatchObject({
      model: 'churn',
      version: 1,
      expected: version.artifact.sha256,
      uri: 'models/churn/1/model.onnx',
    });
    expect(error.message).toContain(version.artifact.sha256);
    expect(error.message).toContain(error.details.actual as string);
  });
});
