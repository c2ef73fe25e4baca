// The blob trigger, built like the Azure host's: a scanner finds new blob versions (by ETag),
// records a receipt in storage and enqueues a work item on an internal queue; the shared queue
// processor then runs the function with retries and a poison message when it gives up.
// Receipts survive restarts, so each version of a blob is handled once.
import type { BlobItem, BlobServiceClient } from '@azure/storage-blob';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { RpcTypedData } from '../core-types.js';
import type { HostContext, RegisteredFunction, TriggerListener } from '../extension.js';
import { parseTimeSpan } from '../time-span.js';
import { parseBlobPath, type BlobPathPattern } from './blob-path.js';
import { startQueueProcessor, type QueueProcessor } from './queue-processor.js';
import { queueSettings } from './queue-settings.js';
import { hostId, hostsContainer, storageClients } from './storage-clients.js';
import { ignoreStatus, storageStatus } from '../../../shared/storage-status.js';

const workItemSchema = z.object({
  FunctionId: z.string(),
  BlobType: z.string(),
  ContainerName: z.string(),
  BlobName: z.string(),
  ETag: z.string(),
});
type WorkItem = z.infer<typeof workItemSchema>;

/** Locally blobs are scanned every second (Azure scans its logs, with minutes of delay). */
const defaultScanMs = 1_000;

export function blobTriggerListener(fn: RegisteredFunction, host: HostContext): TriggerListener {
  const usedBy = `blob trigger of '${fn.name}'`;
  const pattern = parseBlobPath(String(fn.trigger.path ?? ''));
  const clients = storageClients(host.settings, fn.trigger.connection, usedBy);
  const id = hostId(host.settings, host.appDir);
  const log = host.log.child({ functionName: fn.name });
  const receipts = clients.blob.getContainerClient(hostsContainer);
  const receiptPath = (item: Pick<WorkItem, 'ETag' | 'ContainerName' | 'BlobName'>) =>
    `blobreceipts/${id}/${fn.id}/${item.ETag}/${item.ContainerName}/${item.BlobName}`;
  const queueName = `azure-webjobs-blobtrigger-${createHash('sha256').update(`${id}/${fn.id}`).digest('hex').slice(0, 16)}`;
  const workQueue = clients.queue.getQueueClient(queueName);
  const scanMs = host.settings.hostJson.extensions.blobs.pollingInterval
    ? parseTimeSpan(host.settings.hostJson.extensions.blobs.pollingInterval)
    : defaultScanMs;
  const abort = new AbortController();
  const seen = new Set<string>();
  let scanning: Promise<void> | undefined;
  let processor: QueueProcessor | undefined;

  const enqueueNew = async (blob: BlobItem) => {
    const etag = blob.properties.etag ?? '';
    const key = `${blob.name}\n${etag}`;
    if (seen.has(key) || !pattern.match(blob.name)) return;
    const item: WorkItem = {
      FunctionId: fn.id,
      BlobType: blob.properties.blobType ?? 'BlockBlob',
      ContainerName: pattern.container,
      BlobName: blob.name,
      ETag: etag,
    };
    const receipt = receipts.getBlockBlobClient(receiptPath(item));
    if (!(await receipt.exists())) {
      await workQueue.sendMessage(Buffer.from(JSON.stringify(item)).toString('base64'));
      processor?.wake();
      await receipt
        .upload('', 0, { metadata: { status: 'pending' }, conditions: { ifNoneMatch: '*' } })
        .catch(ignoreStatus(409, 412));
      log.debug(`New blob ${pattern.container}/${blob.name} (${etag}) queued.`);
    }
    seen.add(key);
  };

  const scan = async () => {
    const container = clients.blob.getContainerClient(pattern.container);
    await container.createIfNotExists();
    await receipts.createIfNotExists();
    while (!abort.signal.aborted) {
      try {
        for await (const blob of container.listBlobsFlat({ prefix: pattern.prefix })) await enqueueNew(blob);
      } catch (error) {
        if (!abort.signal.aborted)
          log.warn(`Scanning ${pattern.container} failed: ${(error as Error).message}`);
      }
      await sleep(scanMs, undefined, { signal: abort.signal }).catch(() => undefined);
    }
  };

  const run = async (item: WorkItem) => {
    const receipt = receipts.getBlockBlobClient(receiptPath(item));
    const properties = await receipt.getProperties().catch(() => undefined);
    if (properties?.metadata?.status === 'done') return;
    const blob = clients.blob.getContainerClient(item.ContainerName).getBlobClient(item.BlobName);
    // Only the version that was found is handled; a newer version has its own receipt.
    const content = await blob
      .downloadToBuffer(0, undefined, { conditions: { ifMatch: item.ETag } })
      .catch((error: unknown) => {
        if ([404, 412].includes(storageStatus(error) ?? 0)) return undefined;
        throw error;
      });
    if (content === undefined) {
      log.info(
        `Blob ${item.ContainerName}/${item.BlobName} changed or was deleted before it was handled; skipping this version.`,
      );
    } else {
      const props = await blob.getProperties();
      await host.invoke(fn, {
        trigger: fn.trigger.dataType === 'string' ? { string: content.toString('utf8') } : { bytes: content },
        triggerMetadata: blobMetadata(clients.blob, item, pattern, props),
      });
    }
    await receipt.setMetadata({ status: 'done' });
  };

  return {
    async start() {
      const settings = queueSettings(host);
      processor = startQueueProcessor({
        ...settings,
        queue: workQueue,
        poison: clients.queue.getQueueClient('webjobs-blobtrigger-poison'),
        log,
        handle: (message) =>
          run(workItemSchema.parse(JSON.parse(Buffer.from(message.messageText, 'base64').toString('utf8')))),
      });
      scanning = scan();
    },
    async stop() {
      abort.abort();
      await scanning;
      await processor?.stop();
    },
  };
}

function blobMetadata(
  service: BlobServiceClient,
  item: WorkItem,
  pattern: BlobPathPattern,
  props: {
    contentLength?: number;
    contentType?: string;
    etag?: string;
    lastModified?: Date;
    createdOn?: Date;
    metadata?: Record<string, string>;
  },
): Record<string, RpcTypedData> {
  const metadata: Record<string, RpcTypedData> = {
    BlobTrigger: { string: `${item.ContainerName}/${item.BlobName}` },
    Uri: { string: service.getContainerClient(item.ContainerName).getBlobClient(item.BlobName).url },
    Properties: {
      json: JSON.stringify({
        Length: props.contentLength,
        ContentType: props.contentType,
        ETag: props.etag,
        LastModified: props.lastModified?.toISOString(),
        Created: props.createdOn?.toISOString(),
        BlobType: item.BlobType,
      }),
    },
    Metadata: { json: JSON.stringify(props.metadata ?? {}) },
  };
  for (const [name, value] of Object.entries(pattern.match(item.BlobName) ?? {}))
    metadata[name] = { string: value };
  return metadata;
}
