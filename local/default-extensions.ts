// The binding extensions the local host loads, like the Azure host's extension bundle. It sits
// at local/'s top with the CLI: the host itself (local/host/) knows no extension by name. Each
// loads its module only when the app uses one of its types (local/lazy-extension.ts).
import type { HostExtension } from './host/extension.js';
import { lazyExtension, type ExtensionTypes } from './lazy-extension.js';

export const extensionModules: Record<string, { types: ExtensionTypes; load(): Promise<HostExtension> }> = {
  timer: {
    types: { triggers: ['timerTrigger'] },
    load: async () => (await import('./host/timer/timer-extension.js')).timerExtension(),
  },
  storage: {
    types: { triggers: ['queueTrigger', 'blobTrigger'], inputs: ['blob'], outputs: ['blob', 'queue'] },
    load: async () => (await import('./host/storage/storage-extension.js')).storageExtension(),
  },
  tables: {
    types: { inputs: ['table'], outputs: ['table'] },
    load: async () => (await import('./host/storage/table-extension.js')).tableExtension(),
  },
  cosmosdb: {
    types: { triggers: ['cosmosDBTrigger'], inputs: ['cosmosDB'], outputs: ['cosmosDB'] },
    load: async () => (await import('./cosmos/cosmos-extension.js')).cosmosExtension(),
  },
  servicebus: {
    types: { triggers: ['serviceBusTrigger'], outputs: ['serviceBus'] },
    load: async () => (await import('./servicebus/extension.js')).serviceBusExtension(),
  },
  durableTask: {
    types: {
      triggers: ['orchestrationTrigger', 'activityTrigger', 'entityTrigger'],
      inputs: ['durableClient', 'orchestrationClient'],
    },
    load: async () => (await import('./taskhub/extension.js')).createTaskHubExtension(),
  },
};

export function defaultExtensions(): HostExtension[] {
  return Object.entries(extensionModules).map(([name, { types, load }]) => lazyExtension(name, types, load));
}
