// The local training pool (local/pool/cli.ts) as a child process on loopback, like the emulators:
// it outlives a crashed host, as an Azure Batch pool does.
import { projectModuleArgs, startChildService, type ChildService } from './child-service.js';

export interface TrainingPool {
  readonly url: string;
  readonly service: ChildService;
  stop(): Promise<void>;
}

export async function startTrainingPool(options: {
  root: string;
  port?: number;
  slots?: number;
  env?: NodeJS.ProcessEnv;
}): Promise<TrainingPool> {
  let url = '';
  const service = await startChildService({
    name: 'training pool',
    command: process.execPath,
    args: [
      ...projectModuleArgs(import.meta.url, '../pool/cli'),
      '--root',
      options.root,
      '--port',
      String(options.port ?? 0),
      ...(options.slots ? ['--slots', String(options.slots)] : []),
    ],
    env: options.env,
    isReady: (line) => {
      url = /training pool ready url=(\S+)/.exec(line)?.[1] ?? url;
      return url !== '';
    },
  });
  return { url, service, stop: () => service.stop() };
}
