// The local Functions host: loads an Azure Functions Node.js v4 app like the worker does, then
// serves its HTTP functions and runs its other triggers through binding extensions.
import type { AddressInfo } from 'node:net';
import { PlatformError } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { coreState, hookContext, workerCapabilities } from './core-api.js';
import type { HostContext, HostExtension, RegisteredFunction, TriggerListener } from './extension.js';
import { indexFunctions, isHttpTrigger, type SkippedFunction } from './function-index.js';
import { hostClock } from './host-clock.js';
import { createHttpFrontDoor } from './http/http-server.js';
import { createHttpStreamProxy } from './http/http-stream.js';
import { functionRoutes, hostRoutes, sortRoutes, type RouteEntry } from './http/router.js';
import { installCoreModule } from './install-core-module.js';
import { createInvoker } from './invoker.js';
import { functionRetries } from './retry-invoke.js';
import { loadApp } from './load-app.js';
import { createLogger, type HostLogger } from './logger.js';
import { exportToEnvironment, loadSettings } from './settings.js';
import { parseTimeSpan } from './time-span.js';

export const hostVersion = '4.0.0-local';

/** Azure's default request body limit (FUNCTIONS_REQUEST_BODY_SIZE_LIMIT): 100 MiB. */
const defaultBodyLimit = 104_857_600;

export interface HostOptions {
  appDir: string;
  /** 0 picks a free port. */
  port?: number;
  extensions?: readonly HostExtension[];
  clock?: Clock;
  log?: HostLogger;
}

export interface RunningHost {
  readonly url: string;
  readonly port: number;
  readonly functions: readonly RegisteredFunction[];
  /** Functions left out: disabled, or needing a trigger or binding no extension supports. */
  readonly skipped: readonly SkippedFunction[];
  readonly keys: HostContext['keys'];
  readonly routePrefix: string;
  stop(): Promise<void>;
}

