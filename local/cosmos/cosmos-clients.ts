// A Cosmos DB client for a binding's `connection`, resolved as the Azure extension does: the
// setting itself holds a connection string (the emulator's, or an account's with its key), or
// `<connection>__accountEndpoint` names an account reached with an Entra ID identity.
import type { CosmosClient } from '@azure/cosmos';
import { PlatformError } from '../../shared/errors.js';
import { cosmosClient, parseCosmosConnectionString } from '../../shared/registry/cosmos-connection.js';
import type { HostSettings } from '../host/settings.js';

const cache = new Map<string, CosmosClient>();

export function cosmosClientFor(settings: HostSettings, connection: string, usedBy: string): CosmosClient {
  const connectionString = settings.get(connection);
  const accountEndpoint = settings.get(`${connection}__accountEndpoint`);
  if (!connectionString && !accountEndpoint) {
    throw new PlatformError(
      'INVALID_CONFIG',
      `Setting '${connection}' (a connection string) or '${connection}__accountEndpoint' is missing; ${usedBy} needs it.`,
      { setting: connection, usedBy },
    );
  }
  const cacheKey = connectionString ?? `identity:${accountEndpoint}`;
  let client = cache.get(cacheKey);
  if (!client) {
    client = cosmosClient(
      connectionString
        ? parseCosmosConnectionString(connectionString, connection)
        : { endpoint: accountEndpoint! },
    );
    cache.set(cacheKey, client);
  }
  return client;
}
