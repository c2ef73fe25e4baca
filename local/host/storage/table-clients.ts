// A Tables client for a binding's `connection` (AzureWebJobsStorage when empty), resolved as
// the Azure extension does: the setting holds a connection string (Azurite's or an account's),
// or `<connection>__tableServiceUri` / `<connection>__accountName` name an account reached with
// an Entra ID identity.
import { TableClient } from '@azure/data-tables';
import { DefaultAzureCredential } from '@azure/identity';
import { PlatformError } from '../../../shared/errors.js';
import type { HostSettings } from '../settings.js';

const cache = new Map<string, TableClient>();

export function tableClientFor(
  settings: HostSettings,
  connection: string | undefined,
  tableName: string,
  usedBy: string,
): TableClient {
  const name = connection || 'AzureWebJobsStorage';
  const connectionString = settings.get(name);
  const accountName = settings.get(`${name}__accountName`);
  const serviceUri =
    settings.get(`${name}__tableServiceUri`) ??
    (accountName ? `https://${accountName}.table.core.windows.net` : undefined);
  const key = `${connectionString ?? serviceUri}|${tableName}`;
  let client = cache.get(key);
  if (client) return client;
  if (connectionString) {
    client = TableClient.fromConnectionString(connectionString, tableName, {
      // Azurite speaks plain HTTP on loopback.
      allowInsecureConnection: /TableEndpoint=http:|UseDevelopmentStorage=true/i.test(connectionString),
    });
  } else if (serviceUri) {
    client = new TableClient(serviceUri, tableName, new DefaultAzureCredential());
  } else {
    throw new PlatformError(
      'INVALID_CONFIG',
      `Setting '${name}' (a connection string) or '${name}__tableServiceUri' is missing; ${usedBy} needs it.`,
      { setting: name, usedBy },
    );
  }
  cache.set(key, client);
  return client;
}
