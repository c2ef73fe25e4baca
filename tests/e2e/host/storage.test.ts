// Blob and queue triggers and bindings against Azurite, including restarts of the host.
import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Azurite } from '../../../local/emulators/azurite.js';
import { bootHost, eventually, type HostProcess } from '../../support/host.js';
import { startTestAzurite } from '../../support/storage.js';

const appDir = fileURLToPath(new URL('../../fixtures/storage-app', import.meta.url));
const base64 = (text: string) => Buffer.from(text).toString('base64');

describe('local host: storage triggers', () => {
  let azurite: Azurite;
  let host: HostProcess;
  let blobs: BlobServiceClient;
  let queues: QueueServiceClient;
  const boot = () => bootHost(appDir, { AzureWebJobsStorage: azurite.connectionString });

  beforeAll(async () => {
    azurite = await startTestAzurite();
    blobs = BlobServiceClient.fromConnectionString(azurite.connectionString);
    queues = QueueServiceClient.fromConnectionString(azurite.connectionString);
    await blobs.getContainerClient('uploads').createIfNotExists();
    host = await boot();
  });
  afterAll(async () => {
    await host?.stop();
    await azurite?.stop();
  });

  it('fires once per blob version, with metadata and output bindings, and not again after a restart', async () => {
    const blob = blobs.getContainerClient('uploads').getBlockBlobClient('a.csv');
    await blob.upload('x,y\n1,2\n', 8, { metadata: { origin: 'test' } });
    await host.waitForLine(/blob a\.csv etag=\S+ length=8 meta=\{"origin":"test"\}/);
    await host.waitForLine(/note a\.csv 8 dequeueCount=1 copy=8/);
    const copied = await eventually(async () =>
      (await blobs.getContainerClient('copies').getBlobClient('a.csv').exists()) ? true : undefined,
    );
    expect(copied).toBe(true);

    await host.stop();
    host = await boot();
    // Once a blob uploaded after the restart has fired, the scan has seen a.csv too.
    await blobs.getContainerClient('uploads').getBlockBlobClient('b.csv').upload('b', 1);
    await host.waitForLine(/blob b\.csv /);
    expect(host.count(/blob a\.csv /)).toBe(0);
    await blob.upload('x,y\n1,2\n3,4\n', 12);
    await host.waitForLine(/blob a\.csv etag=\S+ length=12/);
    // Two versions, two invocations: the first version did not fire again after the restart.
    expect(host.count(/blob a\.csv /)).toBe(1);
  });

  it('retries a failing blob, then gives up with a poison message', async () => {
    await blobs.getContainerClient('uploads').getBlockBlobClient('bad.csv').upload('oops', 4);
    const poison = queues.getQueueClient('webjobs-blobtrigger-poison');
    const message = await eventually(async () => {
      if (!(await poison.exists())) return undefined;
      return (await poison.peekMessages()).peekedMessageItems[0];
    });
    expect(JSON.parse(Buffer.from(message.messageText, 'base64').toString())).toMatchObject({
      BlobName: 'bad.csv',
      ContainerName: 'uploads',
    });
    expect(host.count(/blob bad\.csv /)).toBe(3);
    await host.waitForLine(
      /moved to poison queue 'webjobs-blobtrigger-poison' after 3 attempts: cannot handle bad\.csv/,
    );
  });

  it('moves a queue message that always fails to the poison queue after maxDequeueCount', async () => {
    const doomed = queues.getQueueClient('doomed');
    await doomed.createIfNotExists();
    await doomed.sendMessage(base64(JSON.stringify({ id: 7 })));
    const poison = queues.getQueueClient('doomed-poison');
    const message = await eventually(async () => {
      if (!(await poison.exists())) return undefined;
      return (await poison.peekMessages()).peekedMessageItems[0];
    });
    expect(Buffer.from(message.messageText, 'base64').toString()).toBe('{"id":7}');
    expect(host.count(/attempt dequeueCount=/)).toBe(3);
    expect(host.lines.some((l) => /attempt dequeueCount=3/.test(l))).toBe(true);
    expect((await doomed.peekMessages()).peekedMessageItems).toHaveLength(0);
  });

  it('reports isPastDue after a restart that missed an occurrence', async () => {
    await host.stop();
    const everySecond = { AzureWebJobsStorage: azurite.connectionString, TICK_SCHEDULE: '*/1 * * * * *' };
    host = await bootHost(appDir, everySecond);
    await host.waitForLine(/yearly isPastDue=false/);
    await host.stop();
    const stoppedAt = Date.now();
    await eventually(() => (Date.now() - stoppedAt > 1_500 ? true : undefined), 5_000, 'a missed occurrence');
    host = await bootHost(appDir, everySecond);
    const first = await host.waitForLine(/yearly isPastDue=/);
    expect(first).toMatch(/isPastDue=true last=\S+Z/);
    await host.waitForLine(/yearly isPastDue=false/);
    expect(host.count(/yearly isPastDue=true/)).toBe(1);
  });

  it('fires each occurrence on one host only when two hosts share the storage, and fails over', async () => {
    await host.stop();
    const everySecond = { AzureWebJobsStorage: azurite.connectionString, TICK_SCHEDULE: '*/1 * * * * *' };
    const first = await bootHost(appDir, everySecond);
    await first.waitForLine(/yearly isPastDue/);
    const second = await bootHost(appDir, everySecond);
    host = second;
    try {
      const ticks = first.count(/yearly isPastDue/);
      await eventually(
        () => (first.count(/yearly isPastDue/) >= ticks + 2 ? true : undefined),
        10_000,
        'more ticks',
      );
      expect(second.count(/yearly isPastDue/)).toBe(0);
    } finally {
      await first.stop();
    }
    // The first host released its lease on stop; the second takes the schedule over.
    await second.waitForLine(/yearly isPastDue/, 15_000);
  });
});
