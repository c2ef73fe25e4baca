// The web console in a real browser against the real host, registry, training pool and emulators:
// sign in by `?code=`, see the served model, promote and roll back (and be told, not overwritten,
// when the page is stale), open lineage, approve a real training run that awaits approval, open
// drift and batch. Screenshots land in test-results/screenshots/.
import { fileURLToPath } from 'node:url';
import type { CosmosClient } from '@azure/cosmos';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import { churnCsv } from '../../local/demo/churn-data.js';
import { startCosmosEmulator, type CosmosEmulator } from '../../local/emulators/cosmos.js';
import { startTrainingPool, type TrainingPool } from '../../local/emulators/training-pool.js';
import type { Azurite } from '../../local/emulators/azurite.js';
import { cosmosClient, cosmosSettings } from '../../shared/registry/cosmos-connection.js';
import { CosmosRegistryStore } from '../../shared/registry/cosmos-registry-store.js';
import { launchBrowser, screenshot } from '../support/browser.js';
import { bootHost, eventually, type HostProcess } from '../support/host.js';
import { startTestAzurite } from '../support/storage.js';
import { newVersion } from '../support/registry/fixtures.js';

const key = 'console-e2e-key';
const model = 'churn';
/** A model trained for real by the pipeline, whose spec asks for approval. */
const approved = 'approved-churn';
const root = new URL('../../', import.meta.url);

let cosmos: CosmosEmulator;
let azurite: Azurite;
let pool: TrainingPool;
let client: CosmosClient;
let store: CosmosRegistryStore;
let host: HostProcess;
let browser: Browser;
let page: Page;

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${host.url}/api/${path}`, {
    ...init,
    headers: { 'x-functions-key': key, 'content-type': 'application/json' },
  });
  const body = (await response.json()) as T;
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${JSON.stringify(body)}`);
  return body;
}

const champion = async (name = model) =>
  (await call<{ version: number }>(`registry/models/${name}/aliases/champion`)).version;

beforeAll(async () => {
  [cosmos, azurite] = await Promise.all([startCosmosEmulator(), startTestAzurite()]);
  pool = await startTrainingPool({
    root: await mkdtemp(join(tmpdir(), 'console-pool-')),
    slots: 1,
    env: { ...process.env, AzureWebJobsStorage: azurite.connectionString },
  });
  const settings = { COSMOS_CONNECTION_STRING: cosmos.connectionString, COSMOS_DATABASE: 'console-e2e' };
  client = cosmosClient(cosmosSettings(settings));
  store = await CosmosRegistryStore.open(client, 'console-e2e');
  const metrics = [
    { auc: 0.81, accuracy: 0.77 },
    { auc: 0.86, accuracy: 0.8 },
    { auc: 0.79, accuracy: 0.74 },
  ];
  for (const [index, values] of metrics.entries()) {
    await store.registerVersion(
      newVersion(model, `train-${model}-${index + 1}`, {
        metrics: values,
        ...(index > 0 ? { parent: index } : {}),
      }),
    );
  }
  await store.promote(model, 'champion', 1, { actor: 'pipeline' });
  await store.promote(model, 'champion', 2, { actor: 'pipeline' });
  await store.promote(model, 'challenger', 3, { actor: 'pipeline' });
  await store.recordLineage(model, [
    {
      from: { kind: 'version', model, version: 2 },
      to: { kind: 'output', uri: `scoring-output/${model}/batch-1/part-0.csv` },
      kind: 'scored',
    },
  ]);
  // The product app as built by `npm run build` (which `npm test` runs first); the environment
  // overrides local.settings.json, as in Azure.
  [host, browser] = await Promise.all([
    bootHost(fileURLToPath(root), {
      ...settings,
      AzureWebJobsStorage: azurite.connectionString,
      FUNCTIONS_FUNCTION_KEY: key,
      FUNCTIONS_MASTER_KEY: 'console-e2e-master',
      TRAINING_POOL_URL: pool.url,
      TRAINING_POLL_SECONDS: '1',
    }),
    launchBrowser(),
  ]);
  // Training runs while the other tests look at the seeded model.
  await call(`registry/models/${approved}`, {
    method: 'PUT',
    body: JSON.stringify({ task: 'binary', deployment: { requireApproval: true } }),
  });
  const blobs = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(
    'datasets',
  );
  await blobs.createIfNotExists();
  const csv = churnCsv(600, 3);
  await blobs.getBlockBlobClient(`${approved}/customers.csv`).upload(csv, Buffer.byteLength(csv));
  page = await browser.newPage({ viewport: { width: 1366, height: 800 } });
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  client?.dispose();
  await Promise.all([pool?.stop(), cosmos?.stop(), azurite?.stop()]);
});

