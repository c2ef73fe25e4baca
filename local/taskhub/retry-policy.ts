// The delay before the next attempt of a task with retry, as the Durable Task Framework
// computes it: first interval times the backoff coefficient per failed attempt, capped.
import type { RetryPolicy } from './history.js';

/** `failedAttempt` counts from 1. */
export function retryDelayMs(policy: RetryPolicy, failedAttempt: number): number {
  const delay =
    policy.firstRetryIntervalInMilliseconds * (policy.backoffCoefficient ?? 1) ** (failedAttempt - 1);
  return Math.min(delay, policy.maxRetryIntervalInMilliseconds ?? Number.POSITIVE_INFINITY);
}
