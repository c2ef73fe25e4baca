// The monitor's port: the latest checks per model and the retraining cool-down. Stored with
// the registry (Cosmos DB, the model's partition); an in-memory twin passes the same suite.
// Implementations fail only with DEPENDENCY_UNAVAILABLE.
import type { CheckRecord } from './check-record.js';

/** How many checks a model keeps: two days of hourly checks. */
export const keptChecks = 48;

export type RetrainClaim =
  { readonly claimed: true } | { readonly claimed: false; readonly runId: string; readonly until: string };

export interface MonitoringStore {
  /** Keeps the check as the model's newest; the same check again replaces the earlier one. */
  recordCheck(check: CheckRecord): Promise<void>;
  /** Newest first, at most `keptChecks`. */
  latestChecks(model: string): Promise<CheckRecord[]>;
  /**
   * Claims the model's retraining for `runId` at `now` (ms), unless another run was claimed less
   * than `cooldownMs` before. Claiming the same run again (a redelivered alert) succeeds.
   */
  claimRetrain(model: string, runId: string, now: number, cooldownMs: number): Promise<RetrainClaim>;
}

export interface RetrainState {
  readonly runId: string;
  readonly at: number;
}

/** The pure rule both stores apply under their own concurrency control. */
export function decideClaim(
  previous: RetrainState | undefined,
  runId: string,
  now: number,
  cooldownMs: number,
): RetrainClaim {
  if (!previous || previous.runId === runId || now >= previous.at + cooldownMs) return { claimed: true };
  return { claimed: false, runId: previous.runId, until: new Date(previous.at + cooldownMs).toISOString() };
}

export function withCheck(
  checks: readonly CheckRecord[],
  check: CheckRecord,
  same: (a: CheckRecord) => boolean,
): CheckRecord[] {
  return [check, ...checks.filter((c) => !same(c))]
    .sort((a, b) => b.window.to.localeCompare(a.window.to) || b.checkedAt.localeCompare(a.checkedAt))
    .slice(0, keptChecks);
}
