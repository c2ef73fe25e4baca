// What the scoring benchmarks stand on: Azurite and the Cosmos DB emulator, a 500-tree GBDT
// over 20 features trained here, exported and registered as version 1 of `bench` (champion),
// and an app folder that runs the built product's serving functions under the host.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { BlobServiceClient } from '@azure/storage-blob';
import { startAzurite, type Azurite } from '../../local/emulators/azurite.js';
import { startCosmosEmulator, type CosmosEmulator } from '../../local/emulators/cosmos.js';
import { artifactContainer } from '../../shared/artifacts/artifact-paths.js';
import { BlobArtifactStore } from '../../shared/artifacts/blob-artifact-store.js';
import { exportGbdt } from '../../shared/ml/export-gbdt.js';
import { cosmosClient, cosmosSettings } from '../../shared/registry/cosmos-connection.js';
import { CosmosRegistryStore } from '../../shared/registry/cosmos-registry-store.js';
import { featureName, generateMatrix, trainOnMatrix } from '../python/synthetic-matrix.js';
import { register } from './register-model.js';

export const benchModel = 'bench';
const columns = 20;

export interface ModelStack {
  readonly appDir: string;
  readonly bytes: Uint8Array;
  readonly azurite: Azurite;
  readonly settings: Record<string, string>;
  /** A request body of `rows` rows of the model's features. */
  body(rows: number): string;
  stop(): Promise<void>;
}

export async function startModelStack(progress: (message: string) => void): Promise<ModelStack> {
  progress('starting Azurite and the Cosmos DB emulator');
  let cosmos: CosmosEmulator | undefined;
  const azurite = await startAzurite({ location: await mkdtemp(join(tmpdir(), 'bench-azurite-')) });
  try {
    cosmos = await startCosmosEmulator();
    const settings = {
      FUNCTIONS_WORKER_RUNTIME: 'node',
      AzureWebJobsStorage: azurite.connectionString,
      COSMOS_CONNECTION_STRING: cosmos.connectionString,
      COSMOS_DATABASE: 'bench-serving',
      FUNCTIONS_FUNCTION_KEY: 'bench-key',
      HOST_LOG_LEVEL: 'warn',
    };
    progress('training a 500-tree, 31-leaf GBDT on 5,000 x 20 rows');
    const { model } = trainOnMatrix(generateMatrix(5_000, columns, 3), { maxRounds: 500, maxLeaves: 31 });
    const bytes = exportGbdt(model, 'bench');
    const client = cosmosClient(cosmosSettings(settings));
    const registry = await CosmosRegistryStore.open(client, settings.COSMOS_DATABASE);
    const blobs = BlobServiceClient.fromConnectionString(azurite.connectionString);
    const artifacts = await BlobArtifactStore.open(blobs, artifactContainer);
    const version = await register(registry, artifacts, benchModel, 'bench-run-1', bytes);
    await registry.promote(benchModel, 'champion', version, { actor: 'bench' });
    client.dispose();
    const appDir = await mkdtemp(join(tmpdir(), 'bench-serving-app-'));
    // The serving capabilities of the built product as it ships (bundled: build/bundle.ts).
    const entry = ['scoring', 'inference-v2']
      .map((name) => `import '${new URL(`../../bundle/${name}.js`, import.meta.url).href}';\n`)
      .join('');
    await writeFile(join(appDir, 'index.mjs'), entry);
    await writeFile(
      join(appDir, 'package.json'),
      JSON.stringify({ name: 'bench-serving', type: 'module', main: 'index.mjs' }),
    );
    await writeFile(join(appDir, 'host.json'), JSON.stringify({ version: '2.0' }));
    await writeFile(
      join(appDir, 'local.settings.json'),
      JSON.stringify({ IsEncrypted: false, Values: settings }),
    );
    const matrix = generateMatrix(100, columns, 4);
    const row = (r: number) =>
      Object.fromEntries(
        Array.from({ length: columns }, (_, j) => [featureName(j), matrix.values[j * 100 + r]]),
      );
    const started = cosmos;
    return {
      appDir,
      bytes,
      azurite,
      settings,
      body: (rows) => JSON.stringify({ rows: Array.from({ length: rows }, (_, r) => row(r % 100)) }),
      async stop() {
        await Promise.all([started.stop(), azurite.stop()]);
      },
    };
  } catch (error) {
    await Promise.all([cosmos?.stop(), azurite.stop()]);
    throw error;
  }
}

export interface Server {
  readonly url: string;
  readonly process: ChildProcess;
  /** Milliseconds from spawn to its "listening" line. */
  readonly readyMs: number;
  stop(): Promise<void>;
}

/** Spawns a node program that prints `Host listening on URL` when ready. */
export async function serve(args: string[], env: Record<string, string> = {}): Promise<Server> {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /Host listening on (\S+)/.exec(line);
      if (match?.[1]) resolve(match[1]);
    });
  });
  return {
    url,
    process: child,
    readyMs: performance.now() - started,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

export const hostCli = fileURLToPath(new URL('../../bundle/host-cli.js', import.meta.url));
