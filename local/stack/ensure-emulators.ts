// Starts the emulators an app's settings point at, unless they already run (for example under
// `npm start`), and points the app's settings at the ports in use.
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAzurite, storageConnectionString } from '../emulators/azurite.js';
import { cosmosEmulatorKey, startCosmosEmulator } from '../emulators/cosmos.js';
import { startServiceBusEmulatorProcess } from '../emulators/servicebus.js';
import { startTrainingPool } from '../emulators/training-pool.js';
import type { HostLogger } from '../host/logger.js';
import { loadSettings } from '../host/settings.js';
import { stackPorts } from './ports.js';
import { defaultRestartPolicy } from './restart-policy.js';
import { supervise, type SupervisedService } from './supervisor.js';

const projectRoot = new URL(import.meta.url.includes('/dist/') ? '../../../' : '../../', import.meta.url);

/** The project's Azurite workspace (DESIGN.md: `azurite/`) unless AZURITE_WORKSPACE names another. */
export function azuriteWorkspace(env: NodeJS.ProcessEnv = process.env): string {
  return env.AZURITE_WORKSPACE || fileURLToPath(new URL('azurite', projectRoot));
}

/** The local training pool's task folders, unless TRAINING_POOL_DATA names another place. */
function poolData(env: NodeJS.ProcessEnv): string {
  return env.TRAINING_POOL_DATA || fileURLToPath(new URL('.tmp/pool', projectRoot));
}

/** Where the Service Bus emulator keeps its journal, unless SERVICEBUS_EMULATOR_DATA names another place. */
function serviceBusData(env: NodeJS.ProcessEnv): string {
  return env.SERVICEBUS_EMULATOR_DATA || fileURLToPath(new URL('.tmp/servicebus', projectRoot));
}

export const serviceBusConfigSetting = 'SERVICEBUS_EMULATOR_CONFIG';

/**
 * The Service Bus emulator's entities: the file the app's SERVICEBUS_EMULATOR_CONFIG setting
 * names (Microsoft's emulator format, relative to the app), else the project's own config.
 */
export function serviceBusConfig(appDir: string, configured: string | undefined): string {
  return configured
    ? resolve(appDir, configured)
    : fileURLToPath(new URL('local/servicebus/config.json', projectRoot));
}

export interface Emulators {
  /**
   * Resolves with the emulator's name when one that was started here keeps dying: one that
   * exits is started again, up to EMULATOR_MAX_RESTARTS times a minute (default 5).
   */
  readonly died: Promise<string>;
  stop(): Promise<void>;
}

export async function ensureEmulators(
  appDir: string,
  log: HostLogger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Emulators> {
  const { settings, values } = await loadSettings(appDir, env);
  const ports = stackPorts(env);
  const started: SupervisedService[] = [];
  const statuses: string[] = [];
  const status = (name: string, port: number, reused: boolean) =>
    statuses.push(`${name} ${reused ? 'already running' : 'started'} on 127.0.0.1:${port}.`);

  if (settings.get('AzureWebJobsStorage') === 'UseDevelopmentStorage=true') {
    const reused = await isListening(ports.blob);
    if (!reused) {
      started.push({
        name: 'Azurite',
        start: async () =>
          (
            await startAzurite({
              location: azuriteWorkspace(env),
              blobPort: ports.blob,
              queuePort: ports.queue,
              tablePort: ports.table,
            })
          ).service,
      });
    }
    env.AzureWebJobsStorage = storageConnectionString(ports);
    status('Azurite', ports.blob, reused);
  }
  if (isLoopback(settings.get('COSMOS_CONNECTION_STRING'))) {
    const reused = await isListening(ports.cosmos);
    // It keeps data in memory only: a restart brings it back empty, which beats a dead stack.
    if (!reused)
      started.push({
        name: 'Cosmos DB emulator',
        start: async () => (await startCosmosEmulator({ port: ports.cosmos })).service,
      });
    env.COSMOS_CONNECTION_STRING = `AccountEndpoint=https://127.0.0.1:${ports.cosmos}/;AccountKey=${cosmosEmulatorKey};`;
    status('Cosmos DB emulator', ports.cosmos, reused);
  }
  const serviceBusSettings = [...new Set([...Object.keys(values), ...Object.keys(env)])].filter((name) =>
    settings.get(name)?.includes('UseDevelopmentEmulator=true'),
  );
  if (serviceBusSettings.length > 0) {
    const reused = await isListening(ports.serviceBus);
    if (!reused) {
      const config = serviceBusConfig(appDir, settings.get(serviceBusConfigSetting));
      started.push({
        name: 'Service Bus emulator',
        start: async () =>
          (
            await startServiceBusEmulatorProcess({
              port: ports.serviceBus,
              config,
              dataDir: serviceBusData(env),
            })
          ).service,
      });
    }
    // Point every emulator connection string at the port in use.
    for (const name of serviceBusSettings) {
      env[name] = (settings.get(name) ?? '').replace(/sb:\/\/[^;/]+/, `sb://127.0.0.1:${ports.serviceBus}`);
    }
    status('Service Bus emulator', ports.serviceBus, reused);
    if (reused && settings.get(serviceBusConfigSetting))
      statuses.push(
        `${serviceBusConfigSetting} is not applied: the Service Bus emulator on ${ports.serviceBus} was already running with its own entities.`,
      );
  }
  if (isLoopback(settings.get('TRAINING_POOL_URL'))) {
    const reused = await isListening(ports.pool);
    // Started after Azurite: the pool stages task files from the same storage account.
    const storage = env.AzureWebJobsStorage ?? settings.get('AzureWebJobsStorage');
    if (!reused) {
      started.push({
        name: 'Training pool',
        start: async () =>
          (
            await startTrainingPool({
              root: poolData(env),
              port: ports.pool,
              env: { ...env, ...(storage ? { AzureWebJobsStorage: storage } : {}) },
            })
          ).service,
      });
    }
    env.TRAINING_POOL_URL = `http://127.0.0.1:${ports.pool}`;
    status('Training pool', ports.pool, reused);
  }
  const maxRestarts = Number(env.EMULATOR_MAX_RESTARTS ?? defaultRestartPolicy.maxRestarts);
  const emulatorLog = log.child({ component: 'emulators' });
  const supervisor = await supervise(started, {
    log: emulatorLog,
    policy: { ...defaultRestartPolicy, maxRestarts },
  });
  for (const line of statuses) emulatorLog.info(line);
  return { died: supervisor.gaveUp, stop: supervisor.stop };
}

function isLoopback(connectionString: string | undefined): boolean {
  return !!connectionString && /\/\/(127\.0\.0\.1|localhost)[:/]/.test(connectionString);
}

export function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
