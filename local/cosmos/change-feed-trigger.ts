// `cosmosDBTrigger` (app.cosmosDB): the monitored container's change feed, read with the SDK's
// pull model and handed to the function a page at a time (up to maxItemsPerInvocation), with
// progress and ownership in a lease document (change-feed-lease.ts) in the lease container,
// as the Azure extension's change feed processor keeps them. As in Azure, a failed invocation
// does not hold the feed back (retry policies are the way to retry), a restart resumes from the
// lease, and startFromBeginning / startFromTime apply only when no lease exists yet.
import { ChangeFeedStartFrom, type ChangeFeedPullModelIterator, type Container } from '@azure/cosmos';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { z } from 'zod';
import { sleep, type Clock } from '../../shared/clock.js';
import { PlatformError } from '../../shared/errors.js';
import { parseInput } from '../../shared/validate.js';
import type { HostContext, RegisteredFunction, TriggerListener } from '../host/extension.js';
import { changeFeedLease, type Lease } from './change-feed-lease.js';
import { storageStatus } from '../../shared/storage-status.js';
import { cosmosClientFor } from './cosmos-clients.js';

const milliseconds = (fallback: number) => z.coerce.number().int().nonnegative().default(fallback);

const triggerSchema = z
  .object({
    connection: z.string().min(1),
    databaseName: z.string().min(1),
    containerName: z.string().min(1),
    leaseConnection: z.string().min(1).optional(),
    leaseDatabaseName: z.string().min(1).optional(),
    leaseContainerName: z.string().min(1).default('leases'),
    leaseContainerPrefix: z.string().default(''),
    createLeaseContainerIfNotExists: z.boolean().default(false),
    leasesContainerThroughput: z.coerce.number().int().positive().optional(),
    feedPollDelay: milliseconds(5_000),
    leaseAcquireInterval: milliseconds(13_000),
    leaseExpirationInterval: milliseconds(60_000),
    leaseRenewInterval: milliseconds(17_000),
    maxItemsPerInvocation: z.coerce.number().int().positive().optional(),
    startFromBeginning: z.boolean().default(false),
    startFromTime: z.iso.datetime({ offset: true }).optional(),
    changeFeedMode: z
      .literal('LatestVersion', { message: 'only the LatestVersion change feed mode is supported locally' })
      .optional(),
  })
  .loose()
  .refine((b) => !(b.startFromBeginning && b.startFromTime), {
    message: 'set startFromBeginning or startFromTime, not both',
    path: ['startFromTime'],
  });

type TriggerOptions = z.infer<typeof triggerSchema>;

export function changeFeedListener(fn: RegisteredFunction, host: HostContext): TriggerListener {
  const usedBy = `Cosmos DB trigger of '${fn.name}'`;
  const options = parseInput(triggerSchema, fn.trigger, usedBy, 'INVALID_CONFIG');
  const log = host.log.child({ functionName: fn.name });
  const owner = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const abort = new AbortController();
  let running: Promise<void> | undefined;
  let release = async () => {};

  return {
    async start() {
      const { monitored, monitoredRid, leases } = await openContainers(host, options, usedBy);
      const lease = changeFeedLease({
        container: leases,
        // Named by resource ids, as the Azure processor names leases: a container created again
        // under the same name starts a new feed.
        id: `${options.leaseContainerPrefix}${monitoredRid}..0`,
        owner,
        clock: host.clock,
        renewIntervalMs: options.leaseRenewInterval,
        expirationIntervalMs: options.leaseExpirationInterval,
      });
      release = () => lease.release();
      let feed: ChangeFeedPullModelIterator<Record<string, unknown>> | undefined;

      // One round: answers how long to wait before the next.
      const round = async (): Promise<number> => {
        if (!(await lease.acquire())) {
          feed = undefined;
          return options.leaseAcquireInterval;
        }
        feed ??= monitored.items.getChangeFeedIterator({
          changeFeedStartFrom: startFrom(options, lease.continuation),
          ...(options.maxItemsPerInvocation ? { maxItemCount: options.maxItemsPerInvocation } : {}),
        });
        const page = await feed.readNext();
        const documents = page.result ?? [];
        if (documents.length > 0) {
          try {
            await whileRenewing(lease, host.clock, options.leaseRenewInterval, () =>
              host.invoke(fn, { trigger: { json: JSON.stringify(documents) } }),
            );
          } catch {
            // The invoker logged the failure; the feed moves on, as the Azure extension's does.
          }
        }
        if (page.continuationToken && page.continuationToken !== lease.continuation) {
          if (!(await lease.checkpoint(page.continuationToken))) {
            log.warn(
              `Lost the lease of ${options.databaseName}/${options.containerName} to another instance.`,
            );
            feed = undefined;
          }
        }
        return documents.length > 0 ? 0 : options.feedPollDelay;
      };

      running = (async () => {
        while (!abort.signal.aborted) {
          let wait = options.feedPollDelay;
          try {
            wait = await round();
          } catch (error) {
            log.warn(`${usedBy} could not read the change feed: ${(error as Error).message}`);
          }
          if (wait > 0) await sleep(host.clock, wait, abort.signal).catch(() => {});
        }
      })();
    },
    async stop() {
      abort.abort();
      await running;
      await release().catch(() => {});
    },
  };
}

