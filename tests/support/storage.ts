// One Azurite per test file, on free ports, in a fresh workspace.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAzurite, type Azurite } from '../../local/emulators/azurite.js';

export async function startTestAzurite(): Promise<Azurite> {
  return startAzurite({ location: await mkdtemp(join(tmpdir(), 'azurite-test-')) });
}
