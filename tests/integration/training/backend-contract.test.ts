// One contract, two backends: the local pool (child processes, files) and the Azure Batch
// backend against a fake Batch service whose node stages from and uploads to Azurite.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { BlobClient, BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import { devAccount, type Azurite } from '../../../local/emulators/azurite.js';
import { LocalPool } from '../../../local/pool/local-pool.js';
import { BatchBackend } from '../../../shared/training/batch/batch-backend.js';
import { BatchRest } from '../../../shared/training/batch/batch-rest.js';
import { blobLister } from '../../../shared/training/batch/blob-lister.js';
import { startFakeBatch, type FakeBatch } from '../../support/fake-batch.js';
import { startTestAzurite } from '../../support/storage.js';
import { backendContract } from './backend-contract.js';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

backendContract('local pool', async () => {
  const root = await mkdtemp(join(tmpdir(), 'contract-pool-'));
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  return {
    backend: new LocalPool({ root: join(root, 'tasks'), slots: 2, killGraceMs: 200 }),
    async input(name, content) {
      const path = join(root, name);
      await writeFile(path, content);
      return path;
    },
    destination: (name) => join(root, 'results', name),
    landed: (destination, path) => join(destination, path),
    read: (location) => readFile(location, 'utf8'),
  };
});

backendContract('Azure Batch (fake service, Azurite)', async () => {
  const azurite: Azurite = await startTestAzurite();
  const batch: FakeBatch = await startFakeBatch();
  cleanups.push(
    () => azurite.stop(),
    () => batch.stop(),
  );
  const storageKey = new StorageSharedKeyCredential(devAccount.name, devAccount.key);
  const blobs = BlobServiceClient.fromConnectionString(azurite.connectionString);
  const runs = blobs.getContainerClient('runs');
  await runs.createIfNotExists();
  const rest = new BatchRest({
    endpoint: batch.endpoint,
    credential: {
      getToken: () => Promise.resolve({ token: 'test-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
    },
  });
  return {
    backend: new BatchBackend({
      rest,
      pool: {
        poolId: 'cpu',
        nodeIdentityId:
          '/subscriptions/s/resourceGroups/g/providers/Microsoft.ManagedIdentity/userAssignedIdentities/nodes',
      },
      listBlobs: blobLister(storageKey),
      pollMs: 100,
    }),
    async input(name, content) {
      const blob = runs.getBlockBlobClient(`inputs/${name}`);
      await blob.upload(content, Buffer.byteLength(content));
      return blob.url;
    },
    destination: (name) => `${runs.url}/${name}`,
    landed: (destination, path) => `${destination}/${path}`,
    read: async (location) =>
      (await new BlobClient(location, storageKey).downloadToBuffer()).toString('utf8'),
  };
});
