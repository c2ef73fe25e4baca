// Azurite (Blob, Queue, Table) as a child process with its workspace on disk, so state
// survives restarts like a real storage account.
import { createRequire } from 'node:module';
import { mkdir } from 'node:fs/promises';
import { startChildService, type ChildService } from './child-service.js';

/** Azurite's well-known development account; it is public, not a secret. */
export const devAccount = {
  name: 'devstoreaccount1',
  key: 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
};

export interface AzuriteOptions {
  location: string;
  /** 0 picks free ports. */
  blobPort?: number;
  queuePort?: number;
  tablePort?: number;
}

export interface Azurite {
  readonly blobUrl: string;
  readonly queueUrl: string;
  readonly tableUrl: string;
  readonly connectionString: string;
  readonly service: ChildService;
  stop(): Promise<void>;
}

export function storageConnectionString(ports: { blob: number; queue: number; table: number }): string {
  const endpoint = (port: number) => `http://127.0.0.1:${port}/${devAccount.name}`;
  return [
    'DefaultEndpointsProtocol=http',
    `AccountName=${devAccount.name}`,
    `AccountKey=${devAccount.key}`,
    `BlobEndpoint=${endpoint(ports.blob)}`,
    `QueueEndpoint=${endpoint(ports.queue)}`,
    `TableEndpoint=${endpoint(ports.table)}`,
  ].join(';');
}

export async function startAzurite(options: AzuriteOptions): Promise<Azurite> {
  await mkdir(options.location, { recursive: true });
  const entry = createRequire(import.meta.url).resolve('azurite/dist/src/azurite.js');
  const ports: Record<string, number> = {};
  const service = await startChildService({
    name: 'Azurite',
    command: process.execPath,
    args: [
      entry,
      '--location',
      options.location,
      '--blobPort',
      String(options.blobPort ?? 0),
      '--queuePort',
      String(options.queuePort ?? 0),
      '--tablePort',
      String(options.tablePort ?? 0),
      '--skipApiVersionCheck',
      '--loose',
      '--disableTelemetry',
    ],
    isReady: (line) => {
      const match =
        /Azurite (Blob|Queue|Table) service is successfully listening at http:\/\/[^:]+:(\d+)/.exec(line);
      if (match?.[1] && match[2]) ports[match[1].toLowerCase()] = Number(match[2]);
      return ports.blob !== undefined && ports.queue !== undefined && ports.table !== undefined;
    },
  });
  const bound = { blob: ports.blob ?? 0, queue: ports.queue ?? 0, table: ports.table ?? 0 };
  const url = (port: number) => `http://127.0.0.1:${port}/${devAccount.name}`;
  return {
    blobUrl: url(bound.blob),
    queueUrl: url(bound.queue),
    tableUrl: url(bound.table),
    connectionString: storageConnectionString(bound),
    service,
    stop: () => service.stop(),
  };
}
