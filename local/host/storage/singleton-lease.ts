// A singleton lock on a blob lease, as the Azure host takes for timer listeners: when several
// hosts run the same app against the same storage, only the lease holder runs the schedule.
import type { BlobLeaseClient, ContainerClient } from '@azure/storage-blob';
import { setTimeout as sleep } from 'node:timers/promises';
import { ignoreStatus } from '../../../shared/storage-status.js';

const leaseSeconds = 15;
const renewMs = 5_000;

export interface SingletonLease {
  /** Resolves once this host holds the lease; it is then renewed until `release`. */
  acquire(signal: AbortSignal): Promise<void>;
  release(): Promise<void>;
}

export function singletonLease(
  container: ContainerClient,
  path: string,
  onLost: (why: string) => void,
): SingletonLease {
  const blob = container.getBlockBlobClient(path);
  let lease: BlobLeaseClient | undefined;
  let renewing: NodeJS.Timeout | undefined;

  const tryAcquire = async (): Promise<boolean> => {
    await container.createIfNotExists();
    await blob.upload('', 0, { conditions: { ifNoneMatch: '*' } }).catch(ignoreStatus(409, 412));
    const candidate = blob.getBlobLeaseClient();
    try {
      await candidate.acquireLease(leaseSeconds);
      lease = candidate;
      return true;
    } catch (error) {
      ignoreStatus(409)(error);
      return false;
    }
  };

  return {
    async acquire(signal) {
      while (!signal.aborted && !(await tryAcquire())) {
        await sleep(renewMs, undefined, { signal }).catch(() => undefined);
      }
      if (signal.aborted) return;
      renewing = setInterval(() => {
        lease?.renewLease().catch((error: unknown) => onLost((error as Error).message));
      }, renewMs);
    },
    async release() {
      clearInterval(renewing);
      await lease?.releaseLease().catch(() => undefined);
      lease = undefined;
    },
  };
}
