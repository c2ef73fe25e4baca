// Drift monitoring through the local host with Azurite, the Cosmos DB emulator and the Service
// Bus emulator: captured traffic with `age` shifted is checked over HTTP, the verdict names
// `age`, one alert lands on drift-alerts/retrain however often the check runs, batch-scoring
// outputs count as window rows, and the checks are served back.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CosmosClient } from '@azure/cosmos';
import { ServiceBusClient } from '@azure/service-bus';
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Azurite } from '../../local/emulators/azurite.js';
import { startCosmosEmulator, type CosmosEmulator } from '../../local/emulators/cosmos.js';
import { startServiceBusEmulator, type RunningEmulator } from '../../local/servicebus/emulator.js';
import { outputUri } from '../../shared/batch/batch-layout.js';
import { cosmosClient, cosmosSettings } from '../../shared/registry/cosmos-connection.js';
import { CosmosRegistryStore } from '../../shared/registry/cosmos-registry-store.js';
import type { CheckRecord } from '../../shared/monitoring/check-record.js';
import { baselineJson, capturedLines, rows } from '../support/drift/traffic.js';
import { writeAppFolder } from '../support/app-folder.js';
import { bootHost, type HostProcess } from '../support/host.js';
import { startTestAzurite } from '../support/storage.js';
import { newVersion } from '../support/registry/fixtures.js';

const key = 'monitoring-e2e-key';
const model = 'churn';
const entry = fileURLToPath(new URL('../../functions/monitoring.ts', import.meta.url));
const busConfig = fileURLToPath(new URL('../../local/servicebus/config.json', import.meta.url));

let cosmos: CosmosEmulator;
let azurite: Azurite;
let bus: RunningEmulator;
let busDir: string;
let client: CosmosClient;
let blobs: BlobServiceClient;
let host: HostProcess;

async function upload(container: string, path: string, text: string): Promise<void> {
  const client = blobs.getContainerClient(container);
  await client.createIfNotExists();
  await client.getBlockBlobClient(path).upload(text, Buffer.byteLength(text));
}

