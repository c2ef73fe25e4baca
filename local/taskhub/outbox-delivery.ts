// The dispatcher's part that delivers what a committed episode sent to other instances: its
// outbox (events, sub-orchestration starts). Entries are re-delivered until deleted, and
// delivery is idempotent by message id, so a crash between the two repeats nothing visible.
import type { Clock } from '../../shared/clock.js';
import { isPlatformError } from '../../shared/errors.js';
import type { TaskHubBackend } from './backend.js';
import { sendToEntity } from './entity-delivery.js';
import { isEntityInstance } from './entity-messages.js';
import { EventType } from './history.js';
import type { Message, OutboxEntry } from './instance.js';

export interface OutboxDelivery {
  /** Delivers and then deletes an instance's stored outbox; on failure the instance owes it. */
  deliver(instanceId: string): Promise<void>;
  /** Retries the outbox of an instance whose last delivery failed. */
  settleDebt(instanceId: string): Promise<void>;
}

export function createOutboxDelivery(
  backend: TaskHubBackend,
  clock: Clock,
  /** Says that an instance has new stored messages. */
  notify: (instanceId: string) => void,
): OutboxDelivery {
  const owing = new Set<string>();

  /** Sends a message and wakes its instance; a purged instance has nobody left to tell; an entity is created. */
  async function send(instanceId: string, message: Message): Promise<void> {
    try {
      if (isEntityInstance(instanceId)) await sendToEntity(backend, instanceId, message, clock.now());
      else await backend.sendMessage(instanceId, message);
    } catch (error) {
      if (isPlatformError(error) && error.code === 'NOT_FOUND') return;
      throw error;
    }
    notify(instanceId);
  }

  async function deliverEntry(entry: OutboxEntry): Promise<void> {
    if (entry.kind === 'send') return send(entry.instanceId, entry.message);
    try {
      await backend.createInstance(entry.instance, entry.start);
      notify(entry.instance.instanceId);
    } catch (error) {
      if (!isPlatformError(error) || error.code !== 'CONFLICT') throw error;
      const existing = await backend.getInstance(entry.instance.instanceId);
      const link = entry.instance.parent;
      const ours = existing?.parent && link && sameLink(existing.parent, link);
      if (ours || !link) return;
      await send(link.instanceId, {
        id: `${link.executionId}:sub:${link.taskScheduledId}`,
        executionId: link.executionId,
        event: {
          EventType: EventType.SubOrchestrationInstanceFailed,
          EventId: -1,
          IsPlayed: false,
          Timestamp: new Date(clock.now()).toISOString(),
          TaskScheduledId: link.taskScheduledId,
          Reason: error.message,
          Details: error.message,
          FailureDetails: { ErrorType: 'InvalidOperationError', ErrorMessage: error.message },
        },
      });
    }
  }

  async function deliver(instanceId: string): Promise<void> {
    try {
      const batches = await backend.readOutbox(instanceId);
      for (const batch of batches) for (const entry of batch.entries) await deliverEntry(entry);
      if (batches.length)
        await backend.deleteOutbox(
          instanceId,
          batches.map((b) => b.id),
        );
      owing.delete(instanceId);
    } catch (error) {
      owing.add(instanceId);
      throw error;
    }
  }

  return {
    deliver,
    async settleDebt(instanceId) {
      if (owing.has(instanceId)) await deliver(instanceId);
    },
  };
}

function sameLink(
  a: { instanceId: string; taskScheduledId: number; executionId: string },
  b: typeof a,
): boolean {
  return (
    a.instanceId === b.instanceId &&
    a.taskScheduledId === b.taskScheduledId &&
    a.executionId === b.executionId
  );
}
