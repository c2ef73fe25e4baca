// The monitoring store in the registry's Cosmos DB container, in the model's partition: one
// document with the model's latest checks and one with its retraining claim, both changed by
// compare-and-swap on their ETag, so racing checks and redelivered alerts never lose a write.
import type { Container, CosmosClient } from '@azure/cosmos';
import { PlatformError } from '../errors.js';
import { registryContainer } from '../registry/cosmos-connection.js';
import { sameCheck, type CheckRecord } from './check-record.js';
import {
  decideClaim,
  withCheck,
  type MonitoringStore,
  type RetrainClaim,
  type RetrainState,
} from './monitoring-store.js';

interface ChecksDocument {
  id: 'drift-checks';
  model: string;
  type: 'drift-checks';
  checks: CheckRecord[];
}

interface ClaimDocument extends RetrainState {
  id: 'retrain-claim';
  model: string;
  type: 'retrain-claim';
}

const maxAttempts = 50;

function statusOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

function unavailable(error: unknown): PlatformError {
  return new PlatformError(
    'DEPENDENCY_UNAVAILABLE',
    'The monitoring store (Cosmos DB) could not be reached.',
    {},
    { cause: error },
  );
}

export class CosmosMonitoringStore implements MonitoringStore {
  private constructor(private readonly container: Container) {}

  static async open(client: CosmosClient, databaseId: string): Promise<CosmosMonitoringStore> {
    try {
      return new CosmosMonitoringStore(await registryContainer(client, databaseId));
    } catch (error) {
      throw unavailable(error);
    }
  }

  /** Reads, changes and writes back one document, retrying when another writer got there first. */
  private async update<D extends { id: string; model: string }>(
    model: string,
    id: D['id'],
    change: (current: D | undefined) => D | undefined,
  ): Promise<void> {
    for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
      try {
        const { resource } = await this.container.item(id, model).read<D & { _etag: string }>();
        const next = change(resource);
        if (next === undefined) return;
        if (resource)
          await this.container
            .item(id, model)
            .replace(next, { accessCondition: { type: 'IfMatch', condition: resource._etag } });
        else await this.container.items.create(next);
        return;
      } catch (error) {
        const status = statusOf(error);
        if (status !== 409 && status !== 412) throw unavailable(error);
      }
    }
    throw unavailable(new Error(`too many concurrent writers on ${id} of ${model}`));
  }

  async recordCheck(check: CheckRecord): Promise<void> {
    await this.update<ChecksDocument>(check.model, 'drift-checks', (current) => ({
      id: 'drift-checks',
      model: check.model,
      type: 'drift-checks',
      checks: withCheck(current?.checks ?? [], check, (c) => sameCheck(c, check)),
    }));
  }

  async latestChecks(model: string): Promise<CheckRecord[]> {
    try {
      const { resource } = await this.container.item('drift-checks', model).read<ChecksDocument>();
      return resource?.checks ?? [];
    } catch (error) {
      throw unavailable(error);
    }
  }

  async claimRetrain(model: string, runId: string, now: number, cooldownMs: number): Promise<RetrainClaim> {
    let claim: RetrainClaim = { claimed: true };
    await this.update<ClaimDocument>(model, 'retrain-claim', (current) => {
      claim = decideClaim(current, runId, now, cooldownMs);
      if (!claim.claimed || current?.runId === runId) return undefined;
      return { id: 'retrain-claim', model, type: 'retrain-claim', runId, at: now };
    });
    return claim;
  }
}
