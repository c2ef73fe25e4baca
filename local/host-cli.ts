// `npm run host -- --app DIR [--port N]`: runs any Azure Functions Node.js v4 app folder as
// `func start` would, using the emulators of a running `npm start` or starting them.
import { Command } from 'commander';
import { resolve } from 'node:path';
import { isPlatformError } from '../shared/errors.js';
import { ensureEmulators } from './stack/ensure-emulators.js';
import { defaultExtensions } from './default-extensions.js';
import { describeFunction } from './host/describe.js';
import { startHost } from './host/host.js';
import { createLogger } from './host/logger.js';

const program = new Command()
  .name('host')
  .description('Run an Azure Functions Node.js v4 app on the local host.')
  .option('--app <dir>', 'the app folder (package.json main, host.json, local.settings.json)', '.')
  .option('--port <n>', 'HTTP port (0 picks a free one)', process.env.FUNCTIONS_HTTP_PORT ?? '7071')
  .option('--no-emulators', 'do not start emulators that are not running')
  .parse();
const options = program.opts<{ app: string; port: string; emulators: boolean }>();

const log = createLogger({ level: process.env.HOST_LOG_LEVEL === 'debug' ? 'debug' : 'info' });
const appDir = resolve(options.app);
try {
  const emulators = options.emulators ? await ensureEmulators(appDir, log) : undefined;
  const host = await startHost({ appDir, port: Number(options.port), extensions: defaultExtensions(), log });
  console.log(`Host listening on ${host.url}`);
  console.log(`Function key: ${host.keys.function}`);
  console.log('Functions:');
  for (const fn of host.functions) console.log(`  ${describeFunction(fn, host.url, host.routePrefix)}`);
  const shutdown = async (signal: string) => {
    log.info(`${signal}: stopping the host.`);
    await host.stop();
    await emulators?.stop();
    process.exit(0);
  };
  void emulators?.died.then(async (name) => {
    log.error(`${name} keeps exiting; stopping the host.`);
    await host.stop();
    await emulators.stop();
    process.exit(1);
  });
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
} catch (error) {
  console.error(isPlatformError(error) ? `Host failed to start: ${error.message}` : error);
  process.exit(1);
}
