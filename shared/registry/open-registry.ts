// One registry store per process, opened on first use: a cold Functions instance pays for
// creating the client (and, the first time ever, the database) once, not per request.
import { cosmosClient, cosmosSettings } from './cosmos-connection.js';
import { CosmosRegistryStore } from './cosmos-registry-store.js';
import type { RegistryStore } from './registry-store.js';

let opening: Promise<RegistryStore> | undefined;

export function openRegistry(
  settings: Record<string, string | undefined> = process.env,
): Promise<RegistryStore> {
  opening ??= (async () => {
    const resolved = cosmosSettings(settings);
    return CosmosRegistryStore.open(cosmosClient(resolved), resolved.database);
  })().catch((error: unknown) => {
    // A failed open (database still starting, bad setting) must not be cached for the process's life.
    opening = undefined;
    throw error;
  });
  return opening;
}