export async function startHost(options: HostOptions): Promise<RunningHost> {
  const log = options.log ?? createLogger();
  const { settings, values, createdLocalSettings, generatedKeys, cors } = await loadSettings(options.appDir);
  if (createdLocalSettings) log.info('Created local.settings.json from local.settings.sample.json.');
  if (generatedKeys.length > 0)
    log.info(`Generated ${generatedKeys.join(', ')} into local.settings.json (random, kept there).`);
  exportToEnvironment(values);

  installCoreModule(hostVersion);
  const workerLog = log.child({ component: 'worker' });
  coreState.logSink = (level, _category, message) =>
    level === 'error' || level === 'critical'
      ? workerLog.error(message)
      : level === 'warning'
        ? workerLog.warn(message)
        : workerLog.debug(message);
  await loadApp(options.appDir);
  coreState.registrationOpen = false;
  const extensions = options.extensions ?? [];
  const provided = <K extends 'triggers' | 'inputs' | 'outputs'>(kind: K) =>
    Object.assign({}, ...extensions.map((e) => e[kind] ?? {})) as NonNullable<HostExtension[K]>;
  const providers = {
    triggers: provided('triggers'),
    inputs: provided('inputs'),
    outputs: provided('outputs'),
  };
  const { functions, skipped } = indexFunctions(coreState.registrations.values(), settings, {
    triggers: Object.keys(providers.triggers),
    inputs: Object.keys(providers.inputs),
    outputs: Object.keys(providers.outputs),
  });
  const unsupported = skipped.filter((fn) => !fn.disabled);
  if (unsupported.length > 0 && /^(true|1)$/i.test(settings.get('LOCAL_HOST_STRICT_BINDINGS') ?? '')) {
    throw new PlatformError(
      'INVALID_CONFIG',
      `LOCAL_HOST_STRICT_BINDINGS is set and ${unsupported.map((fn) => `'${fn.name}' (${fn.reason})`).join(', ')} cannot run.`,
      { functions: unsupported.map((fn) => fn.name) },
    );
  }
  for (const fn of skipped) {
    if (fn.disabled) log.info(`Function '${fn.name}' is ${fn.reason}; not started.`);
    else log.warn(`Function '${fn.name}' is not started: ${fn.reason}. The other functions run.`);
  }

  const time = hostClock(settings, options.clock);
  const keys = {
    function: settings.require('FUNCTIONS_FUNCTION_KEY', 'the HTTP key check'),
    master: settings.require('FUNCTIONS_MASTER_KEY', 'the HTTP key check'),
    system: settings.require('FUNCTIONS_SYSTEM_KEY', 'the HTTP key check'),
  };
  // The context is completed before any invocation can happen (listeners start last).
  const context = {} as { -readonly [K in keyof HostContext]: HostContext[K] };
  const appHooks = { hookData: coreState.appLevelHookData, appHookData: coreState.appHookData };
  const functionTimeout = settings.hostJson.functionTimeout;
  const invoke = createInvoker({
    state: coreState,
    log,
    timeoutMs: functionTimeout ? parseTimeSpan(functionTimeout) : undefined,
    // Every binding type is one an extension provides: the index left out functions with others.
    resolveInput: (binding, invocation) => providers.inputs[binding.type]!(binding, invocation, context),
    writeOutput: (binding, data, invocation) =>
      providers.outputs[binding.type]!(binding, data, invocation, context),
  });

  // Triggered functions (not HTTP) go through their retry policies.
  const retries = functionRetries(
    invoke,
    functions.map((fn) => ({
      fn,
      retry: coreState.registrations.get(fn.name.toLowerCase())?.metadata.retryOptions,
    })),
    time.clock,
    log,
  );

  // The worker asks the app's programming model for its capabilities once the app has loaded
  // (which also locks `app.setup`); the library answers HttpUri when the app streams HTTP.
  const capabilities = (await coreState.programmingModel?.getCapabilities?.({ ...workerCapabilities })) ?? {};
  const stream = capabilities.HttpUri ? createHttpStreamProxy(capabilities.HttpUri, invoke) : undefined;
  if (stream)
    log.info(`HTTP streaming: requests of HTTP functions go through the app's ${capabilities.HttpUri}.`);

  let routes: RouteEntry[] = [];
  const maxBodyBytes = Number(settings.get('FUNCTIONS_REQUEST_BODY_SIZE_LIMIT') ?? defaultBodyLimit);
  const server = createHttpFrontDoor({
    routes: () => routes,
    keys,
    invoke,
    log,
    maxBodyBytes,
    cors,
    bodyIdleTimeoutMs: Number(settings.get('FUNCTIONS_REQUEST_BODY_IDLE_TIMEOUT_MS') ?? 10_000),
    stream,
  });
  server.listen(options.port ?? 7071, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', (error) => reject(listenError(error, options.port)));
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  // Set by Azure and by Core Tools; libraries (durable-functions among them) build URLs from it.
  process.env.WEBSITE_HOSTNAME ??= `127.0.0.1:${port}`;

  Object.assign(context, {
    appDir: options.appDir,
    settings,
    functions,
    invoke: retries.invoke,
    log,
    clock: time.clock,
    baseUrl: url,
    keys,
  } satisfies HostContext);

  const started: HostExtension[] = [];
  const listeners: TriggerListener[] = [];
  const stop = async () => {
    retries.stop();
    await Promise.allSettled(listeners.map((l) => l.stop()));
    for (const hook of coreState.hooks.appTerminate) await hook(hookContext(appHooks, {}));
    await Promise.allSettled(started.map((e) => e.stop?.()));
    stream?.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  try {
    for (const extension of extensions) {
      await extension.start?.(context);
      started.push(extension);
    }
    routes = sortRoutes([
      ...functionRoutes(functions, settings.hostJson.extensions.http.routePrefix),
      ...hostRoutes([...time.routes, ...extensions.flatMap((e) => e.routes?.(context) ?? [])]),
    ]);
    for (const hook of coreState.hooks.appStart)
      await hook(hookContext(appHooks, { functionAppDirectory: options.appDir }));
    for (const fn of functions) {
      if (isHttpTrigger(fn)) continue;
      const listener = providers.triggers[fn.trigger.type]!(fn, context);
      await listener.start();
      listeners.push(listener);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    port,
    functions,
    skipped,
    keys,
    routePrefix: settings.hostJson.extensions.http.routePrefix,
    stop,
  };
}

function listenError(error: unknown, port: number | undefined): PlatformError {
  const code = (error as NodeJS.ErrnoException).code;
  return new PlatformError(
    'INVALID_CONFIG',
    code === 'EADDRINUSE'
      ? `Port ${port} is unavailable; close the process using it, or pick another port with --port (or FUNCTIONS_HTTP_PORT).`
      : `The host cannot listen on port ${port}: ${(error as Error).message}`,
    { port },
  );
}
