// When a supervised emulator that died is started again: with a doubling delay, and not at all
// once it has been restarted too often lately (it would only crash again; stopping says so).

export interface RestartPolicy {
  /** Restarts allowed within `windowMs`; 0 stops the stack on the first death. */
  readonly maxRestarts: number;
  readonly windowMs: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const defaultRestartPolicy: RestartPolicy = {
  maxRestarts: 5,
  windowMs: 60_000,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
};

/** The delay before the next restart, given when earlier ones happened; undefined to give up. */
export function nextRestartDelay(
  restarts: readonly number[],
  now: number,
  policy: RestartPolicy,
): number | undefined {
  const recent = restarts.filter((at) => now - at < policy.windowMs).length;
  if (recent >= policy.maxRestarts) return undefined;
  return Math.min(policy.baseDelayMs * 2 ** recent, policy.maxDelayMs);
}
