// The registry's Cosmos DB client from app settings. In Azure: COSMOS_ENDPOINT and the app's
// managed identity (no keys in settings). Locally: COSMOS_CONNECTION_STRING with the
// emulator's published key. Only a loopback emulator is allowed to skip TLS verification
// (its certificate is self-signed and expired); any other endpoint is verified as usual.
import { Agent } from 'node:https';
import { CosmosClient, type Container } from '@azure/cosmos';
import { defaultCredential } from '../azure-credential.js';
import { PlatformError } from '../errors.js';
import { partitionKeyPath, registryContainerId, registryIndexingPolicy } from './cosmos-documents.js';

export interface CosmosSettings {
  readonly endpoint: string;
  /** Present only for the emulator's connection string. */
  readonly key?: string;
  readonly database: string;
}

type Settings = Record<string, string | undefined>;

/** Endpoint and key of a Cosmos DB connection string (`AccountEndpoint=...;AccountKey=...`). */
export function parseCosmosConnectionString(
  value: string,
  setting = 'COSMOS_CONNECTION_STRING',
): { endpoint: string; key: string } {
  const parts = new Map(
    value
      .split(';')
      .filter((part) => part.includes('='))
      .map((part) => [
        part.slice(0, part.indexOf('=')).trim().toLowerCase(),
        part.slice(part.indexOf('=') + 1).trim(),
      ]),
  );
  const endpoint = parts.get('accountendpoint');
  const key = parts.get('accountkey');
  if (!endpoint || !key) {
    throw new PlatformError('INVALID_CONFIG', `${setting} needs AccountEndpoint=...;AccountKey=...`, {
      setting,
    });
  }
  return { endpoint, key };
}

export function cosmosSettings(settings: Settings = process.env): CosmosSettings {
  const database = settings.COSMOS_DATABASE || 'mlops';
  if (settings.COSMOS_ENDPOINT) return { endpoint: settings.COSMOS_ENDPOINT, database };
  if (settings.COSMOS_CONNECTION_STRING)
    return { ...parseCosmosConnectionString(settings.COSMOS_CONNECTION_STRING), database };
  throw new PlatformError(
    'INVALID_CONFIG',
    'Set COSMOS_ENDPOINT (Azure, managed identity) or COSMOS_CONNECTION_STRING (local emulator).',
    {
      setting: 'COSMOS_ENDPOINT',
    },
  );
}

export function isLoopback(endpoint: string): boolean {
  const host = new URL(endpoint).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]' || host === '::1';
}

export function cosmosClient(settings: Pick<CosmosSettings, 'endpoint' | 'key'>): CosmosClient {
  if (settings.key === undefined)
    return new CosmosClient({ endpoint: settings.endpoint, aadCredentials: defaultCredential });
  return new CosmosClient({
    endpoint: settings.endpoint,
    key: settings.key,
    ...(isLoopback(settings.endpoint)
      ? { agent: new Agent({ keepAlive: true, rejectUnauthorized: false }) }
      : {}),
  });
}

/**
 * The registry's container (every document partitioned by model), with its database, created
 * when missing. The registry and the stores that share its partitions open it here.
 */
export async function registryContainer(client: CosmosClient, databaseId: string): Promise<Container> {
  const { database } = await client.databases.createIfNotExists({ id: databaseId });
  const { container } = await database.containers.createIfNotExists({
    id: registryContainerId,
    partitionKey: { paths: [partitionKeyPath] },
    indexingPolicy: registryIndexingPolicy,
  });
  return container;
}
