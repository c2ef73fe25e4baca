// The lease of one monitored container in the lease container, as the change feed processor
// keeps it: who owns the feed (`Owner`, renewed by `timestamp`), and where it got to
// (`ContinuationToken`). Owning it is what lets only one host instance process the feed; an
// owner that stops renewing loses it after the expiration interval. Writes are conditional on
// the ETag, so two instances cannot both take it.
import type { Container } from '@azure/cosmos';
import type { Clock } from '../../shared/clock.js';
import { storageStatus } from '../../shared/storage-status.js';

export interface LeaseDocument {
  id: string;
  LeaseToken: string;
  Owner: string | null;
  ContinuationToken: string | null;
  timestamp: string;
  _etag?: string;
}

export interface LeaseOptions {
  container: Container;
  id: string;
  owner: string;
  clock: Clock;
  renewIntervalMs: number;
  expirationIntervalMs: number;
}

export interface Lease {
  /** Takes or renews the lease; answers whether this owner holds it now. */
  acquire(): Promise<boolean>;
  /** The continuation saved with the lease (undefined when the feed was never read). */
  readonly continuation: string | undefined;
  /** Saves progress; answers false if another owner took the lease meanwhile. */
  checkpoint(continuation: string): Promise<boolean>;
  /** Gives the lease up so another instance can take it at once. */
  release(): Promise<void>;
}

export function changeFeedLease(options: LeaseOptions): Lease {
  const { container, id, owner, clock } = options;
  let held: LeaseDocument | undefined;

  const write = async (next: LeaseDocument): Promise<boolean> => {
    try {
      const { resource } = next._etag
        ? await container
            .item(id, id)
            .replace<LeaseDocument>(next, { accessCondition: { type: 'IfMatch', condition: next._etag } })
        : await container.items.create<LeaseDocument>(next);
      held = resource;
      return true;
    } catch (error) {
      // 412: someone wrote it since we read it; 409: someone created it first.
      if (storageStatus(error) === 412 || storageStatus(error) === 409) {
        held = undefined;
        return false;
      }
      throw error;
    }
  };
  const stamped = (lease: LeaseDocument, changes: Partial<LeaseDocument>): LeaseDocument => ({
    ...lease,
    ...changes,
    timestamp: new Date(clock.now()).toISOString(),
  });
  const age = (lease: LeaseDocument) => clock.now() - Date.parse(lease.timestamp);

  return {
    get continuation() {
      return held?.ContinuationToken ?? undefined;
    },
    async acquire() {
      if (held && age(held) < options.renewIntervalMs) return true;
      const { resource: current } = await container.item(id, id).read<LeaseDocument>();
      if (!current) {
        return write(
          stamped({ id, LeaseToken: '0', Owner: owner, ContinuationToken: null, timestamp: '' }, {}),
        );
      }
      const ownedByOther =
        current.Owner && current.Owner !== owner && age(current) < options.expirationIntervalMs;
      if (ownedByOther) {
        held = undefined;
        return false;
      }
      return write(stamped(current, { Owner: owner }));
    },
    async checkpoint(continuation) {
      if (!held) return false;
      return write(stamped(held, { ContinuationToken: continuation }));
    },
    async release() {
      if (held) await write({ ...held, Owner: null });
      held = undefined;
    },
  };
}
