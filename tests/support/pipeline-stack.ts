// The product app under the local host with everything journey 1 needs, on free ports: Azurite,
// the Cosmos DB emulator, the training pool service, and helpers to drop files and read runs
// through the API the way a user would.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll } from 'vitest';
import type { Azurite } from '../../local/emulators/azurite.js';
import { startCosmosEmulator, type CosmosEmulator } from '../../local/emulators/cosmos.js';
import { startTrainingPool, type TrainingPool } from '../../local/emulators/training-pool.js';
import { startServiceBusEmulator, type RunningEmulator } from '../../local/servicebus/emulator.js';
import { csvLines } from '../../shared/data/csv-format.js';
import type { Table } from '../../shared/data/table.js';
import { writeAppFolder } from './app-folder.js';
import { bootHost, eventually, type HostProcess } from './host.js';
import { startTestAzurite } from './storage.js';

const entry = fileURLToPath(new URL('../../functions/index.ts', import.meta.url));
const busConfig = fileURLToPath(new URL('../../local/servicebus/config.json', import.meta.url));

export interface RunBody {
  runId: string;
  model: string;
  status: string;
  steps: { name: string; status: string; detail?: string }[];
  version?: number;
  alias?: string;
  metrics?: Record<string, number | null>;
  champion?: { version: number; metrics: Record<string, number | null> } | null;
  report?: Record<string, unknown>;
  error?: { code: string; message: string; [key: string]: unknown };
  dataset?: { uri: string; sha256: string; rows?: number };
  task?: { task: string; target: string; inferred: boolean };
  reason?: string;
}

export interface PipelineStack {
  host: HostProcess;
  blobs: BlobServiceClient;
  /** The Service Bus emulator the app's drift alerts go through. */
  serviceBus: string;
  appDir: string;
  key: string;
  api(path: string, init?: RequestInit): Promise<Response>;
  json<T>(path: string, init?: RequestInit): Promise<T>;
  drop(model: string, name: string, body: string | Buffer): Promise<void>;
  /** Waits until the model has `count` runs that all reached a terminal state. */
  settledRuns(model: string, count: number, timeoutMs?: number): Promise<RunBody[]>;
  /** Kills the host (SIGKILL) and boots it again, with `env` added to its environment. */
  restartHost(env?: NodeJS.ProcessEnv): Promise<void>;
  stop(): Promise<void>;
}

export const terminal = new Set(['succeeded', 'rejected', 'failed']);

export function csvText(table: Table): string {
  return [...csvLines(table)].join('');
}

export async function startPipelineStack(settings: Record<string, string> = {}): Promise<PipelineStack> {
  const key = 'pipeline-e2e-key';
  const busDir = await mkdtemp(join(tmpdir(), 'pipeline-bus-'));
  const [azurite, cosmos, bus]: [Azurite, CosmosEmulator, RunningEmulator] = await Promise.all([
    startTestAzurite(),
    startCosmosEmulator(),
    startServiceBusEmulator({ port: 0, config: busConfig, dataDir: busDir }),
  ]);
  const pool: TrainingPool = await startTrainingPool({
    root: await mkdtemp(join(tmpdir(), 'pool-')),
    slots: 2,
    env: { ...process.env, AzureWebJobsStorage: azurite.connectionString },
  });
  const appDir = await writeAppFolder('pipeline-e2e', entry, {
    AzureWebJobsStorage: azurite.connectionString,
    COSMOS_CONNECTION_STRING: cosmos.connectionString,
    COSMOS_DATABASE: 'pipeline-e2e',
    FUNCTIONS_FUNCTION_KEY: key,
    FUNCTIONS_MASTER_KEY: 'pipeline-e2e-master',
    TRAINING_POOL_URL: pool.url,
    TRAINING_POLL_SECONDS: '1',
    SERVICEBUS_CONNECTION: bus.connectionString,
    ...settings,
  });
  const blobs = BlobServiceClient.fromConnectionString(azurite.connectionString);
  await blobs.getContainerClient('datasets').createIfNotExists();
  let host = await bootHost(appDir);

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${host.url}/api/${path}`, {
      ...init,
      headers: { 'x-functions-key': key, 'content-type': 'application/json', ...init.headers },
    });
  const json = async <T>(path: string, init?: RequestInit): Promise<T> => {
    const response = await api(path, init);
    const body = (await response.json()) as T;
    if (!response.ok) throw new Error(`${path} answered ${response.status}: ${JSON.stringify(body)}`);
    return body;
  };
  return {
    get host() {
      return host;
    },
    blobs,
    serviceBus: bus.connectionString,
    appDir,
    key,
    api,
    json,
    async drop(model, name, body) {
      const bytes = Buffer.from(body);
      await blobs
        .getContainerClient('datasets')
        .getBlockBlobClient(`${model}/${name}`)
        .upload(bytes, bytes.length);
    },
    settledRuns(model, count, timeoutMs = 120_000) {
      return eventually(
        async () => {
          const response = await api(`runs?model=${model}`);
          if (!response.ok) return undefined;
          const { runs } = (await response.json()) as { runs: RunBody[] };
          return runs.length === count && runs.every((r) => terminal.has(r.status)) ? runs : undefined;
        },
        timeoutMs,
        `${count} finished run(s) of ${model}`,
      );
    },
    async restartHost(env = {}) {
      await host.kill();
      host = await bootHost(appDir, env);
    },
    async stop() {
      await host?.stop();
      await Promise.allSettled([pool.stop(), cosmos.stop(), azurite.stop(), bus.stop()]);
      await rm(busDir, { recursive: true, force: true });
    },
  };
}

/** One stack for a test file: started before its tests, stopped after them. */
export function usePipelineStack(settings: Record<string, string> = {}): () => PipelineStack {
  let stack: PipelineStack | undefined;
  beforeAll(async () => {
    stack = await startPipelineStack(settings);
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });
  return () => stack!;
}
