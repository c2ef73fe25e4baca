// The product app under the local host with real emulators, for serving tests: Cosmos DB for
// the registry, Azurite for artifacts, capture and the host's own state. Tests register models
// through the same stores the pipeline uses, then call the app over HTTP with the function key.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CosmosClient } from '@azure/cosmos';
import { BlobServiceClient } from '@azure/storage-blob';
import type { Azurite } from '../../local/emulators/azurite.js';
import { startCosmosEmulator, type CosmosEmulator } from '../../local/emulators/cosmos.js';
import { BlobArtifactStore } from '../../shared/artifacts/blob-artifact-store.js';
import { artifactContainer } from '../../shared/artifacts/artifact-paths.js';
import { cosmosClient, cosmosSettings } from '../../shared/registry/cosmos-connection.js';
import { CosmosRegistryStore } from '../../shared/registry/cosmos-registry-store.js';
import { bootHost, bundledCli, type HostProcess } from './host.js';
import { startTestAzurite } from './storage.js';

export interface ServingApp {
  /** The product's capabilities (functions/ file names) the app imports. */
  readonly capabilities?: readonly string[];
  /** The build's bundle of them and its bundled host (dist/bundle/), instead of the sources. */
  readonly bundled?: boolean;
}

export const servingKey = 'serving-e2e-key';

export interface ServingStack {
  readonly host: HostProcess;
  readonly registry: CosmosRegistryStore;
  readonly artifacts: BlobArtifactStore;
  readonly blobs: BlobServiceClient;
  /** Calls the app with the function key; `path` starts after `/api`. */
  call(path: string, init?: RequestInit & { headers?: Record<string, string> }): Promise<Response>;
  stop(): Promise<void>;
}

// The product's serving and registry functions (functions/health.ts reads package.json from dist/).
export async function startServingStack(
  settings: Record<string, string> = {},
  { capabilities = ['scoring', 'inference-v2', 'registry'], bundled = false }: ServingApp = {},
): Promise<ServingStack> {
  const imports = capabilities.map(
    (name) =>
      new URL(bundled ? `../../dist/bundle/${name}.js` : `../../functions/${name}.ts`, import.meta.url).href,
  );
  let cosmos: CosmosEmulator | undefined;
  let azurite: Azurite | undefined;
  let client: CosmosClient | undefined;
  try {
    [cosmos, azurite] = await Promise.all([startCosmosEmulator(), startTestAzurite()]);
    const values = {
      COSMOS_CONNECTION_STRING: cosmos.connectionString,
      COSMOS_DATABASE: 'serving-e2e',
      AzureWebJobsStorage: azurite.connectionString,
      FUNCTIONS_FUNCTION_KEY: servingKey,
      FUNCTIONS_MASTER_KEY: 'serving-e2e-master',
      ...settings,
    };
    client = cosmosClient(cosmosSettings(values));
    const registry = await CosmosRegistryStore.open(client, 'serving-e2e');
    const blobs = BlobServiceClient.fromConnectionString(azurite.connectionString);
    const artifacts = await BlobArtifactStore.open(blobs, artifactContainer);
    const dir = await mkdtemp(join(tmpdir(), 'serving-app-'));
    await writeFile(join(dir, 'index.mjs'), imports.map((url) => `import '${url}';\n`).join(''));
    await writeFile(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'serving-e2e', type: 'module', main: 'index.mjs' }),
    );
    await writeFile(join(dir, 'host.json'), JSON.stringify({ version: '2.0' }));
    await writeFile(
      join(dir, 'local.settings.json'),
      JSON.stringify({ IsEncrypted: false, Values: { FUNCTIONS_WORKER_RUNTIME: 'node', ...values } }),
    );
    const host = await bootHost(dir, {}, bundled ? bundledCli : undefined);
    const [startedCosmos, startedAzurite, openedClient] = [cosmos, azurite, client];
    return {
      host,
      registry,
      artifacts,
      blobs,
      call: (path, init = {}) =>
        fetch(`${host.url}/api${path}`, {
          ...init,
          headers: { 'x-functions-key': servingKey, 'content-type': 'application/json', ...init.headers },
        }),
      async stop() {
        await host.stop();
        openedClient.dispose();
        await Promise.all([startedCosmos.stop(), startedAzurite.stop()]);
      },
    };
  } catch (error) {
    client?.dispose();
    await Promise.all([cosmos?.stop(), azurite?.stop()]);
    throw error;
  }
}
