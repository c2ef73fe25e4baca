// The timer's schedule status as a blob, in the shape the Azure host keeps it.
import type { ContainerClient } from '@azure/storage-blob';
import { z } from 'zod';
import { storageStatus } from '../../../shared/storage-status.js';

const statusSchema = z.object({
  Last: z.string().nullable(),
  Next: z.string().nullable(),
  LastUpdated: z.string().nullable(),
});

export type TimerStatus = z.infer<typeof statusSchema>;

export interface TimerStatusStore {
  read(): Promise<TimerStatus | undefined>;
  write(status: TimerStatus): Promise<void>;
}

export function createTimerStatusStore(container: ContainerClient, path: string): TimerStatusStore {
  const blob = container.getBlockBlobClient(path);
  let ensured = false;
  return {
    async read() {
      try {
        const parsed = statusSchema.safeParse(JSON.parse((await blob.downloadToBuffer()).toString('utf8')));
        return parsed.success ? parsed.data : undefined;
      } catch (error) {
        if (storageStatus(error) === 404) return undefined;
        throw error;
      }
    },
    async write(status) {
      if (!ensured) {
        await container.createIfNotExists();
        ensured = true;
      }
      const body = JSON.stringify(status);
      await blob.upload(body, Buffer.byteLength(body), {
        blobHTTPHeaders: { blobContentType: 'application/json' },
      });
    },
  };
}
