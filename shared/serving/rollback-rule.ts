// When the platform takes an alias out of service by itself. Pure: the window's numbers and the
// alias's state in, a verdict out. An alias still baking after a promotion goes back to the
// version it held before (a registry rollback); a challenger in a split that is not baking
// loses its traffic (a spec change). Anything else is only watched.
import type { ServingPolicy } from './serving-policy.js';

export interface WindowStats {
  readonly requests: number;
  readonly errors: number;
  readonly p99Ms: number;
}

export interface AliasState {
  readonly name: string;
  readonly version: number;
  readonly previous: number | null;
  /** When the alias last moved (ISO 8601). */
  readonly updatedAt: string;
}

export type Verdict = {
  readonly action: 'rollback' | 'drain';
  readonly alias: string;
  readonly version: number;
  readonly reason: string;
};

export function breach(policy: ServingPolicy, stats: WindowStats): string | undefined {
  const rules = policy.autoRollback;
  if (!rules || stats.requests < rules.minRequests) return undefined;
  const errorRate = stats.errors / stats.requests;
  const window = `over the last ${rules.windowSeconds} s`;
  if (errorRate > rules.maxErrorRate) {
    return `error rate ${errorRate.toFixed(3)} (${stats.errors} of ${stats.requests} requests) ${window} passed maxErrorRate ${rules.maxErrorRate}`;
  }
  if (stats.p99Ms > rules.maxP99Ms) {
    return `p99 latency ${stats.p99Ms.toFixed(1)} ms (${stats.requests} requests) ${window} passed maxP99Ms ${rules.maxP99Ms}`;
  }
  return undefined;
}

export function judgeAlias(
  policy: ServingPolicy,
  defaultAlias: string,
  alias: AliasState,
  stats: WindowStats,
  now: number,
): Verdict | undefined {
  const reason = breach(policy, stats);
  if (!reason || !policy.autoRollback) return undefined;
  const bakeMs = policy.autoRollback.bakeMinutes * 60_000;
  const baking = alias.previous !== null && now - Date.parse(alias.updatedAt) < bakeMs;
  if (baking) return { action: 'rollback', alias: alias.name, version: alias.version, reason };
  const challenger = alias.name !== defaultAlias && (policy.traffic?.[alias.name] ?? 0) > 0;
  if (challenger) return { action: 'drain', alias: alias.name, version: alias.version, reason };
  return undefined;
}
