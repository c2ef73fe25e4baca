import { BlobServiceClient } from '@azure/storage-blob';
import { CosmosClient } from '@azure/cosmos';
import { Agent } from 'node:https';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type Azurite } from '../../../local/emulators/azurite.js';
import { startCosmosEmulator, type CosmosEmulator } from '../../../local/emulators/cosmos.js';

describe('emulators', () => {
  let azurite: Azurite;
  let cosmos: CosmosEmulator;
  beforeAll(async () => {
    [azurite, cosmos] = await Promise.all([
      startAzurite({ location: await mkdtemp(join(tmpdir(), 'azurite-')) }),
      startCosmosEmulator(),
    ]);
  });
  afterAll(async () => {
    await Promise.all([azurite?.stop(), cosmos?.stop()]);
  });

  it('Azurite on free ports answers the official blob client', async () => {
    const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(
      'probe',
    );
    await container.createIfNotExists();
    await container.getBlockBlobClient('a.txt').upload('hello', 5);
    const body = await container.getBlockBlobClient('a.txt').downloadToBuffer();
    expect(body.toString()).toBe('hello');
  });

  it('the Cosmos DB emulator answers the official client over HTTPS', async () => {
    const client = new CosmosClient({
      endpoint: cosmos.endpoint,
      key: cosmos.key,
      agent: new Agent({ rejectUnauthorized: false }),
    });
    const { database } = await client.databases.createIfNotExists({ id: 'probe' });
    const { container } = await database.containers.createIfNotExists({ id: 'c', partitionKey: '/pk' });
    await container.items.create({ id: '1', pk: 'a', value: 42 });
    const { resource } = await container.item('1', 'a').read<{ value: number }>();
    expect(resource?.value).toBe(42);
  });
});
