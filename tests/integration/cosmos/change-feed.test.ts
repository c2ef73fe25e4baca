// The emulator's incremental change feed read with the SDK's pull model, and the lease that
// lets one owner at a time process it, against the Cosmos DB emulator.
import { ChangeFeedStartFrom, type Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/clock.js';
import { changeFeedLease } from '../../../local/cosmos/change-feed-lease.js';
import { changeFeedListener } from '../../../local/cosmos/change-feed-trigger.js';
import type { HostContext, RegisteredFunction } from '../../../local/host/extension.js';
import { createLogger } from '../../../local/host/logger.js';
import { loadSettings } from '../../../local/host/settings.js';
import { writeAppFolder } from '../../support/app-folder.js';
import { eventually } from '../../support/host.js';
import { startCosmosEmulator, type CosmosEmulator } from '../../../local/emulators/cosmos.js';
import { cosmosClient } from '../../../shared/registry/cosmos-connection.js';

let cosmos: CosmosEmulator;

/** What a trigger listener sees of the host: the app's settings, `invoke` and `clock` as given. */
async function hostContext(invoke: HostContext['invoke'], clock: ManualClock): Promise<HostContext> {
  const dir = await writeAppFolder('cosmos-listener', 'index.js', { Feed: cosmos.connectionString });
  const { settings } = await loadSettings(dir, {});
  return {
    appDir: dir,
    settings,
    functions: [],
    invoke,
    log: createLogger({ write: () => {} }),
    clock,
    baseUrl: 'http://127.0.0.1:0',
    keys: { function: '', master: '', system: '' },
  };
}

/** A Cosmos DB trigger on `feed/items` of the `Feed` connection, with `options` on top. */
const trigger = (options: Record<string, unknown>): RegisteredFunction => ({
  name: 'onChange',
  id: 'onChange',
  trigger: {
    name: 'documents',
    type: 'cosmosDBTrigger',
    direction: 'in',
    connection: 'Feed',
    databaseName: 'feed',
    containerName: 'items',
    ...options,
  },
  inputs: [],
  outputs: [],
});

describe('Cosmos DB change feed and leases', () => {
  let items: Container;
  let leases: Container;

  beforeAll(async () => {
    cosmos = await startCosmosEmulator();
    const client = cosmosClient(cosmos);
    const { database } = await client.databases.createIfNotExists({ id: 'feed' });
    ({ container: items } = await database.containers.createIfNotExists({
      id: 'items',
      partitionKey: { paths: ['/pk'] },
    }));
    ({ container: leases } = await database.containers.createIfNotExists({
      id: 'leases',
      partitionKey: { paths: ['/id'] },
    }));
  });
  afterAll(async () => {
    await cosmos?.stop();
  });

  it('serves each change once, in order, in pages, and resumes from a continuation', async () => {
    await items.items.create({ id: 'a', pk: '1' });
    await items.items.create({ id: 'b', pk: '2' });
    await items.items.create({ id: 'c', pk: '1' });
    const feed = items.items.getChangeFeedIterator<{ id: string; _lsn: number }>({
      changeFeedStartFrom: ChangeFeedStartFrom.Beginning(),
      maxItemCount: 2,
    });
    const first = await feed.readNext();
    expect(first.result.map((d) => d.id)).toEqual(['a', 'b']);
    expect((await feed.readNext()).result.map((d) => d.id)).toEqual(['c']);
    const drained = await feed.readNext();
    expect(drained.statusCode).toBe(304);

    await items.items.upsert({ id: 'a', pk: '1', v: 2 });
    await items.items.create({ id: 'd', pk: '3' });
    // A new reader from the saved continuation sees only what changed since, latest versions only.
    const resumed = items.items.getChangeFeedIterator<{ id: string; v?: number }>({
      changeFeedStartFrom: ChangeFeedStartFrom.Continuation(drained.continuationToken),
    });
    const page = await resumed.readNext();
    expect(page.result.map((d) => [d.id, d.v])).toEqual([
      ['a', 2],
      ['d', undefined],
    ]);

    const fromNow = items.items.getChangeFeedIterator({ changeFeedStartFrom: ChangeFeedStartFrom.Now() });
    expect((await fromNow.readNext()).statusCode).toBe(304);
    await items.items.create({ id: 'e', pk: '1' });
    expect((await fromNow.readNext()).result.map((d: { id: string }) => d.id)).toEqual(['e']);
  });

  it('lets one owner hold the lease until it expires or is released, and keeps its checkpoint', async () => {
    const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
    const lease = (owner: string) =>
      changeFeedLease({
        container: leases,
        id: 'feed_items..0',
        owner,
        clock,
        renewIntervalMs: 17_000,
        expirationIntervalMs: 60_000,
      });
    const first = lease('first');
    const second = lease('second');
    expect(await first.acquire()).toBe(true);
    expect(await second.acquire()).toBe(false);
    expect(await first.checkpoint('"7"')).toBe(true);

    // The first owner stops renewing: after the expiration interval the second takes over,
    // from the first's checkpoint, and the first can no longer write progress.
    clock.advance(60_000);
    expect(await second.acquire()).toBe(true);
    expect(second.continuation).toBe('"7"');
    expect(await first.checkpoint('"9"')).toBe(false);

    await second.release();
    expect(await first.acquire()).toBe(true);
    expect(first.continuation).toBe('"7"');
  });

  it('keeps renewing the lease while an invocation runs longer than the expiration interval', async () => {
    const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
    const { container: slowItems } = await items.database.containers.createIfNotExists({
      id: 'slow-items',
      partitionKey: { paths: ['/pk'] },
    });
    await slowItems.items.create({ id: 'x', pk: '1' });
    let finish = () => {};
    let invoked = false;
    const host = await hostContext(() => {
      invoked = true;
      return new Promise((resolve) => (finish = () => resolve({})));
    }, clock);
    const listener = changeFeedListener(
      trigger({ containerName: 'slow-items', startFromBeginning: true }),
      host,
    );
    await listener.start();
    await eventually(() => (invoked ? true : undefined));
    const { resource: database } = await slowItems.database.read();
    const { resource: monitored } = await slowItems.read();
    const leaseId = `${database!._rid}_${monitored!._rid}..0`;
    const stampedAt = async () =>
      Date.parse((await leases.item(leaseId, leaseId).read<{ timestamp: string }>()).resource!.timestamp);

    // Four renew intervals (68 s) pass inside one invocation: each renewal lands before the next.
    for (let tick = 0; tick < 4; tick++) {
      clock.advance(17_000);
      await eventually(async () => ((await stampedAt()) === clock.now() ? true : undefined));
    }
    const rival = changeFeedLease({
      container: leases,
      id: leaseId,
      owner: 'rival',
      clock,
      renewIntervalMs: 17_000,
      expirationIntervalMs: 60_000,
    });
    expect(await rival.acquire()).toBe(false);
    finish();
    await listener.stop();
  });

  it('refuses to start without the lease container, or in a mode it does not serve, saying why', async () => {
    const host = await hostContext(
      () => Promise.reject(new Error('no invocation expected')),
      new ManualClock(),
    );
    await expect(changeFeedListener(trigger({ leaseContainerName: 'absent' }), host).start()).rejects.toThrow(
      /the lease container 'absent' \(in database 'feed'\) does not exist.*createLeaseContainerIfNotExists/,
    );
    expect(() => changeFeedListener(trigger({ changeFeedMode: 'AllVersionsAndDeletes' }), host)).toThrow(
      /changeFeedMode: only the LatestVersion change feed mode is supported locally/,
    );
  });
});
