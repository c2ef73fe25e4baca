// The product app under the local host for batch scoring tests: Azurite, the Cosmos DB
// emulator, a trained model registered as champion, and helpers to upload inputs and call routes.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BlobServiceClient } from '@azure/storage-blob';
import { parse } from 'csv-parse/sync';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { startCosmosEmulator, type CosmosEmulator } from '../../../local/emulators/cosmos.js';
import type { Azurite } from '../../../local/emulators/azurite.js';
import { csvLines } from '../../../shared/data/csv-format.js';
import type { Column, Table } from '../../../shared/data/table.js';
import type { BatchRunView } from '../../../shared/batch/batch-runs.js';
import { cosmosClient, cosmosSettings } from '../../../shared/registry/cosmos-connection.js';
import { CosmosRegistryStore } from '../../../shared/registry/cosmos-registry-store.js';
import { bootHost, eventually, type HostProcess } from '../../support/host.js';
import { startTestAzurite } from '../../support/storage.js';
import { slice, synthetic } from '../../support/ml/synthetic.js';

export const key = 'batch-e2e-key';
// The batch and registry capabilities of the product app, from sources (health.ts reads the
// package.json beside the built dist/ tree, so functions/index.ts itself runs only when built).
const capabilities = ['batch-scoring', 'registry'].map((name) =>
  fileURLToPath(new URL(`../../../functions/${name}.ts`, import.meta.url)),
);

export interface BatchStack {
  readonly cosmos: CosmosEmulator;
  readonly azurite: Azurite;
  readonly registry: CosmosRegistryStore;
  readonly blobs: BlobServiceClient;
  readonly appDir: string;
  stop(): Promise<void>;
}

export async function startBatchStack(settings: Record<string, string> = {}): Promise<BatchStack> {
  const [cosmos, azurite] = await Promise.all([startCosmosEmulator(), startTestAzurite()]);
  const cosmosValues = { COSMOS_CONNECTION_STRING: cosmos.connectionString, COSMOS_DATABASE: 'batch-e2e' };
  const client = cosmosClient(cosmosSettings(cosmosValues));
  const registry = await CosmosRegistryStore.open(client, 'batch-e2e');
  const appDir = await mkdtemp(join(tmpdir(), 'batch-app-'));
  await writeFile(
    join(appDir, 'index.mjs'),
    capabilities
      .map(
        (path) => `import ${JSON.stringify(path)};
`,
      )
      .join(''),
  );
  await writeFile(
    join(appDir, 'package.json'),
    JSON.stringify({ name: 'batch-e2e', type: 'module', main: 'index.mjs' }),
  );
  await writeFile(
    join(appDir, 'host.json'),
    JSON.stringify({
      version: '2.0',
      extensions: {
        http: { routePrefix: 'api' },
        durableTask: { hubName: 'BatchE2E', maxConcurrentActivityFunctions: 4 },
      },
    }),
  );
  await writeFile(
    join(appDir, 'local.settings.json'),
    JSON.stringify({
      IsEncrypted: false,
      Values: {
        FUNCTIONS_WORKER_RUNTIME: 'node',
        AzureWebJobsStorage: azurite.connectionString,
        ...cosmosValues,
        FUNCTIONS_FUNCTION_KEY: key,
        // Not during a test run unless a test says so.
        BATCH_SCORING_SCHEDULE: '0 0 0 1 1 *',
        ...settings,
      },
    }),
  );
  return {
    cosmos,
    azurite,
    registry,
    blobs: BlobServiceClient.fromConnectionString(azurite.connectionString),
    appDir,
    stop: async () => {
      client.dispose();
      await Promise.all([cosmos.stop(), azurite.stop()]);
    },
  };
}

export function boot(stack: BatchStack): Promise<HostProcess> {
  return bootHost(stack.appDir);
}

export function api(host: HostProcess, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${host.url}/api/batch-scoring/${path}`, {
    ...init,
    headers: { 'x-functions-key': key, 'content-type': 'application/json' },
  });
}

export async function finishedRun(host: HostProcess, model: string, runId: string, timeoutMs = 60_000) {
  return eventually(
    async () => {
      const response = await api(host, `${model}/runs/${encodeURIComponent(runId)}`);
      if (!response.ok) throw new Error(`GET run ${runId}: ${response.status} ${await response.text()}`);
      const view = (await response.json()) as BatchRunView;
      return view.status === 'running' ? undefined : view;
    },
    timeoutMs,
    `batch run ${runId} to finish`,
  );
}

/** Scoring rows like the training data: the model's features plus the label, which is passed through. */
export function scoringTable(rows: number, seed: number): Table {
  return slice(synthetic({ task: 'binary', rows, seed, missing: 0.05, categorical: true }).table, 0, rows);
}

export function csvText(table: Table): string {
  return [...csvLines(table)].join('');
}

export function parquetBytes(table: Table): Uint8Array {
  return new Uint8Array(
    parquetWriteBuffer({
      rowGroupSize: 128,
      columnData: table.names.map((name) => {
        const column = table.columns.get(name) as Column;
        return column.kind === 'numeric'
          ? { name, data: Array.from(column.values, (v) => (Number.isNaN(v) ? null : v)), type: 'DOUBLE' }
          : { name, data: [...column.values], type: 'STRING' };
      }),
    }),
  );
}

export async function upload(stack: BatchStack, path: string, body: string | Uint8Array): Promise<void> {
  const container = stack.blobs.getContainerClient('scoring-input');
  await container.createIfNotExists();
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  await container.getBlockBlobClient(path).uploadData(bytes);
}

export async function download(stack: BatchStack, uri: string): Promise<Buffer> {
  const [container, ...rest] = uri.split('/');
  return stack.blobs.getContainerClient(container!).getBlobClient(rest.join('/')).downloadToBuffer();
}

export function csvRecords(text: Buffer | string): Record<string, string>[] {
  return parse(text, { columns: true }) as Record<string, string>[];
}
