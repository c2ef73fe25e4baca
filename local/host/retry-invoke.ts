// Function retry policies at work: the host's invoke, wrapped so that a failed invocation of
// a function with a policy runs again after the policy's delay, with `context.retryContext`
// counting the attempts and carrying the last error, until it succeeds or the retries run out.
// Waits go through the host's clock; stopping the host ends them (the last error stands).
import { sleep, type Clock } from '../../shared/clock.js';
import type { RpcException, RpcRetryOptions } from './core-types.js';
import type { Invoke, RegisteredFunction } from './extension.js';
import type { HostLogger } from './logger.js';
import { mayRetry, parseRetryPolicy, retryPolicyTriggers, type RetryPolicy } from './retry-policy.js';

export interface FunctionRetries {
  readonly invoke: Invoke;
  /** Ends every wait for a retry; the invocations waiting fail with their last error. */
  stop(): void;
}

export function functionRetries(
  invoke: Invoke,
  functions: readonly { fn: RegisteredFunction; retry: RpcRetryOptions | undefined }[],
  clock: Clock,
  log: HostLogger,
): FunctionRetries {
  const policies = new Map<string, RetryPolicy>();
  for (const { fn, retry } of functions) {
    if (!retry) continue;
    if (retryPolicyTriggers.includes(fn.trigger.type))
      policies.set(fn.name, parseRetryPolicy(retry, fn.name));
    else
      log.warn(
        `Function '${fn.name}' has a retry policy, but Azure applies retry policies only to ${retryPolicyTriggers.join(', ')}; it is ignored for ${fn.trigger.type}.`,
      );
  }
  const stopping = new AbortController();
  return {
    invoke: async (fn, request) => {
      const policy = policies.get(fn.name);
      if (!policy) return invoke(fn, request);
      let exception: RpcException | undefined;
      for (let retryCount = 0; ; retryCount += 1) {
        try {
          return await invoke(fn, {
            ...request,
            retryContext: { retryCount, maxRetryCount: policy.maxRetryCount, exception },
          });
        } catch (error) {
          if (!mayRetry(policy, retryCount) || stopping.signal.aborted) throw error;
          const delay = policy.delayMs(retryCount + 1);
          const max = policy.maxRetryCount === -1 ? 'unlimited' : policy.maxRetryCount;
          log.child({ functionName: fn.name }).warn(`Retry ${retryCount + 1} of ${max} in ${delay} ms.`);
          exception = rpcException(error);
          await sleep(clock, delay, stopping.signal).catch(() => Promise.reject(error));
        }
      }
    },
    stop: () => stopping.abort(),
  };
}

function rpcException(error: unknown): RpcException {
  const failure = error instanceof Error ? error : new Error(String(error));
  return { message: failure.message, source: failure.name, stackTrace: failure.stack ?? null };
}
