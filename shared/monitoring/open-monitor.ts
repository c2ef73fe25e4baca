// The monitor's dependencies from app settings, opened once per process on first use.
import { systemClock } from '../clock.js';
import { blobServiceFromSettings } from '../artifacts/blob-connection.js';
import { cosmosClient, cosmosSettings } from '../registry/cosmos-connection.js';
import { openRegistry } from '../registry/open-registry.js';
import { CosmosMonitoringStore } from './cosmos-monitoring-store.js';
import type { MonitorDeps } from './run-check.js';

let opening: Promise<MonitorDeps> | undefined;

export function openMonitor(
  settings: Record<string, string | undefined> = process.env,
): Promise<MonitorDeps> {
  opening ??= (async () => {
    // The Service Bus SDK (1.3 MB of code) loads with the first check, not with the app.
    const { serviceBusAlertBus, serviceBusClient } = await import('./alert-bus.js');
    const cosmos = cosmosSettings(settings);
    const [registry, store] = await Promise.all([
      openRegistry(settings),
      CosmosMonitoringStore.open(cosmosClient(cosmos), cosmos.database),
    ]);
    return {
      registry,
      store,
      blobs: blobServiceFromSettings(settings),
      alerts: serviceBusAlertBus(serviceBusClient(settings)),
      clock: systemClock,
    };
  })().catch((error: unknown) => {
    opening = undefined;
    throw error;
  });
  return opening;
}
