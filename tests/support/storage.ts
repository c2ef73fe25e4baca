// One Azurite per test file, on free ports, in a fresh workspace.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startAzurite, type Azurite } from '../../local/emulators/azurite.js';
import { bootHost, type HostProcess } from './host.js';

export async function startTestAzurite(): Promise<Azurite> {
  return startAzurite({ location: await mkdtemp(join(tmpdir(), 'azurite-test-')) });
}

export interface HostOnAzurite {
  readonly azurite: Azurite;
  readonly host: HostProcess;
}

/**
 * One Azurite and one host on it (`AzureWebJobsStorage` set, `env` on top), started before the
 * calling file's tests and stopped after them, host first. Read the fields inside the tests.
 */
export function hostOnAzurite(appDir: string, env: NodeJS.ProcessEnv = {}): HostOnAzurite {
  const stack = {} as { azurite: Azurite; host: HostProcess };
  beforeAll(async () => {
    stack.azurite = await startTestAzurite();
    stack.host = await bootHost(appDir, { AzureWebJobsStorage: stack.azurite.connectionString, ...env });
  });
  afterAll(async () => {
    await stack.host?.stop();
    await stack.azurite?.stop();
  });
  return stack;
}
