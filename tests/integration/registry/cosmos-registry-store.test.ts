// The shared registry suite against the Cosmos DB emulator, plus what only a real database can
// show: the database and container are created when missing, and a registration whose writer
// stopped after its commit point is finished by the next reader.
import { CosmosClient } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCosmosEmulator, type CosmosEmulator } from '../../../local/emulators/cosmos.js';
import { cosmosClient, cosmosSettings } from '../../../shared/registry/cosmos-connection.js';
import {
  documentId,
  registryContainerId,
  type SequenceDocument,
} from '../../../shared/registry/cosmos-documents.js';
import { CosmosRegistryStore } from '../../../shared/registry/cosmos-registry-store.js';
import { versionRecord } from '../../../shared/registry/model-version.js';
import { newVersion, uniqueModel } from '../../support/registry/fixtures.js';
import { registryStoreSuite } from '../../support/registry/store-suite.js';

let emulator: CosmosEmulator;
let client: CosmosClient;
let store: CosmosRegistryStore;

beforeAll(async () => {
  emulator = await startCosmosEmulator();
  client = cosmosClient(
    cosmosSettings({
      COSMOS_CONNECTION_STRING: emulator.connectionString,
      COSMOS_DATABASE: 'registry-tests',
    }),
  );
  store = await CosmosRegistryStore.open(client, 'registry-tests');
});

afterAll(async () => {
  client?.dispose();
  await emulator?.stop();
});

registryStoreSuite('Cosmos DB emulator', () => store);

describe('Cosmos DB registry store', () => {
  it('creates its database and container when they are missing, and opens them again', async () => {
    const fresh = await CosmosRegistryStore.open(client, 'registry-fresh');
    await fresh.putModel('fresh', (await import('../../../shared/registry/model-spec.js')).defaultModelSpec);
    const { resource } = await client.database('registry-fresh').container(registryContainerId).read();
    expect(resource?.partitionKey?.paths).toEqual(['/model']);
    const reopened = await CosmosRegistryStore.open(client, 'registry-fresh');
    expect((await reopened.getModel('fresh')).name).toBe('fresh');
  });

  it('numbers 20 registrations racing from 5 instances 1 to 20, each instance with its own client', async () => {
    const model = uniqueModel();
    const settings = cosmosSettings({ COSMOS_CONNECTION_STRING: emulator.connectionString });
    const clients = Array.from({ length: 5 }, () => cosmosClient(settings));
    try {
      const instances = await Promise.all(
        clients.map((own) => CosmosRegistryStore.open(own, 'registry-tests')),
      );
      const registrations = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (instances[i % instances.length] as CosmosRegistryStore).registerVersion(
            newVersion(model, `run-${i}`),
          ),
        ),
      );
      expect(registrations.map((r) => r.version.version).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
      expect((await store.listVersions(model)).map((v) => v.version)).toEqual(
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
      const replays = await Promise.all(
        instances.map((instance) => instance.registerVersion(newVersion(model, 'run-7'))),
      );
      const seven = registrations.find((r) => r.version.runId === 'run-7')?.version.version;
      expect(replays.map((r) => [r.version.version, r.created])).toEqual(instances.map(() => [seven, false]));
    } finally {
      for (const own of clients) own.dispose();
    }
  });

  it('finishes a registration whose writer stopped after committing the version number', async () => {
    const model = uniqueModel();
    await store.registerVersion(newVersion(model, 'run-1'));
    const container = client.database('registry-tests').container(registryContainerId);
    const { resource: sequence } = await container
      .item(documentId.sequence(), model)
      .read<SequenceDocument>();
    if (!sequence) throw new Error('the sequence document is missing');
    // What a crash right after the commit point leaves: the counter says 2, no version 2 document.
    const orphan = versionRecord(newVersion(model, 'run-2'), 2, new Date().toISOString());
    await container.item(documentId.sequence(), model).replace({ ...sequence, last: 2, pending: orphan });

    expect((await store.listVersions(model)).map((v) => v.version)).toEqual([1, 2]);
    const replay = await store.registerVersion(newVersion(model, 'run-2'));
    expect(replay).toMatchObject({ created: false, version: { version: 2 } });
    expect((await store.registerVersion(newVersion(model, 'run-3'))).version.version).toBe(3);
  });
});
