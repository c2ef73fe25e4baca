// The local Service Bus emulator (local/servicebus) as a child process on loopback, so a
// kill -9 of it can be tested and `npm start` supervises it like the other emulators.
import { projectModuleArgs, startChildService, type ChildService } from './child-service.js';

export interface ServiceBusEmulator {
  readonly port: number;
  readonly connectionString: string;
  readonly service: ChildService;
  stop(): Promise<void>;
}

export async function startServiceBusEmulatorProcess(options: {
  port?: number;
  config: string;
  dataDir: string;
}): Promise<ServiceBusEmulator> {
  let port = 0;
  let connectionString = '';
  const service = await startChildService({
    name: 'Service Bus emulator',
    command: process.execPath,
    args: [
      ...projectModuleArgs(import.meta.url, '../servicebus/cli'),
      '--port',
      String(options.port ?? 0),
      '--config',
      options.config,
      '--data',
      options.dataDir,
    ],
    isReady: (line) => {
      const match = /^servicebus emulator ready port=(\d+) connectionString=(\S+)/.exec(line);
      if (match?.[1] && match[2]) [port, connectionString] = [Number(match[1]), match[2]];
      return port !== 0;
    },
  });
  return { port, connectionString, service, stop: () => service.stop() };
}
