// Starts an emulator on a free port with a throwaway journal and a test config. Its clock follows
// real time and tests move it ahead, so lock, schedule and TTL tests wait for no timer (less
// than an hour in all: the clients' SAS tokens are checked on the same clock).
import { ServiceBusClient } from '@azure/service-bus';
import { afterAll, beforeAll } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServiceBusEmulator, type RunningEmulator } from '../../../local/servicebus/emulator.js';
import { ManualClock, systemClock } from '../../../shared/clock.js';

export const testConfig = {
  UserConfig: {
    Namespaces: [
      {
        Name: 'test',
        Queues: [
          { Name: 'orders', Properties: { LockDuration: 'PT30S', MaxDeliveryCount: 3 } },
          { Name: 'minute-lock', Properties: { LockDuration: 'PT1M', MaxDeliveryCount: 5 } },
          {
            Name: 'dedup',
            Properties: { RequiresDuplicateDetection: true, DuplicateDetectionHistoryTimeWindow: 'PT1M' },
          },
          {
            Name: 'expiring',
            Properties: { DefaultMessageTimeToLive: 'PT1M', DeadLetteringOnMessageExpiration: true },
          },
        ],
        Topics: [
          {
            Name: 'drift-alerts',
            Properties: {},
            Subscriptions: [
              {
                Name: 'retrain',
                Properties: { MaxDeliveryCount: 5 },
                Rules: [
                  { Name: 'all', Properties: { FilterType: 'Sql', SqlFilter: { SqlExpression: '1=1' } } },
                ],
              },
              {
                Name: 'severe',
                Properties: {},
                Rules: [
                  {
                    Name: 'severe-only',
                    Properties: {
                      FilterType: 'Sql',
                      SqlFilter: { SqlExpression: "severity = 'high' AND score > 0.5" },
                    },
                  },
                ],
              },
              {
                Name: 'by-model',
                Properties: {},
                Rules: [
                  {
                    Name: 'churn',
                    Properties: {
                      FilterType: 'Correlation',
                      CorrelationFilter: { Subject: 'churn', Properties: { region: 'eu' } },
                    },
                  },
                ],
              },
            ],
          },
        ],
      },
    ],
  },
};

export interface TestEmulator extends RunningEmulator {
  dataDir: string;
  clock: ManualClock;
  dispose(): Promise<void>;
}

export async function startTestEmulator(config: object = testConfig): Promise<TestEmulator> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sb-emulator-'));
  const clock = ManualClock.following(systemClock);
  const emulator = await startServiceBusEmulator({ port: 0, config, dataDir, tickMs: 50, clock });
  return {
    ...emulator,
    dataDir,
    clock,
    async dispose() {
      await emulator.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** One emulator and one official client per test file, closed after the file's tests. */
export function emulatorWithClient(): { readonly emulator: TestEmulator; readonly client: ServiceBusClient } {
  const state = {} as { emulator: TestEmulator; client: ServiceBusClient };
  beforeAll(async () => {
    state.emulator = await startTestEmulator();
    state.client = new ServiceBusClient(state.emulator.connectionString, {
      retryOptions: { maxRetries: 1, retryDelayInMs: 100, timeoutInMs: 10_000 },
    });
  });
  afterAll(async () => {
    await state.client?.close();
    await state.emulator?.dispose();
  });
  return state;
}

export { eventually } from '../../support/host.js';
