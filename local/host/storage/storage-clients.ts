// Storage clients for a binding's `connection` setting (AzureWebJobsStorage by default), as the
// host resolves them: the setting holds a connection string (Azurite or an account).
import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import type { HostSettings } from '../settings.js';

export interface StorageClients {
  readonly blob: BlobServiceClient;
  readonly queue: QueueServiceClient;
}

const cache = new Map<string, StorageClients>();

export function storageClients(settings: HostSettings, connection: unknown, usedBy: string): StorageClients {
  const name = typeof connection === 'string' && connection !== '' ? connection : 'AzureWebJobsStorage';
  const value = settings.require(name, usedBy);
  let clients = cache.get(value);
  if (!clients) {
    clients = {
      blob: BlobServiceClient.fromConnectionString(value),
      queue: QueueServiceClient.fromConnectionString(value),
    };
    cache.set(value, clients);
  }
  return clients;
}

/** The folder of host bookkeeping (timer status, blob receipts, locks), as the Azure host names it. */
export const hostsContainer = 'azure-webjobs-hosts';

/** A stable id for this app's bookkeeping, like the host id the Azure host derives. */
export function hostId(settings: HostSettings, appDir: string): string {
  const configured = settings.get('AzureFunctionsWebHost__hostid');
  if (configured) return configured;
  const name = appDir.split(/[\\/]/).filter(Boolean).pop() ?? 'app';
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '-')
      .replace(/^-+|-+$/g, '') || 'app'
  ).slice(0, 32);
}