function check(model: string, body?: object): Promise<Response> {
  return fetch(`${host.url}/api/monitoring/${model}/check`, {
    method: 'POST',
    headers: { 'x-functions-key': key, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
}

const shiftedWindow = { from: '2026-01-01T00:00:00.000Z', to: '2026-01-01T02:00:00.000Z' };

beforeAll(async () => {
  busDir = await mkdtemp(join(tmpdir(), 'monitoring-bus-'));
  [cosmos, azurite, bus] = await Promise.all([
    startCosmosEmulator(),
    startTestAzurite(),
    startServiceBusEmulator({ port: 0, config: busConfig, dataDir: busDir }),
  ]);
  const settings = { COSMOS_CONNECTION_STRING: cosmos.connectionString, COSMOS_DATABASE: 'monitoring-e2e' };
  client = cosmosClient(cosmosSettings(settings));
  const registry = await CosmosRegistryStore.open(client, 'monitoring-e2e');
  await registry.registerVersion(newVersion(model, 'run-1'));
  await registry.promote(model, 'champion', 1, { actor: 'test' });
  blobs = BlobServiceClient.fromConnectionString(azurite.connectionString);
  await upload('models', `${model}/1/profile.json`, baselineJson());
  // Two hours of traffic, `age` shifted by 0.5 standard deviations, plus rows of another version.
  const shifted = rows(1200, 11, 0.5);
  await upload(
    'inference-logs',
    `${model}/2026-01-01/00/a.jsonl`,
    capturedLines(model, 1, shifted.slice(0, 600), new Date('2026-01-01T00:00:00Z')),
  );
  await upload(
    'inference-logs',
    `${model}/2026-01-01/01/b.jsonl`,
    capturedLines(model, 1, shifted.slice(600), new Date('2026-01-01T01:00:00Z')),
  );
  await upload(
    'inference-logs',
    `${model}/2026-01-01/01/c.jsonl`,
    capturedLines(model, 2, rows(300, 12, 3), new Date('2026-01-01T01:00:00Z')),
  );

  const appDir = await writeAppFolder('monitoring-e2e', entry, {
    ...settings,
    AzureWebJobsStorage: azurite.connectionString,
    SERVICEBUS_CONNECTION: bus.connectionString,
    FUNCTIONS_FUNCTION_KEY: key,
    FUNCTIONS_MASTER_KEY: 'monitoring-e2e-master',
  });
  // The schedule stays out of the way (once a year); checks are started over HTTP.
  host = await bootHost(appDir, { DRIFT_CHECK_SCHEDULE: '0 0 0 1 1 *' });
}, 120_000);

afterAll(async () => {
  await host?.stop();
  client?.dispose();
  await Promise.all([cosmos?.stop(), azurite?.stop(), bus?.stop()]);
  if (busDir) await rm(busDir, { recursive: true, force: true });
});

describe('drift monitoring through the host', () => {
  it('finds the shifted feature, names it, and alerts once however often the check runs', async () => {
    const first = await check(model, shiftedWindow);
    expect(first.status).toBe(200);
    const result = (await first.json()) as CheckRecord;
    expect(result).toMatchObject({
      model,
      version: 1,
      window: { ...shiftedWindow, rows: 1200, requests: 1200, batch: 0 },
      status: 'drift',
      drifted: true,
      // The prediction follows age, so it drifted too.
      alert: { messageId: `${model}-1-${shiftedWindow.to}`, features: ['age', 'prediction'] },
    });
    const age = result.features.find((f) => f.name === 'age');
    expect(age).toMatchObject({ metric: 'wasserstein', threshold: 0.1, drifted: true });
    expect(age?.metrics.map((m) => m.metric)).toEqual(['wasserstein', 'ks', 'psi']);
    expect(result.features.find((f) => f.name === 'plan')).toMatchObject({
      metric: 'chi-square',
      drifted: false,
    });
    expect(result.prediction).toMatchObject({ name: 'prediction', metric: 'chi-square', drifted: true });

    const again = (await (await check(model, shiftedWindow)).json()) as CheckRecord;
    expect(again.alert?.messageId).toBe(result.alert?.messageId);

    const sb = new ServiceBusClient(bus.connectionString);
    const receiver = sb.createReceiver('drift-alerts', 'retrain');
    const messages = await receiver.receiveMessages(10, { maxWaitTimeInMs: 2000 });
    expect(messages.map((m) => m.messageId)).toEqual([`${model}-1-${shiftedWindow.to}`]);
    expect(messages[0]?.body).toMatchObject({
      model,
      version: 1,
      metric: 'wasserstein',
      features: ['age', 'prediction'],
      windowEnd: shiftedWindow.to,
    });
    await receiver.completeMessage(messages[0]!);
    await sb.close();
  });

  it('counts batch-scored outputs of the version in the window, and says when rows are too few', async () => {
    const scored = rows(300, 21)
      .map((r) => `${r.age},${r.plan},${r.prediction}`)
      .join('\n');
    await upload('scoring-output', `${model}/batch-1/part-0.csv`, `age,plan,prediction\n${scored}\n`);
    await upload(
      'scoring-output',
      `${model}/batch-1/_manifest.json`,
      JSON.stringify({
        runId: 'batch-1',
        model,
        version: 1,
        partition: 'p',
        status: 'succeeded',
        files: [{ input: 'p/part-0.csv', output: outputUri(model, 'batch-1', 'part-0.csv'), rows: 300 }],
      }),
    );
    const now = Date.now();
    const window = {
      from: new Date(now - 3_600_000).toISOString(),
      to: new Date(now + 3_600_000).toISOString(),
    };
    const result = (await (await check(model, window)).json()) as CheckRecord;
    expect(result).toMatchObject({
      window: { rows: 300, requests: 0, batch: 300 },
      status: 'no-drift',
      drifted: false,
      alert: null,
    });

    const empty = (await (await check(model)).json()) as CheckRecord;
    expect(empty).toMatchObject({
      status: 'insufficient-data',
      drifted: false,
      alert: null,
      window: { rows: 0 },
    });
    expect(empty.reason).toContain('minRows');
  });

  it('serves the latest checks, newest window first', async () => {
    const response = await fetch(`${host.url}/api/monitoring/${model}`, {
      headers: { 'x-functions-key': key },
    });
    const body = (await response.json()) as { model: string; checks: CheckRecord[] };
    expect(body.model).toBe(model);
    expect(body.checks).toHaveLength(3);
    expect(body.checks.at(-1)?.window.to).toBe(shiftedWindow.to);
  });

  it('answers bad input with a 4xx JSON error', async () => {
    const unknown = await check('nobody');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'NOT_FOUND' });
    const backwards = await check(model, { from: shiftedWindow.to, to: shiftedWindow.from });
    expect(backwards.status).toBe(400);
    expect(await backwards.json()).toMatchObject({ code: 'INVALID_INPUT', field: 'from' });
    const notJson = await fetch(`${host.url}/api/monitoring/${model}/check`, {
      method: 'POST',
      headers: { 'x-functions-key': key },
      body: '{nope',
    });
    expect(notJson.status).toBe(400);
    expect((await fetch(`${host.url}/api/monitoring/${model}`)).status).toBe(401);
  });
});
