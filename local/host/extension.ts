// How a binding extension plugs into the local host, the way Azure's host loads extension
// bundles: it owns trigger types (it listens and calls `invoke`), input and output binding
// types, and optionally host-level HTTP routes (e.g. /runtime/webhooks/durabletask/...).
import type { Clock } from '../../shared/clock.js';
import type { RpcBindingInfo, RpcException, RpcInvocationResponse, RpcTypedData } from './core-types.js';
import type { HostLogger } from './logger.js';
import type { HostSettings } from './settings.js';

/** A binding with its `%Setting%` expressions already resolved. */
export interface Binding extends RpcBindingInfo {
  name: string;
  type: string;
  direction: 'in' | 'out' | 'inout';
}

export interface RegisteredFunction {
  readonly name: string;
  readonly id: string;
  readonly trigger: Binding;
  readonly inputs: readonly Binding[];
  readonly outputs: readonly Binding[];
}

export interface InvocationRequest {
  /** The trigger's value as the worker receives it (e.g. `{ json: ... }` or `{ http: ... }`). */
  trigger: RpcTypedData;
  triggerMetadata?: Record<string, RpcTypedData>;
  retryContext?: { retryCount: number; maxRetryCount: number; exception?: RpcException };
}

export interface InvocationRecord {
  readonly invocationId: string;
  readonly fn: RegisteredFunction;
  readonly triggerMetadata: Record<string, RpcTypedData>;
}

/** Runs one function through the app's programming model. Rejects with the function's error. */
export type Invoke = (fn: RegisteredFunction, request: InvocationRequest) => Promise<RpcInvocationResponse>;

export interface HostContext {
  readonly appDir: string;
  readonly settings: HostSettings;
  readonly functions: readonly RegisteredFunction[];
  readonly invoke: Invoke;
  readonly log: HostLogger;
  readonly clock: Clock;
  /** e.g. http://127.0.0.1:7071 */
  readonly baseUrl: string;
  readonly keys: { readonly function: string; readonly master: string; readonly system: string };
}

export interface TriggerListener {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface HostHttpRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: Buffer;
  params: Record<string, string>;
}

export interface HostHttpResponse {
  status: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON. */
  body?: string | Buffer | object;
}

export type AuthLevel = 'anonymous' | 'function' | 'admin' | 'system';

export interface HostRoute {
  methods: readonly string[];
  /** A route template without the route prefix, e.g. `runtime/webhooks/durabletask/instances/{id}`. */
  template: string;
  auth: AuthLevel;
  handle(request: HostHttpRequest): Promise<HostHttpResponse>;
}

export interface HostExtension {
  readonly name: string;
  /** Trigger types this extension listens for, e.g. `serviceBusTrigger`. */
  readonly triggers?: Record<string, (fn: RegisteredFunction, host: HostContext) => TriggerListener>;
  /** Input binding types, resolved before each invocation. */
  readonly inputs?: Record<
    string,
    (binding: Binding, invocation: InvocationRecord, host: HostContext) => Promise<RpcTypedData | undefined>
  >;
  /** Output binding types, written after a successful invocation. */
  readonly outputs?: Record<
    string,
    (binding: Binding, data: RpcTypedData, invocation: InvocationRecord, host: HostContext) => Promise<void>
  >;
  readonly routes?: (host: HostContext) => HostRoute[];
  start?(host: HostContext): Promise<void>;
  stop?(): Promise<void>;
}
