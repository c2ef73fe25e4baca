// The registry routes over real HTTP through the local host, backed by the Cosmos DB emulator:
// keys, JSON errors for bad bodies and unknown models, If-Match and 412, rollback, lineage.
// The app folder is generated here: its entry point is this project's functions/registry.ts.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CosmosClient } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCosmosEmulator, type CosmosEmulator } from '../../local/emulators/cosmos.js';
import { cosmosClient, cosmosSettings } from '../../shared/registry/cosmos-connection.js';
import { CosmosRegistryStore } from '../../shared/registry/cosmos-registry-store.js';
import type { Azurite } from '../../local/emulators/azurite.js';
import { bootHost, type HostProcess } from '../support/host.js';
import { startTestAzurite } from '../support/storage.js';
import { newVersion } from '../support/registry/fixtures.js';

const key = 'registry-e2e-key';
const entry = fileURLToPath(new URL('../../functions/registry.ts', import.meta.url));

let cosmos: CosmosEmulator;
let azurite: Azurite;
let client: CosmosClient;
let host: HostProcess;

async function writeApp(settings: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'registry-app-'));
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'registry-e2e', private: true, type: 'module', main: entry }),
  );
  await writeFile(
    join(dir, 'host.json'),
    JSON.stringify({ version: '2.0', extensions: { http: { routePrefix: 'api' } } }),
  );
  await writeFile(
    join(dir, 'local.settings.json'),
    JSON.stringify({ IsEncrypted: false, Values: { FUNCTIONS_WORKER_RUNTIME: 'node', ...settings } }),
  );
  return dir;
}

async function json<T>(response: Response | Promise<Response>): Promise<T> {
  return (await (await response).json()) as T;
}

function api(path: string, init: RequestInit & { headers?: Record<string, string> } = {}) {
  return fetch(`${host.url}/api/registry/models${path}`, {
    ...init,
    headers: { 'x-functions-key': key, 'content-type': 'application/json', ...init.headers },
  });
}

beforeAll(async () => {
  // The host keeps its own state (task hub, timers) in storage, so it needs Azurite too.
  [cosmos, azurite] = await Promise.all([startCosmosEmulator(), startTestAzurite()]);
  const settings = { COSMOS_CONNECTION_STRING: cosmos.connectionString, COSMOS_DATABASE: 'registry-e2e' };
  client = cosmosClient(cosmosSettings(settings));
  const store = await CosmosRegistryStore.open(client, 'registry-e2e');
  // The pipeline registers versions; the API governs them.
  for (const run of ['run-1', 'run-2', 'run-3']) await store.registerVersion(newVersion('churn', run));
  const appDir = await writeApp({
    ...settings,
    AzureWebJobsStorage: azurite.connectionString,
    FUNCTIONS_FUNCTION_KEY: key,
    FUNCTIONS_MASTER_KEY: 'registry-e2e-master',
  });
  host = await bootHost(appDir);
});

afterAll(async () => {
  await host?.stop();
  client?.dispose();
  await Promise.all([cosmos?.stop(), azurite?.stop()]);
});

describe('registry HTTP API through the local host', () => {
  it('requires a function key', async () => {
    const response = await fetch(`${host.url}/api/registry/models`);
    expect(response.status).toBe(401);
  });

  it('lists models, writes a spec and shows it with its ETag', async () => {
    const created = await api('/fraud', {
      method: 'PUT',
      body: JSON.stringify({ task: 'binary', target: 'is_fraud' }),
    });
    expect(created.status).toBe(201);
    const etag = created.headers.get('etag');
    expect(etag).toBeTruthy();
    const stale = await api('/fraud', {
      method: 'PUT',
      body: JSON.stringify({ task: 'binary' }),
      headers: { 'if-match': '"999"' },
    });
    expect(stale.status).toBe(412);
    expect(await stale.json()).toMatchObject({ code: 'PRECONDITION_FAILED' });

    const list = await json<{ models: { name: string }[] }>(api(''));
    expect(list.models.map((m) => m.name)).toEqual(['churn', 'fraud']);
    const shown = await api('/fraud');
    expect(shown.headers.get('etag')).toBe(etag);
    expect(await shown.json()).toMatchObject({
      name: 'fraud',
      spec: { target: 'is_fraud' },
      latestVersion: null,
    });
  });

  it('answers bad bodies and bad names with 400 naming the field, and unknown models with 404', async () => {
    const badJson = await api('/fraud', { method: 'PUT', body: '{"task": ' });
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({ code: 'INVALID_INPUT', field: '(body)' });
    const badSpec = await api('/fraud', { method: 'PUT', body: JSON.stringify({ task: 'clustering' }) });
    expect(await badSpec.json()).toMatchObject({ code: 'INVALID_INPUT', field: 'task' });
    const badName = await api('/Bad_Name');
    expect(badName.status).toBe(400);
    expect(await badName.json()).toMatchObject({ field: 'model' });
    const badAlias = await api('/churn/aliases/champion', {
      method: 'PUT',
      body: JSON.stringify({ version: 'x' }),
    });
    expect(await badAlias.json()).toMatchObject({ code: 'INVALID_INPUT', field: 'version' });
    for (const path of ['/nobody', '/nobody/versions', '/nobody/lineage', '/churn/versions/99']) {
      const response = await api(path);
      expect(response.status, path).toBe(404);
      expect(await response.json()).toMatchObject({ code: 'NOT_FOUND' });
    }
  });

  it('promotes with If-Match, refuses a stale ETag with 412 leaving the alias as it was, and rolls back', async () => {
    const first = await api('/churn/aliases/champion', {
      method: 'PUT',
      body: JSON.stringify({ version: 1 }),
    });
    expect(first.status).toBe(200);
    const etag1 = first.headers.get('etag') as string;
    const second = await api('/churn/aliases/champion', {
      method: 'PUT',
      body: JSON.stringify({ version: 2 }),
      headers: { 'if-match': etag1 },
    });
    expect(second.status).toBe(200);
    const stale = await api('/churn/aliases/champion', {
      method: 'PUT',
      body: JSON.stringify({ version: 3 }),
      headers: { 'if-match': etag1 },
    });
    expect(stale.status).toBe(412);
    expect(await (await api('/churn/aliases/champion')).json()).toMatchObject({ version: 2 });

    const rollback = await api('/churn/aliases/champion/rollback', {
      method: 'POST',
      headers: { 'if-match': second.headers.get('etag') as string },
    });
    expect(rollback.status).toBe(200);
    const alias = await json<{ history: { kind: string; from: number | null; to: number }[] }>(
      api('/churn/aliases/champion'),
    );
    expect(alias).toMatchObject({ version: 1, previous: 2 });
    expect(alias.history.map((e) => [e.kind, e.from, e.to])).toEqual([
      ['promote', null, 1],
      ['promote', 1, 2],
      ['rollback', 2, 1],
    ]);
  });

  it('lists versions and answers lineage', async () => {
    const versions = await json<{ versions: { version: number }[] }>(api('/churn/versions'));
    expect(versions.versions.map((v) => v.version)).toEqual([3, 2, 1]);
    const one = await (await api('/churn/versions/2')).json();
    expect(one).toMatchObject({ version: 2, runId: 'run-2', artifact: { uri: 'models/churn/2/model.onnx' } });
    const lineage = await json<{ nodes: { id: string }[] }>(
      api('/churn/lineage?version=1&direction=downstream'),
    );
    expect(lineage.nodes.map((n) => n.id)).toContain('alias:churn/champion');
  });
});
