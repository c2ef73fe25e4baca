// The monitoring store in memory, for unit tests; it passes the same suite as the Cosmos one.
import { sameCheck, type CheckRecord } from './check-record.js';
import {
  decideClaim,
  withCheck,
  type MonitoringStore,
  type RetrainClaim,
  type RetrainState,
} from './monitoring-store.js';

export class MemoryMonitoringStore implements MonitoringStore {
  private readonly checks = new Map<string, CheckRecord[]>();
  private readonly claims = new Map<string, RetrainState>();

  recordCheck(check: CheckRecord): Promise<void> {
    this.checks.set(
      check.model,
      withCheck(this.checks.get(check.model) ?? [], check, (c) => sameCheck(c, check)),
    );
    return Promise.resolve();
  }

  latestChecks(model: string): Promise<CheckRecord[]> {
    return Promise.resolve(structuredClone(this.checks.get(model) ?? []));
  }

  claimRetrain(model: string, runId: string, now: number, cooldownMs: number): Promise<RetrainClaim> {
    const claim = decideClaim(this.claims.get(model), runId, now, cooldownMs);
    if (claim.claimed && this.claims.get(model)?.runId !== runId) this.claims.set(model, { runId, at: now });
    return Promise.resolve(claim);
  }
}
