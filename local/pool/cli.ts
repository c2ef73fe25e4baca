// `node dist/local/pool/cli.js --port N --root DIR --slots N`: the local training pool as an
// HTTP service until SIGINT/SIGTERM. Blob URLs in task specs are reached through the
// AzureWebJobsStorage connection. The first stdout line, `training pool ready url=...`, tells a
// parent process (npm start, tests) where it listens.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { blobServiceFromSettings } from '../../shared/artifacts/blob-connection.js';
import { toPlatformError } from '../../shared/errors.js';
import { LocalPool } from './local-pool.js';
import { startPoolServer } from './pool-server.js';

const program = new Command()
  .name('training-pool')
  .option('--port <port>', 'HTTP port on 127.0.0.1 (0 = any free port)', '0')
  .option('--root <dir>', 'task folders', join(process.cwd(), '.tmp', 'pool'))
  .option('--slots <n>', 'tasks run at once', String(Math.max(1, Math.floor(availableParallelism() / 2))))
  .parse();

const options = program.opts<{ port: string; root: string; slots: string }>();
try {
  const blobs = process.env.AzureWebJobsStorage ? blobServiceFromSettings() : undefined;
  const pool = new LocalPool({ root: options.root, slots: Number(options.slots), blobs });
  const server = await startPoolServer(pool, Number(options.port));
  console.log(`training pool ready url=${server.url} slots=${options.slots}`);
  const shutdown = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
} catch (error) {
  console.error(`training pool failed to start: ${toPlatformError(error).message}`);
  process.exit(1);
}
