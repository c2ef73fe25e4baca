// The stack the demo runs against: the one `npm start` already runs, or one it starts itself
// the same way (dist/local/start.js), with the stack's output kept in .tmp/demo-stack.log.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { storageConnectionString } from '../emulators/azurite.js';
import { loadSettings } from '../host/settings.js';
import { stackPorts } from '../stack/ports.js';
import { waitFor } from './platform-client.js';

const projectRoot = fileURLToPath(new URL('../../..', import.meta.url));

export interface Stack {
  readonly baseUrl: string;
  readonly key: string;
  readonly storage: string;
  /** Set when the demo started the stack: stops it. */
  readonly stop?: () => Promise<void>;
  readonly log?: string;
}

async function healthy(url: string): Promise<boolean> {
  const response = await fetch(`${url}/api/health`).catch(() => undefined);
  return response?.status === 200;
}

export async function openStack(): Promise<Stack> {
  const ports = stackPorts();
  const baseUrl = `http://127.0.0.1:${ports.host}`;
  const { settings } = await loadSettings(projectRoot);
  const key = settings.get('FUNCTIONS_FUNCTION_KEY') ?? '';
  const storage = storageConnectionString(ports);
  if (await healthy(baseUrl)) return { baseUrl, key, storage };

  await mkdir(join(projectRoot, '.tmp'), { recursive: true });
  const log = join(projectRoot, '.tmp', 'demo-stack.log');
  const output = createWriteStream(log);
  const child: ChildProcess = spawn(
    process.execPath,
    [fileURLToPath(new URL('../start.js', import.meta.url))],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.pipe(output);
  child.stderr?.pipe(output);
  const exited = once(child, 'exit');
  await Promise.race([
    waitFor(
      'the stack to answer /api/health',
      async () => ((await healthy(baseUrl)) ? true : undefined),
      120_000,
    ),
    exited.then(() => Promise.reject(new Error(`The stack exited while starting; see ${log}.`))),
  ]);
  return {
    baseUrl,
    key,
    storage,
    log,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