describe('web console', () => {
  it('asks for a key, and refuses a wrong one', async () => {
    await page.goto(`${host.url}/api/console`);
    await page.getByLabel('Function key').fill('not-the-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('refused');
  });

  it('opens signed in with ?code= and lists the model with what serves it', async () => {
    await page.goto(`${host.url}/api/console?code=${key}`);
    const row = page.getByRole('row', { name: new RegExp(`^${model} `) });
    await row.getByText('champion v2').waitFor();
    await expect.poll(() => row.textContent()).toContain('challenger v3');
    // The key is kept for the session, not left in the address bar.
    expect(page.url()).not.toContain('code=');
    await screenshot(page, 'models');
  });

  it('shows versions side by side, sortable, and promotes and rolls back with one click', async () => {
    await page.getByRole('link', { name: model, exact: true }).click();
    const versions = page.getByRole('table', { name: 'Versions' });
    await versions.getByRole('row').nth(3).waitFor();
    await versions.getByRole('button', { name: 'auc' }).click();
    await expect.poll(() => versions.getByRole('row').nth(1).textContent()).toMatch(/^v2/);

    await versions
      .getByRole('row', { name: /^v3/ })
      .getByRole('button', { name: 'Promote to champion' })
      .click();
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toContain('champion now serves v3 (was v2)');
    expect(await champion()).toBe(3);

    const card = page.locator('[data-alias="champion"]');
    await card.getByRole('button', { name: 'Roll back to v2' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('champion rolled back to v2');
    expect(await champion()).toBe(2);
    await card.getByRole('button', { name: 'History' }).click();
    await card.getByText('rollback').waitFor();
    await screenshot(page, 'model');
  });

  it('tells a stale page so and changes nothing', async () => {
    await store.promote(model, 'champion', 1, { actor: 'someone-else' });
    const versions = page.getByRole('table', { name: 'Versions' });
    await versions
      .getByRole('row', { name: /^v3/ })
      .getByRole('button', { name: 'Promote to champion' })
      .click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('changed since this page was loaded');
    expect(await champion()).toBe(1);
    await page.getByRole('button', { name: 'Reload' }).click();
    await page.locator('[data-alias="champion"]').getByText('v1', { exact: true }).waitFor();
  });

  it('fits a small laptop screen: wide tables scroll inside the page, the page itself does not', async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    try {
      // A string, as this file is compiled without the DOM's types.
      const overflow = await page.evaluate<number>(
        'document.documentElement.scrollWidth - window.innerWidth',
      );
      expect(overflow).toBeLessThanOrEqual(0);
      await screenshot(page, 'model-1024');
    } finally {
      await page.setViewportSize({ width: 1366, height: 800 });
    }
  });

  it('draws the lineage from data set to run, version, alias and batch output', async () => {
    await page.getByRole('link', { name: 'Lineage' }).click();
    const graph = page.getByRole('img', { name: `Lineage of ${model}` });
    await graph.waitFor();
    for (const id of [
      `version:${model}/3`,
      `alias:${model}/champion`,
      `run:train-${model}-2`,
      `output:scoring-output/${model}/batch-1/part-0.csv`,
    ]) {
      expect(await graph.locator(`[data-node="${id}"]`).count()).toBe(1);
    }
    expect(await graph.locator('[data-node^="dataset:"]').count()).toBe(1);
    await screenshot(page, 'lineage');
  });

  it('shows a run awaiting approval with its timeline and gate, and approves it', async () => {
    const run = await eventually(
      async () => {
        const runs = await call<{ runs: { runId: string; status: string }[] }>(`runs?model=${approved}`);
        if (runs.runs[0]?.status === 'failed')
          throw new Error(`The run failed: ${JSON.stringify(runs.runs[0])}`);
        return runs.runs[0]?.status === 'awaiting-approval' ? runs.runs[0] : undefined;
      },
      180_000,
      'the training run to await approval',
    );
    await page.goto(`${host.url}/api/console#/models/${approved}/runs`);
    await page.getByRole('link', { name: run.runId }).click();
    const steps = page.getByRole('list', { name: 'Steps' });
    await steps.getByText('train').first().waitFor();
    await page.getByRole('heading', { name: 'Awaiting approval' }).waitFor();
    await screenshot(page, 'run');
    await page.getByLabel('Your name').fill('reviewer@example.com');
    await page.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Approved');
    // The page follows the run to its end, and the approved version serves.
    await page.getByRole('heading', { level: 1, name: /succeeded/ }).waitFor({ timeout: 60_000 });
    expect(await champion(approved)).toBe(1);
  }, 240_000);

  it('opens the drift and batch pages', async () => {
    await page.getByRole('link', { name: 'Drift' }).click();
    await page.getByRole('heading', { name: /Drift/ }).waitFor();
    await page.getByRole('link', { name: 'Batch' }).click();
    await page.getByRole('heading', { name: 'Batch scoring' }).waitFor();
  });
});
