// Starts the emulator in-process: the broker (state + journal) behind the AMQP server.
import type { Clock } from '../../shared/clock.js';
import { systemClock } from '../../shared/clock.js';
import { AmqpServer } from './amqp-server.js';
import { Broker } from './broker.js';
import { loadConfig, parseConfig, type EmulatorConfig } from './config.js';

/** The key of Microsoft's emulator, so its documented connection string works here too. */
export const defaultSharedAccessKey = 'SAS_KEY_VALUE';
export const sharedAccessKeyName = 'RootManageSharedAccessKey';

export interface EmulatorOptions {
  /** 0 picks a free port. */
  port?: number;
  /** A config file path, or the config object itself (Microsoft's emulator format). */
  config: string | object;
  dataDir: string;
  clock?: Clock;
  sharedAccessKey?: string;
  /** How often locks, schedules and TTLs are checked. */
  tickMs?: number;
  /** Where problems the emulator cannot hand to a client go; stderr by default. */
  warn?: (message: string) => void;
}

export interface RunningEmulator {
  port: number;
  connectionString: string;
  config: EmulatorConfig;
  stop(): Promise<void>;
}

export async function startServiceBusEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const config =
    typeof options.config === 'string'
      ? await loadConfig(options.config)
      : parseConfig(options.config, '(inline)');
  const key = options.sharedAccessKey ?? defaultSharedAccessKey;
  const warn = options.warn ?? ((message: string) => console.error(message));
  const broker = await Broker.open(config, options.dataDir, options.clock ?? systemClock, warn);
  const server = new AmqpServer(broker, {
    host: '127.0.0.1',
    port: options.port ?? 5672,
    keyName: sharedAccessKeyName,
    key,
    warn,
  });
  let port: number;
  try {
    port = await server.listen();
  } catch (error) {
    await broker.close();
    throw error;
  }
  const timer = setInterval(() => broker.tick(), options.tickMs ?? 100);
  timer.unref();
  return {
    port,
    config,
    connectionString: emulatorConnectionString(port, key),
    async stop() {
      clearInterval(timer);
      await server.close();
      await broker.close();
    },
  };
}

export function emulatorConnectionString(port: number, key = defaultSharedAccessKey): string {
  return `Endpoint=sb://127.0.0.1:${port};SharedAccessKeyName=${sharedAccessKeyName};SharedAccessKey=${key};UseDevelopmentEmulator=true`;
}
