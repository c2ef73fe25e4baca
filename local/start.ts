// `npm start`: every emulator and the host on loopback, the URLs and the local key printed,
// up until Ctrl-C. An emulator that dies is started again (see stack/supervisor.ts); if the
// host dies, or an emulator keeps dying, everything stops with a non-zero exit.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ensureEmulators } from './stack/ensure-emulators.js';
import { stackPorts } from './stack/ports.js';
import { createLogger } from './host/logger.js';
import { loadSettings } from './host/settings.js';
import { isPlatformError } from '../shared/errors.js';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
// The bundled host (build/bundle.ts), as the app it loads (package.json `main`) is bundled.
const hostCli = fileURLToPath(new URL('../bundle/host-cli.js', import.meta.url));
const log = createLogger().child({ component: 'start' });

async function main(): Promise<void> {
  const ports = stackPorts();
  const emulators = await ensureEmulators(projectRoot, log);
  const host = spawn(
    process.execPath,
    [hostCli, '--app', projectRoot, '--port', String(ports.host), '--no-emulators'],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: process.env,
    },
  );
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (host.exitCode === null && host.signalCode === null) {
      host.kill('SIGTERM');
      await new Promise((resolve) => host.once('exit', resolve));
    }
    await emulators.stop();
    process.exit(code);
  };
  host.once('exit', (code) => {
    if (!stopping) {
      log.error(`The host exited (code ${code}); stopping the emulators.`);
      void stop(code || 1);
    }
  });
  void emulators.died.then((name) => {
    log.error(`${name} keeps exiting; stopping everything.`);
    void stop(1);
  });
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));

  const health = `http://127.0.0.1:${ports.host}/api/health`;
  const deadline = Date.now() + 60_000;
  let status = 0;
  while (!stopping && status !== 200 && Date.now() < deadline) {
    status = await fetch(health).then(
      (r) => r.status,
      () => 0,
    );
    if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (status !== 200)
    log.warn(`${health} answers ${status || 'nothing'} after 60 s; see the host log above.`);
  const { settings } = await loadSettings(projectRoot);
  console.log(
    [
      '',
      'Local stack is up:',
      `  Functions host     http://127.0.0.1:${ports.host}/api  (health: ${health})`,
      `  Azurite            blob :${ports.blob}  queue :${ports.queue}  table :${ports.table}  (workspace azurite/)`,
      `  Cosmos DB emulator https://127.0.0.1:${ports.cosmos}/  (self-signed certificate)`,
      `  Service Bus        sb://127.0.0.1:${ports.serviceBus}  (AMQP; topic drift-alerts, subscription retrain)`,
      `  Training pool      http://127.0.0.1:${ports.pool}  (local stand-in for Azure Batch; tasks in .tmp/pool/)`,
      `  Function key       ${settings.get('FUNCTIONS_FUNCTION_KEY')}  (header x-functions-key or ?code=)`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  console.error(isPlatformError(error) ? `npm start failed: ${error.message}` : error);
  process.exit(1);
});
