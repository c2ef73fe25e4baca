// An extension loaded only when the app has a function that uses one of its binding types, as
// the Azure host loads only the extensions an app references: its module and SDKs (Service Bus,
// Storage, the task hub) stay out of the start-up of an app that does not need them. The types
// are declared here, without importing the module; a test checks they match the module's.
import type { HostContext, HostExtension, RegisteredFunction, TriggerListener } from './host/extension.js';

export interface ExtensionTypes {
  readonly triggers?: readonly string[];
  readonly inputs?: readonly string[];
  readonly outputs?: readonly string[];
}

export function lazyExtension(
  name: string,
  types: ExtensionTypes,
  load: () => Promise<HostExtension>,
): HostExtension {
  let extension: Promise<HostExtension> | undefined;
  let started: HostExtension | undefined;
  const loaded = () => (extension ??= load());
  const uses = (fn: RegisteredFunction) =>
    types.triggers?.includes(fn.trigger.type) ||
    [...fn.inputs, ...fn.outputs].some(
      (b) => types.inputs?.includes(b.type) || types.outputs?.includes(b.type),
    );
  const each = <T>(names: readonly string[] | undefined, make: (type: string) => T) =>
    Object.fromEntries((names ?? []).map((type) => [type, make(type)]));

  return {
    name,
    triggers: each(types.triggers, (type) => (fn: RegisteredFunction, host: HostContext): TriggerListener => {
      let listener: TriggerListener | undefined;
      return {
        async start() {
          listener = (await loaded()).triggers![type]!(fn, host);
          await listener.start();
        },
        stop: async () => listener?.stop(),
      };
    }),
    inputs: each(types.inputs, (type) => async (binding, invocation, host) => {
      return (await loaded()).inputs![type]!(binding, invocation, host);
    }),
    outputs: each(types.outputs, (type) => async (binding, data, invocation, host) => {
      await (
        await loaded()
      ).outputs![type]!(binding, data, invocation, host);
    }),
    routes: (host) => started?.routes?.(host) ?? [],
    async start(host) {
      if (!host.functions.some(uses)) return;
      const real = await loaded();
      await real.start?.(host);
      started = real;
    },
    stop: async () => started?.stop?.(),
  };
}
