// The Cosmos DB emulator (@vercel/cosmosdb-server) as a child process on loopback.
import { projectModuleArgs, startChildService, type ChildService } from './child-service.js';

/** The Cosmos DB emulator's well-known key; it is public, not a secret. */
export const cosmosEmulatorKey =
  'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==';

export interface CosmosEmulator {
  readonly endpoint: string;
  readonly key: string;
  readonly connectionString: string;
  readonly service: ChildService;
  stop(): Promise<void>;
}

export async function startCosmosEmulator(options: { port?: number } = {}): Promise<CosmosEmulator> {
  let port = 0;
  const service = await startChildService({
    name: 'Cosmos DB emulator',
    command: process.execPath,
    args: [...projectModuleArgs(import.meta.url, './cosmos-server'), String(options.port ?? 0)],
    isReady: (line) => {
      const match = /listening on port (\d+)/.exec(line);
      if (match?.[1]) port = Number(match[1]);
      return port !== 0;
    },
  });
  const endpoint = `https://127.0.0.1:${port}/`;
  return {
    endpoint,
    key: cosmosEmulatorKey,
    connectionString: `AccountEndpoint=${endpoint};AccountKey=${cosmosEmulatorKey};`,
    service,
    stop: () => service.stop(),
  };
}
