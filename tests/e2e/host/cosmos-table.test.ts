// Cosmos DB (change feed trigger with leases, input, output) and Table (input, output)
// bindings through the host, against the Cosmos DB emulator and Azurite, as a user sees them.
import type { Container, CosmosClient } from '@azure/cosmos';
import { TableClient } from '@azure/data-tables';
import { BlobServiceClient } from '@azure/storage-blob';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Azurite } from '../../../local/emulators/azurite.js';
import { startCosmosEmulator, type CosmosEmulator } from '../../../local/emulators/cosmos.js';
import { cosmosClient } from '../../../shared/registry/cosmos-connection.js';
import { bootHost, eventually, type HostProcess } from '../../support/host.js';
import { startTestAzurite } from '../../support/storage.js';

const appDir = fileURLToPath(new URL('../../fixtures/cosmos-table-app', import.meta.url));

describe('local host: Cosmos DB and Table bindings', () => {
  let azurite: Azurite;
  let cosmos: CosmosEmulator;
  let host: HostProcess;
  let orders: Container;
  let client: CosmosClient;
  const boot = () =>
    bootHost(appDir, {
      AzureWebJobsStorage: azurite.connectionString,
      CosmosDBConnection: cosmos.connectionString,
    });
  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${host.url}/api/${path}`, {
      ...init,
      headers: { 'x-functions-key': host.keys.function, 'content-type': 'application/json' },
    });
  const table = (name: string) =>
    TableClient.fromConnectionString(azurite.connectionString, name, { allowInsecureConnection: true });

  beforeAll(async () => {
    [azurite, cosmos] = await Promise.all([startTestAzurite(), startCosmosEmulator()]);
    client = cosmosClient(cosmos);
    const { database } = await client.databases.createIfNotExists({ id: 'shop' });
    ({ container: orders } = await database.containers.createIfNotExists({
      id: 'orders',
      partitionKey: { paths: ['/customer'] },
    }));
    // Written before the host starts: startFromBeginning hands them to the first invocation.
    await orders.items.create({ id: 'o1', customer: 'c1', status: 'new' });
    await orders.items.create({ id: 'o2', customer: 'c1', status: 'new' });
    host = await boot();
  });
  afterAll(async () => {
    await host?.stop();
    await Promise.all([azurite?.stop(), cosmos?.stop()]);
  });

  it('hands the change feed to the trigger from the beginning, then each change once, with outputs', async () => {
    await host.waitForLine(/changes o1:new,o2:new/);
    await orders.items.upsert({ id: 'o1', customer: 'c1', status: 'shipped' });
    await host.waitForLine(/changes o1:shipped$/);
    const audit = client.database('shop').container('audit');
    const statuses = await eventually(async () => {
      const { resources } = await audit.items
        .query<{ orderId: string; status: string }>('SELECT * FROM c')
        .fetchAll()
        .catch(() => ({ resources: [] }));
      return resources.length === 3 ? resources.map((r) => `${r.orderId}:${r.status}`).sort() : undefined;
    });
    expect(statuses).toEqual(['o1:new', 'o1:shipped', 'o2:new']);
    const row = await eventually(async () => {
      const entity = await table('ledger').getEntity<{ status: string }>('c1', 'o1');
      return entity.status === 'shipped' ? entity : undefined;
    });
    expect(row.status).toBe('shipped');
    expect(host.count(/changes .*o2:new/)).toBe(1);
  });

  it('moves on past a failed invocation and resumes from its lease after a restart', async () => {
    await orders.items.create({ id: 'o3', customer: 'c2', status: 'poison' });
    await host.waitForLine(/changes o3:poison/);
    await host.waitForLine(/cannot handle a poison order/);
    await orders.items.create({ id: 'o4', customer: 'c2', status: 'new' });
    await host.waitForLine(/changes o4:new/);

    await host.stop();
    const leases = await client.database('shop').container('leases').items.readAll().fetchAll();
    expect(leases.resources).toHaveLength(1);
    expect(leases.resources[0]).toMatchObject({ Owner: null, ContinuationToken: expect.any(String) });
    await orders.items.create({ id: 'o5', customer: 'c2', status: 'new' });
    host = await boot();
    await host.waitForLine(/changes o5:new/);
    // Only what changed while the host was down: nothing earlier came again.
    expect(host.count(/changes .*o[1-4]:/)).toBe(0);
  });

  it('reads a document by id and partition key, and by a parameterized query', async () => {
    const found = await call('orders/c1/o1');
    expect(found.status).toBe(200);
    expect(await found.json()).toMatchObject({ id: 'o1', customer: 'c1', status: 'shipped' });
    expect((await call('orders/c1/nope')).status).toBe(404);

    expect(await (await call('orders?status=new')).json()).toEqual([
      { id: 'o2', status: 'new' },
      { id: 'o4', status: 'new' },
      { id: 'o5', status: 'new' },
    ]);
    // The query string is a parameter value, never SQL.
    const injected = await call(`orders?status=${encodeURIComponent("new' OR c.status != 'x")}`);
    expect(await injected.json()).toEqual([]);
  });

  it('upserts an array of documents from the output binding', async () => {
    const posted = await call('orders', {
      method: 'POST',
      body: JSON.stringify([
        { id: 'o6', customer: 'c3', status: 'new' },
        { id: 'o2', customer: 'c1', status: 'cancelled' },
      ]),
    });
    expect(posted.status).toBe(202);
    expect((await orders.item('o6', 'c3').read()).resource).toMatchObject({ status: 'new' });
    expect((await orders.item('o2', 'c1').read()).resource).toMatchObject({ status: 'cancelled' });
    await host.waitForLine(/changes .*o6:new/);
    await host.waitForLine(/changes .*o2:cancelled/);
  });

  it('reads table entities by key, and by partition with a filter and take', async () => {
    await eventually(async () => {
      const entity = await table('ledger')
        .getEntity<{ status: string }>('c1', 'o2')
        .catch(() => undefined);
      return entity?.status === 'cancelled' ? true : undefined;
    });
    const row = await call('ledger/c1/o2');
    expect(await row.json()).toEqual({ PartitionKey: 'c1', RowKey: 'o2', status: 'cancelled' });
    expect((await call('ledger/c1/nope')).status).toBe(404);

    const rows = (await (await call('ledger/c2?status=new')).json()) as { RowKey: string }[];
    expect(rows.map((r) => r.RowKey)).toEqual(['o4', 'o5']);
    expect(await (await call('ledger/nobody?status=new')).json()).toEqual([]);
    // A quote in the value stays inside the literal.
    const injected = await call(`ledger/c2?status=${encodeURIComponent("x' or status ne 'x")}`);
    expect(await injected.json()).toEqual([]);
  });

  it('inserts entities from the output binding, with the binding partition key, and fails on a duplicate', async () => {
    const notes = [
      { RowKey: 'n1', text: 'first' },
      { RowKey: 'n2', text: 'second', tags: ['a', 'b'] },
    ];
    expect((await call('notes', { method: 'POST', body: JSON.stringify(notes) })).status).toBe(201);
    const stored = await table('notes').getEntity<{ text: string; tags: string }>('web', 'n2');
    expect(stored).toMatchObject({ partitionKey: 'web', rowKey: 'n2', text: 'second', tags: '["a","b"]' });

    const duplicate = await call('notes', { method: 'POST', body: JSON.stringify([notes[0]]) });
    expect(duplicate.status).toBe(500);
    await host.waitForLine(
      /Output binding '\w+' failed: table output '\w+' of 'addNotes': .*already exists/i,
    );
  });

  it('resolves a blob input path from the request query', async () => {
    const blobs = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(
      'notes',
    );
    await blobs.createIfNotExists();
    await blobs.getBlockBlobClient('a.txt').upload('hello', 5);
    expect(await (await call('blob-notes?name=a.txt')).text()).toBe('hello');
  });
});
