// `npm run host -- --app DIR [--port N]`: runs any Azure Functions Node.js v4 app folder as
// `func start` would, using the emulators of a running `npm start` or starting them.
import { Command } from 'commander';
import { resolve } from 'node:path';
import { isPlatformError } from '../shared/errors.js';
import type { Emulators } from './stack/ensure-emulators.js';
import { defaultExtensions } from './default-extensions.js';
import { describeFunction } from './host/describe.js';
import { startHost } from './host/host.js';
import { createLogger, logLevelOf } from './host/logger.js';

const program = new Command()
  .name('host')
  .description('Run an Azure Functions Node.js v4 app on the local host.')
  .option('--app <dir>', 'the app folder (package.json main, host.json, local.settings.json)', '.')
  .option('--port <n>', 'HTTP port (0 picks a free one)', process.env.FUNCTIONS_HTTP_PORT ?? '7071')
  .option('--no-emulators', 'do not start emulators that are not running')
  .parse();
const options = program.opts<{ app: string; port: string; emulators: boolean }>();

const log = createLogger({ level: logLevelOf(process.env.HOST_LOG_LEVEL) });
const appDir = resolve(options.app);
let emulators: Emulators | undefined;
try {
  // Loaded only when asked for: the emulators' modules cost a host started by `npm start` or a
  // test (--no-emulators) a fifth of its start-up.
  emulators = options.emulators
    ? await (await import('./stack/ensure-emulators.js')).ensureEmulators(appDir, log)
    : undefined;
  const host = await startHost({ appDir, port: Number(options.port), extensions: defaultExtensions(), log });
  // The lines Core Tools prints, which editors and test harnesses wait for, with ours.
  log.info('Worker process started and initialized.');
  console.log(`Host listening on ${host.url}`);
  console.log(`Function key: ${host.keys.function}`);
  console.log('Functions:');
  for (const fn of host.functions) console.log(`  ${describeFunction(fn, host.url, host.routePrefix)}`);
  log.info(`Host lock lease acquired by instance ID '${process.pid.toString(16).padStart(32, '0')}'.`);
  const running = emulators;
  const shutdown = async (signal: string) => {
    log.info(`${signal}: stopping the host.`);
    await host.stop();
    await running?.stop();
    process.exit(0);
  };
  void running?.died.then(async (name) => {
    log.error(`${name} keeps exiting; stopping the host.`);
    await host.stop();
    await running.stop();
    process.exit(1);
  });
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
} catch (error) {
  // Emulators this run started go with it, so a second try finds their ports free.
  await emulators?.stop();
  console.error(isPlatformError(error) ? `Host failed to start: ${error.message}` : error);
  process.exit(1);
}
