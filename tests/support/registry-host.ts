// The registry routes (functions/registry.ts) served by the local host as its own process,
// backed by the Cosmos DB emulator and Azurite on free ports. The app folder is generated.
import { fileURLToPath } from 'node:url';
import type { CosmosClient } from '@azure/cosmos';
import type { Azurite } from '../../local/emulators/azurite.js';
import { startCosmosEmulator, type CosmosEmulator } from '../../local/emulators/cosmos.js';
import { cosmosClient, cosmosSettings } from '../../shared/registry/cosmos-connection.js';
import { CosmosRegistryStore } from '../../shared/registry/cosmos-registry-store.js';
import { writeAppFolder } from './app-folder.js';
import { bootHost, type HostProcess } from './host.js';
import { startTestAzurite } from './storage.js';

const entry = fileURLToPath(new URL('../../functions/registry.ts', import.meta.url));

export interface RegistryHost {
  readonly host: HostProcess;
  /** The store the host serves, for seeding what the pipeline would have registered. */
  readonly store: CosmosRegistryStore;
  stop(): Promise<void>;
}

export async function startRegistryHost(
  database: string,
  seed: (store: CosmosRegistryStore) => Promise<void>,
  settings: Record<string, string> = {},
): Promise<RegistryHost> {
  // The host keeps its own state (task hub, timers) in storage, so it needs Azurite too.
  const [cosmos, azurite]: [CosmosEmulator, Azurite] = await Promise.all([
    startCosmosEmulator(),
    startTestAzurite(),
  ]);
  const registry = { COSMOS_CONNECTION_STRING: cosmos.connectionString, COSMOS_DATABASE: database };
  const client: CosmosClient = cosmosClient(cosmosSettings(registry));
  const store = await CosmosRegistryStore.open(client, database);
  await seed(store);
  const dir = await writeAppFolder(database, entry, {
    AzureWebJobsStorage: azurite.connectionString,
    ...registry,
    ...settings,
  });
  const host = await bootHost(dir);
  return {
    host,
    store,
    async stop() {
      await host.stop();
      client.dispose();
      await Promise.all([cosmos.stop(), azurite.stop()]);
    },
  };
}
