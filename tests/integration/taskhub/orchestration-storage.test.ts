// The orchestration replay suite against the Azure Storage backend on Azurite.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startAzurite, type Azurite } from '../../../local/emulators/azurite.js';
import { createStorageBackend } from '../../../local/taskhub/storage-backend.js';
import { replaySuite } from '../../support/taskhub/replay-suite.js';

let azurite: Azurite | undefined;
let workspace: string | undefined;
let hubs = 0;
beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'taskhub-replay-'));
  azurite = await startAzurite({ location: workspace });
});
afterAll(async () => {
  await azurite?.stop();
  if (workspace) await rm(workspace, { recursive: true, force: true });
});

replaySuite('storage', () =>
  createStorageBackend({ connectionString: azurite!.connectionString, hubName: `Replay${++hubs}` }),
);
