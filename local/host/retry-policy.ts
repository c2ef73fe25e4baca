// Function retry policies (`retry` in app.timer(...) and friends) as the v4 library writes
// them into the function metadata, and the delays the Azure host waits between attempts. Pure.
import { z } from 'zod';
import { PlatformError } from '../../shared/errors.js';
import { parseInput } from '../../shared/validate.js';
import type { RpcRetryOptions } from './core-types.js';

/** The triggers whose failed invocations the Functions runtime retries by policy (the others retry through their service). */
export const retryPolicyTriggers: readonly string[] = [
  'timerTrigger',
  'cosmosDBTrigger',
  'eventHubTrigger',
  'kafkaTrigger',
];

export interface RetryPolicy {
  readonly strategy: 'fixedDelay' | 'exponentialBackoff';
  /** Retries after the first attempt; -1 retries until it succeeds. */
  readonly maxRetryCount: number;
  /** The wait before retry number `retry` (1 for the first retry). */
  delayMs(retry: number): number;
}

// The library sends durations as { seconds } (rounded to whole seconds); the gRPC shape allows nanos too.
const duration = z
  .object({
    seconds: z.number().int().nonnegative().nullish(),
    nanos: z.number().int().nonnegative().nullish(),
  })
  .transform((d) => (d.seconds ?? 0) * 1000 + Math.floor((d.nanos ?? 0) / 1e6));

const optionsSchema = z.discriminatedUnion('retryStrategy', [
  z
    .object({
      retryStrategy: z.literal('fixedDelay'),
      maxRetryCount: z.number().int().min(-1),
      delayInterval: duration,
    })
    .loose(),
  z
    .object({
      retryStrategy: z.literal('exponentialBackoff'),
      maxRetryCount: z.number().int().min(-1),
      minimumInterval: duration,
      maximumInterval: duration,
    })
    .loose(),
]);

export function parseRetryPolicy(options: RpcRetryOptions, functionName: string): RetryPolicy {
  const parsed = parseInput(
    optionsSchema,
    options,
    `retry policy of function '${functionName}'`,
    'INVALID_CONFIG',
  );
  if (parsed.retryStrategy === 'fixedDelay') {
    const delay = parsed.delayInterval;
    return { strategy: 'fixedDelay', maxRetryCount: parsed.maxRetryCount, delayMs: () => delay };
  }
  const { minimumInterval: min, maximumInterval: max } = parsed;
  if (min > max) {
    throw new PlatformError(
      'INVALID_CONFIG',
      `Invalid retry policy of function '${functionName}': minimumInterval (${min} ms) is longer than maximumInterval (${max} ms).`,
      { function: functionName, field: 'retry.minimumInterval' },
    );
  }
  // As documented for the runtime: the first retry waits the minimum, each later one twice the last, up to the maximum.
  return {
    strategy: 'exponentialBackoff',
    maxRetryCount: parsed.maxRetryCount,
    delayMs: (retry) => Math.min(max, min * 2 ** Math.min(Math.max(0, retry - 1), 52)),
  };
}

/** Whether attempt `retryCount` (0 for the first) may be followed by another. */
export function mayRetry(policy: RetryPolicy, retryCount: number): boolean {
  return policy.maxRetryCount === -1 || retryCount < policy.maxRetryCount;
}
