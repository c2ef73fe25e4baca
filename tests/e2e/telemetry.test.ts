// The app's telemetry wiring (functions/telemetry.ts, imported first as functions/index.ts does,
// here by tests/fixtures/telemetry-app) under the local host with the connection setting: an
// invocation's traced() span and its context.log lines (through the Functions instrumentation's
// log hook) reach the ingestion endpoint as one operation.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Azurite } from '../../local/emulators/azurite.js';
import { startFakeIngestion, testTelemetryEnv, type FakeIngestion } from '../support/fake-ingestion.js';
import { bootHost, eventually, type HostProcess } from '../support/host.js';
import { startTestAzurite } from '../support/storage.js';

const appDir = fileURLToPath(new URL('../fixtures/telemetry-app', import.meta.url));
let azurite: Azurite;
let ingestion: FakeIngestion;
let host: HostProcess;

beforeAll(async () => {
  [azurite, ingestion] = await Promise.all([startTestAzurite(), startFakeIngestion()]);
  host = await bootHost(appDir, {
    AzureWebJobsStorage: azurite.connectionString,
    APPLICATIONINSIGHTS_CONNECTION_STRING: ingestion.connectionString,
    ...testTelemetryEnv,
    NODE_TLS_REJECT_UNAUTHORIZED: '0',
  });
});

afterAll(async () => {
  await host?.stop();
  await Promise.all([azurite?.stop(), ingestion?.stop()]);
});

describe('telemetry in the app', () => {
  it("exports an invocation's span and its log lines", async () => {
    const response = await fetch(`${host.url}/api/probe`);
    expect(await response.text()).toBe('ok');
    const [span, line] = await eventually(() => {
      const found = [
        ingestion.received.find((e) => e.data.baseData.name === 'probe.request'),
        ingestion.received.find(
          (e) => e.data.baseType === 'MessageData' && JSON.stringify(e).includes('probe ran'),
        ),
      ];
      return found.every(Boolean) ? found : undefined;
    }, 30_000);
    expect(span?.tags['ai.operation.id']).toMatch(/^[0-9a-f]{32}$/);
    expect(line?.tags['ai.operation.id']).toBe(span?.tags['ai.operation.id']);
  });
});
