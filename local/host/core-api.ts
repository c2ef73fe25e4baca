// The module `@azure/functions-core` as the Node.js worker provides it: the documented surface
// that `@azure/functions` and `durable-functions` register functions, hooks and their
// programming model through. One app per process, as in the worker, so the state is a singleton.
import type {
  FunctionCallback,
  FunctionMetadata,
  HookName,
  ProgrammingModel,
  RpcLogCategory,
  RpcLogLevel,
} from './core-types.js';

export class Disposable {
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((item) => item.dispose()));
  }
  #callOnDispose?: () => unknown;
  constructor(callOnDispose: () => unknown) {
    this.#callOnDispose = callOnDispose;
  }
  dispose(): unknown {
    const callback = this.#callOnDispose;
    this.#callOnDispose = undefined;
    return callback?.();
  }
}

export interface Registration {
  readonly metadata: FunctionMetadata;
  readonly callback: FunctionCallback;
}

export type HookCallback = (context: Record<string, unknown>) => unknown;

export class CoreState {
  readonly registrations = new Map<string, Registration>();
  readonly hooks: Record<HookName, HookCallback[]> = {
    preInvocation: [],
    postInvocation: [],
    appStart: [],
    appTerminate: [],
    log: [],
  };
  /** Shared by every hook of the app, like the worker's appHookData. */
  readonly appHookData: Record<string, unknown> = {};
  /** The `hookData` of the appStart and appTerminate hooks only, as in the worker. */
  readonly appLevelHookData: Record<string, unknown> = {};
  programmingModel?: ProgrammingModel;
  /** Where `log` calls from the library go; the host replaces it once its logger exists. */
  logSink: (level: RpcLogLevel, category: RpcLogCategory, message: string) => void = (
    level,
    _category,
    message,
  ) => console.log(`[${level}] ${message}`);
  /** Registration is only allowed while the app's entry point loads, as in the worker. */
  registrationOpen = true;
}

export const coreState = new CoreState();

/** What the Node.js worker tells the host it can do; the programming model may add to it. */
export const workerCapabilities: Readonly<Record<string, string>> = {
  RawHttpBodyBytes: 'true',
  RpcHttpTriggerMetadataRemoved: 'true',
  RpcHttpBodyOnly: 'true',
  IgnoreEmptyValuedRpcHttpHeaders: 'true',
  UseNullableValueDictionaryForHttp: 'true',
  WorkerStatus: 'true',
  TypedDataCollection: 'true',
  HandlesWorkerTerminateMessage: 'true',
};

export function createCoreApi(state: CoreState, hostVersion: string) {
  return {
    version: '3.12.0',
    hostVersion,
    Disposable,
    registerFunction(metadata: FunctionMetadata, callback: FunctionCallback): Disposable {
      if (!state.registrationOpen) {
        throw new Error(`A function can only be registered while the app is loading ('${metadata.name}').`);
      }
      const key = metadata.name.toLowerCase();
      if (state.registrations.has(key)) {
        throw new Error(`A function with the name '${metadata.name}' has already been registered.`);
      }
      state.registrations.set(key, { metadata, callback });
      return new Disposable(() => state.registrations.delete(key));
    },
    setProgrammingModel(model: ProgrammingModel): void {
      state.programmingModel = model;
    },
    getProgrammingModel(): ProgrammingModel | undefined {
      return state.programmingModel;
    },
    registerHook(name: string, callback: HookCallback): Disposable {
      const hooks = state.hooks[name as HookName];
      if (!hooks)
        throw new Error(`Unknown hook '${name}'; expected one of ${Object.keys(state.hooks).join(', ')}.`);
      hooks.push(callback);
      return new Disposable(() => {
        const index = hooks.indexOf(callback);
        if (index >= 0) hooks.splice(index, 1);
      });
    },
    log(level: RpcLogLevel, category: RpcLogCategory, message: string): void {
      const entry = withLogHooks(state, { level, category, message });
      state.logSink(entry.level, entry.category, entry.message);
    },
  };
}

/**
 * A hook's context as the worker builds it: the `fixed` properties cannot be assigned (the
 * worker's ReadOnlyError, whatever the app's strict mode); the others are the hook's to change.
 */
export function hookContext<T extends object>(fixed: Record<string, unknown>, open: T): T {
  const context = { ...open };
  for (const [name, value] of Object.entries(fixed)) {
    Object.defineProperty(context, name, {
      enumerable: true,
      get: () => value,
      set: () => {
        throw new TypeError(`Cannot assign to read only property '${name}' of object`);
      },
    });
  }
  return context;
}

export interface LogEntry {
  level: RpcLogLevel;
  category: RpcLogCategory;
  message: string;
  invocationContext?: unknown;
}

/**
 * Runs the app's log hooks on one log entry, as the worker does (they run synchronously and may
 * change its level and message); the entry as the hooks left it is what gets logged.
 */
export function withLogHooks(state: CoreState, entry: LogEntry): LogEntry {
  if (state.hooks.log.length === 0) return entry;
  const context = { hookData: {}, appHookData: state.appHookData, ...entry };
  for (const hook of state.hooks.log) void hook(context);
  return context;
}
