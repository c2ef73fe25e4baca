// Starts the emulators an app's settings point at, unless they already run (for example under
// `npm start`), and points the app's settings at the ports in use.
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startAzurite, storageConnectionString } from '../emulators/azurite.js';
import type { ChildService } from '../emulators/child-service.js';
import { cosmosEmulatorKey, startCosmosEmulator } from '../emulators/cosmos.js';
import type { HostLogger } from '../host/logger.js';
import { loadSettings } from '../host/settings.js';
import { stackPorts } from './ports.js';

/** The project's Azurite workspace (DESIGN.md: `azurite/`) unless AZURITE_WORKSPACE names another. */
export function azuriteWorkspace(env: NodeJS.ProcessEnv = process.env): string {
  const projectAzurite = new URL(import.meta.url.includes('/dist/') ? '../../../azurite' : '../../azurite', import.meta.url);
  return env.AZURITE_WORKSPACE || fileURLToPath(projectAzurite);
}

export interface Emulators {
  /** Resolves with the emulator's name when one that was started here exits on its own. */
  readonly died: Promise<string>;
  stop(): Promise<void>;
}

export async function ensureEmulators(appDir: string, log: HostLogger, env: NodeJS.ProcessEnv = process.env): Promise<Emulators> {
  const { settings } = await loadSettings(appDir, env);
  const ports = stackPorts(env);
  const started: ChildService[] = [];
  const status = (name: string, port: number, reused: boolean) =>
    log.info(`${name} ${reused ? 'already running' : 'started'} on 127.0.0.1:${port}.`, { component: 'emulators' });

  if (settings.get('AzureWebJobsStorage') === 'UseDevelopmentStorage=true') {
    const reused = await isListening(ports.blob);
    if (!reused) {
      const azurite = await startAzurite({ location: azuriteWorkspace(env), blobPort: ports.blob, queuePort: ports.queue, tablePort: ports.table });
      started.push(azurite.service);
    }
    env.AzureWebJobsStorage = storageConnectionString(ports);
    status('Azurite', ports.blob, reused);
  }
  if (isLoopback(settings.get('COSMOS_CONNECTION_STRING'))) {
    const reused = await isListening(ports.cosmos);
    if (!reused) started.push((await startCosmosEmulator({ port: ports.cosmos })).service);
    env.COSMOS_CONNECTION_STRING = `AccountEndpoint=https://127.0.0.1:${ports.cosmos}/;AccountKey=${cosmosEmulatorKey};`;
    status('Cosmos DB emulator', ports.cosmos, reused);
  }
  let stopping = false;
  const died = new Promise<string>((resolve) => {
    for (const service of started) void service.exited.then(() => !stopping && resolve(service.name));
  });
  return {
    died,
    async stop() {
      stopping = true;
      await Promise.allSettled(started.reverse().map((s) => s.stop()));
    },
  };
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
