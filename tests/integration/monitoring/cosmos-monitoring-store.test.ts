// The shared monitoring store suite against the Cosmos DB emulator.
import type { CosmosClient } from '@azure/cosmos';
import { afterAll, beforeAll } from 'vitest';
import { startCosmosEmulator, type CosmosEmulator } from '../../../local/emulators/cosmos.js';
import { CosmosMonitoringStore } from '../../../shared/monitoring/cosmos-monitoring-store.js';
import { cosmosClient, cosmosSettings } from '../../../shared/registry/cosmos-connection.js';
import { monitoringStoreSuite } from '../../unit/monitoring/monitoring-store-suite.js';

let emulator: CosmosEmulator;
let client: CosmosClient;
let store: CosmosMonitoringStore;

beforeAll(async () => {
  emulator = await startCosmosEmulator();
  const settings = {
    COSMOS_CONNECTION_STRING: emulator.connectionString,
    COSMOS_DATABASE: 'monitoring-tests',
  };
  client = cosmosClient(cosmosSettings(settings));
  store = await CosmosMonitoringStore.open(client, 'monitoring-tests');
});

afterAll(async () => {
  client?.dispose();
  await emulator?.stop();
});

monitoringStoreSuite('Cosmos DB', () => store);
