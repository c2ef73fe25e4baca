// `node dist/local/servicebus/cli.js --port N --config FILE --data DIR [--key KEY]`: runs the
// emulator until SIGINT/SIGTERM. The first stdout line, `servicebus emulator ready ...`, tells
// a parent process (npm start, tests) that it accepts connections.
import { join } from 'node:path';
import { Command } from 'commander';
import { toPlatformError } from '../../shared/errors.js';
import { startServiceBusEmulator } from './emulator.js';

const program = new Command()
  .name('servicebus-emulator')
  .option(
    '--port <port>',
    'AMQP port on 127.0.0.1 (0 = any free port)',
    process.env.SERVICEBUS_EMULATOR_PORT ?? '5672',
  )
  .option(
    '--config <file>',
    "entities, in the format of Microsoft's emulator",
    process.env.SERVICEBUS_EMULATOR_CONFIG ?? join(process.cwd(), 'local', 'servicebus', 'config.json'),
  )
  .option('--data <dir>', 'where the journal lives', join(process.cwd(), '.tmp', 'servicebus'))
  .option('--key <key>', 'the RootManageSharedAccessKey value', process.env.SERVICEBUS_EMULATOR_KEY)
  .parse();

const options = program.opts<{ port: string; config: string; data: string; key?: string }>();
try {
  const emulator = await startServiceBusEmulator({
    port: Number(options.port),
    config: options.config,
    dataDir: options.data,
    sharedAccessKey: options.key,
  });
  console.log(
    `servicebus emulator ready port=${emulator.port} connectionString=${emulator.connectionString}`,
  );
  const shutdown = (): void => {
    void emulator.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
} catch (error) {
  const failure = toPlatformError(error);
  console.error(
    `servicebus emulator failed to start: ${failure.code === 'INTERNAL' ? String(error) : failure.message}`,
  );
  process.exit(1);
}