/**
 * Runs `work` while renewing the lease every `intervalMs`, as the Azure processor renews on its
 * own timer: an invocation longer than the expiration interval must not let another instance
 * take the feed and process the same changes again.
 */
async function whileRenewing<T>(
  lease: Lease,
  clock: Clock,
  intervalMs: number,
  work: () => Promise<T>,
): Promise<T> {
  const done = new AbortController();
  const renewing = (async () => {
    while (!done.signal.aborted) {
      await sleep(clock, intervalMs, done.signal).catch(() => {});
      // A failed renewal is retried on the next tick; checkpoint reports a lost lease.
      if (!done.signal.aborted) await lease.acquire().catch(() => false);
    }
  })();
  try {
    return await work();
  } finally {
    done.abort();
    await renewing;
  }
}

function startFrom(options: TriggerOptions, continuation: string | undefined): ChangeFeedStartFrom {
  if (continuation) return ChangeFeedStartFrom.Continuation(continuation);
  if (options.startFromBeginning) return ChangeFeedStartFrom.Beginning();
  if (options.startFromTime) return ChangeFeedStartFrom.Time(new Date(options.startFromTime));
  return ChangeFeedStartFrom.Now();
}

async function openContainers(
  host: HostContext,
  options: TriggerOptions,
  usedBy: string,
): Promise<{ monitored: Container; monitoredRid: string; leases: Container }> {
  const monitored = cosmosClientFor(host.settings, options.connection, usedBy)
    .database(options.databaseName)
    .container(options.containerName);
  const leaseClient = cosmosClientFor(host.settings, options.leaseConnection ?? options.connection, usedBy);
  const leaseDatabase = leaseClient.database(options.leaseDatabaseName ?? options.databaseName);
  const missing = () =>
    new PlatformError(
      'INVALID_CONFIG',
      `${usedBy}: either the monitored container '${options.containerName}' (in database '${options.databaseName}') or the lease container '${options.leaseContainerName}' (in database '${leaseDatabase.id}') does not exist. Both must exist before the listener starts; set createLeaseContainerIfNotExists to create the lease container.`,
      { container: options.containerName, leaseContainer: options.leaseContainerName },
    );
  try {
    const [{ resource: database }, { resource: container }] = await Promise.all([
      monitored.database.read(),
      monitored.read(),
    ]);
    const monitoredRid = `${database!._rid}_${container!._rid}`;
    if (options.createLeaseContainerIfNotExists) {
      await leaseClient.databases.createIfNotExists({ id: leaseDatabase.id });
      const { container: leases } = await leaseDatabase.containers.createIfNotExists({
        id: options.leaseContainerName,
        partitionKey: { paths: ['/id'] },
        ...(options.leasesContainerThroughput ? { throughput: options.leasesContainerThroughput } : {}),
      });
      return { monitored, monitoredRid, leases };
    }
    const leases = leaseDatabase.container(options.leaseContainerName);
    await leases.read();
    return { monitored, monitoredRid, leases };
  } catch (error) {
    throw storageStatus(error) === 404 ? missing() : error;
  }
}
