// Runs one invocation the way the Node.js worker does: the app's programming model builds the
// arguments, pre- and post-invocation hooks run around the call, the model converts the result,
// and the host then writes the output bindings.
import { randomUUID } from 'node:crypto';
import { PlatformError } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { withTimeout } from '../../shared/with-timeout.js';
import { hookContext, withLogHooks, type CoreState } from './core-api.js';
import type { CoreInvocationContext, RpcLogLevel, RpcParameterBinding, RpcTypedData } from './core-types.js';
import type {
  Binding,
  InvocationRecord,
  InvocationRequest,
  Invoke,
  RegisteredFunction,
} from './extension.js';
import { httpOutput } from './function-index.js';
import type { HostLogger } from './logger.js';

export interface InvokerOptions {
  state: CoreState;
  log: HostLogger;
  resolveInput(binding: Binding, invocation: InvocationRecord): Promise<RpcTypedData | undefined>;
  writeOutput(binding: Binding, data: RpcTypedData, invocation: InvocationRecord): Promise<void>;
  /** host.json functionTimeout; the invocation fails with TIMEOUT past it (the code itself cannot be stopped). */
  timeoutMs?: number;
  /** Measures functionTimeout; the system's unless a test drives it. */
  clock?: Clock;
}

export function createInvoker(options: InvokerOptions): Invoke {
  const { state } = options;
  const { appHookData } = state;
  return async (fn: RegisteredFunction, request: InvocationRequest) => {
    const model = state.programmingModel;
    const registration = state.registrations.get(fn.name.toLowerCase());
    if (!model || !registration) {
      throw new PlatformError(
        'INVALID_CONFIG',
        `Function '${fn.name}' is not registered by the app's programming model.`,
      );
    }
    const invocationId = request.invocationId ?? randomUUID();
    // Made on the first record of the invocation's own: most invocations write none.
    let fnLog: HostLogger | undefined;
    const log = () => (fnLog ??= options.log.child({ functionName: fn.name, invocationId }));
    const triggerMetadata = request.triggerMetadata ?? {};
    const record: InvocationRecord = { invocationId, fn, trigger: request.trigger, triggerMetadata };

    const inputData: RpcParameterBinding[] = [{ name: fn.trigger.name, data: request.trigger }];
    for (const binding of fn.inputs) {
      inputData.push({ name: binding.name, data: (await options.resolveInput(binding, record)) ?? null });
    }
    const coreContext: CoreInvocationContext = {
      invocationId,
      request: {
        invocationId,
        functionId: fn.id,
        inputData,
        triggerMetadata,
        retryContext: request.retryContext ?? null,
      },
      metadata: {
        name: registration.metadata.name,
        functionId: fn.id,
        bindings: registration.metadata.bindings,
      },
      log: (level, category, message) => {
        const entry = withLogHooks(state, { level, category, message, invocationContext });
        logAt(log(), entry.level, entry.message);
      },
    };
    let invocationContext: unknown = undefined;
    const invocationModel = model.getInvocationModel(coreContext);
    const { context, inputs } = await invocationModel.getArguments();
    invocationContext = context;

    const { preInvocation, postInvocation } = state.hooks;
    // Hook contexts (read-only properties are costly to make) only for an app that has hooks.
    let fixed: Record<string, unknown> | undefined;
    const fixedOnce = () => (fixed ??= { hookData: {}, appHookData, invocationContext: context });
    coreContext.state = 'preInvocationHooks';
    let pre = { inputs, functionCallback: registration.callback };
    if (preInvocation.length > 0) pre = hookContext(fixedOnce(), pre);
    for (const hook of preInvocation) await hook(pre);

    coreContext.state = 'invocation';
    const startedAt = performance.now();
    // As the worker does: hooks see null, not undefined, for whichever did not happen.
    const outcome = { inputs: pre.inputs, result: null as unknown, error: null as unknown };
    if (options.log.enabled('debug')) log().debug(`Executing 'Functions.${fn.name}' (Id=${invocationId})`);
    try {
      const running = invocationModel.invokeFunction(context, pre.inputs, pre.functionCallback);
      outcome.result = await (options.timeoutMs
        ? withTimeout(
            running,
            options.timeoutMs,
            () =>
              new PlatformError(
                'TIMEOUT',
                `Function '${fn.name}' exceeded the function timeout of ${options.timeoutMs} ms.`,
              ),
            options.clock,
          )
        : running);
    } catch (thrown) {
      outcome.error = thrown;
    }
    coreContext.state = 'postInvocationHooks';
    const post = postInvocation.length > 0 ? hookContext(fixedOnce(), outcome) : outcome;
    for (const hook of postInvocation) await hook(post);
    coreContext.state = undefined;
    // Core Tools' per-invocation line, which tools and people grep for.
    const executed = (status: string) =>
      `Executed 'Functions.${fn.name}' (${status}, Id=${invocationId}, Duration=${Math.round(performance.now() - startedAt)}ms)`;
    if (post.error !== undefined && post.error !== null) {
      // The one place a function's failure is logged, with its stack; callers decide on retries.
      options.log.error(executed('Failed'));
      log().error(
        `Exception while executing function: Functions.${fn.name}. ${(post.error as Error)?.stack ?? String(post.error)}`,
      );
      throw post.error;
    }
    if (options.log.enabled('info')) options.log.info(executed('Succeeded'));

    const response = await invocationModel.getResponse(context, post.result);
    const write = async (binding: Binding, data: RpcTypedData) => {
      try {
        await options.writeOutput(binding, data, record);
      } catch (failure) {
        // The invocation fails, as in Azure; this is the one place the reason is logged.
        log().error(`Output binding '${binding.name}' failed: ${(failure as Error).message}`);
        throw failure;
      }
    };
    for (const output of response.outputData ?? []) {
      const binding = fn.outputs.find((b) => b.name === output.name);
      if (binding && output.data) await write(binding, output.data);
    }
    const returnBinding = fn.outputs.find((b) => b.name === '$return');
    if (returnBinding && response.returnValue && returnBinding.type !== httpOutput) {
      await write(returnBinding, response.returnValue);
    }
    return response;
  };
}

function logAt(log: HostLogger, level: RpcLogLevel, message: string): void {
  if (level === 'error' || level === 'critical') log.error(message);
  else if (level === 'warning') log.warn(message);
  else if (level === 'information') log.info(message);
  else if (level !== 'none') log.debug(message);
}
