// The local Functions host: loads an Azure Functions Node.js v4 app like the worker does, then
// serves its HTTP functions and runs its other triggers through binding extensions.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { PlatformError } from '../../shared/errors.js';
import type { Clock } from '../../shared/clock.js';
import { coreState } from './core-api.js';
import type { HostContext, HostExtension, RegisteredFunction, TriggerListener } from './extension.js';
import { httpTrigger, indexFunctions, isHttpTrigger } from './function-index.js';
import { hostClock } from './host-clock.js';
import { createHttpFrontDoor } from './http/http-server.js';
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
  const functions = indexFunctions(
    coreState.registrations.values(),
    settings,
    extensions.flatMap((e) => [e.triggers, e.inputs, e.outputs].flatMap((types) => Object.keys(types ?? {}))),
  );

  const unsupported = functions.filter(
    (fn) => !isHttpTrigger(fn) && !extensions.some((e) => e.triggers?.[fn.trigger.type]),
  );
  if (unsupported.length > 0) {
    const supported = [httpTrigger, ...extensions.flatMap((e) => Object.keys(e.triggers ?? {}))];
    throw new PlatformError(
      'INVALID_CONFIG',
      `The local host has no trigger for ${unsupported.map((fn) => `'${fn.name}' (${fn.trigger.type})`).join(', ')}; supported: ${supported.join(', ')}.`,
    );
  }

  const time = hostClock(settings, options.clock);
  const keys = {
    function: settings.require('FUNCTIONS_FUNCTION_KEY', 'the HTTP key check'),
    master: settings.require('FUNCTIONS_MASTER_KEY', 'the HTTP key check'),
    system: settings.require('FUNCTIONS_SYSTEM_KEY', 'the HTTP key check'),
  };
  const bindingProvider = <K extends 'inputs' | 'outputs'>(kind: K, type: string) => {
    const found = extensions.find((e) => e[kind]?.[type])?.[kind]?.[type];
    if (!found)
      throw new PlatformError(
        'INVALID_CONFIG',
        `The local host has no ${kind.slice(0, -1)} binding of type '${type}'.`,
      );
    return found as NonNullable<HostExtension[K]>[string];
  };
  // The context is completed before any invocation can happen (listeners start last).
  const context = {} as { -readonly [K in keyof HostContext]: HostContext[K] };
  const { appHookData } = coreState;
  const functionTimeout = settings.hostJson.functionTimeout;
  const invoke = createInvoker({
    state: coreState,
    log,
    timeoutMs: functionTimeout ? parseTimeSpan(functionTimeout) : undefined,
    resolveInput: (binding, invocation) =>
      bindingProvider('inputs', binding.type)(binding, invocation, context),
    writeOutput: (binding, data, invocation) =>
      bindingProvider('outputs', binding.type)(binding, data, invocation, context),
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
  });
  server.listen(options.port ?? 7071, '127.0.0.1');
  await Promise.race([
    once(server, 'listening'),
    once(server, 'error').then(([error]) => Promise.reject(listenError(error, options.port))),
  ]);
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
    for (const hook of coreState.hooks.appTerminate) await hook({ hookData: appHookData, appHookData });
    await Promise.allSettled(started.map((e) => e.stop?.()));
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
      await hook({ hookData: appHookData, appHookData, functionAppDirectory: options.appDir });
    for (const fn of functions) {
      if (isHttpTrigger(fn)) continue;
      const create = extensions.find((e) => e.triggers?.[fn.trigger.type])!.triggers![fn.trigger.type]!;
      const listener = create(fn, context);
      await listener.start();
      listeners.push(listener);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port, functions, keys, routePrefix: settings.hostJson.extensions.http.routePrefix, stop };
}

function listenError(error: unknown, port: number | undefined): PlatformError {
  const code = (error as NodeJS.ErrnoException).code;
  return new PlatformError(
    'INVALID_CONFIG',
    code === 'EADDRINUSE'
      ? `Port ${port} is in use; stop what runs there or pick another port with --port (or FUNCTIONS_HTTP_PORT).`
      : `The host cannot listen on port ${port}: ${(error as Error).message}`,
    { port },
  );
}
