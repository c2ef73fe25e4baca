// Request counts behind automatic rollback, in Azure Table storage (AzureWebJobsStorage, which
// every Functions app has): each instance writes its own cumulative row per alias, version and
// 10-second bucket, so writers never contend and a retried write is harmless, and any instance
// reads the window of all of them with one partition range query. Tables over Cosmos DB: these
// are small, frequent, blind upserts, which cost Table storage next to nothing and would cost
// request units and the registry's throughput in Cosmos DB.
import { defaultCredential } from '../azure-credential.js';
import { TableClient, odata } from '@azure/data-tables';
import { PlatformError } from '../errors.js';
import type { Histogram } from './latency-histogram.js';
import type { WindowStats } from './rollback-rule.js';
import { sumWindow, type StatsCell, type StatsStore } from './stats-store.js';

const pad = (value: number, width: number) => String(value).padStart(width, '0');
// '|' sorts after every character of alias names, so one alias's rows never interleave another's.
const prefix = (alias: string, version: number) => `${alias}|${pad(version, 16)}|`;

export class TableStatsStore implements StatsStore {
  private ready: Promise<unknown> | undefined;

  constructor(private readonly table: TableClient) {}

  static fromSettings(
    settings: Record<string, string | undefined> = process.env,
    name = 'servingstats',
  ): TableStatsStore {
    const uri = settings.AzureWebJobsStorage__tableServiceUri;
    if (uri) return new TableStatsStore(new TableClient(uri, name, defaultCredential));
    const connection = settings.AzureWebJobsStorage;
    if (!connection) {
      throw new PlatformError(
        'INVALID_CONFIG',
        'Set AzureWebJobsStorage (or its __tableServiceUri) for serving statistics.',
        {
          setting: 'AzureWebJobsStorage',
        },
      );
    }
    return new TableStatsStore(
      TableClient.fromConnectionString(connection, name, { allowInsecureConnection: true }),
    );
  }

  private created(): Promise<unknown> {
    this.ready ??= this.table.createTable().catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  async put(cells: readonly StatsCell[]): Promise<void> {
    await this.created();
    await Promise.all(
      cells.map((cell) =>
        this.table.upsertEntity(
          {
            partitionKey: cell.model,
            rowKey: `${prefix(cell.alias, cell.version)}${pad(cell.bucket, 15)}|${cell.instance}`,
            requests: cell.requests,
            errors: cell.errors,
            histogram: JSON.stringify(cell.histogram),
          },
          'Replace',
        ),
      ),
    );
  }

  async window(
    model: string,
    alias: string,
    version: number,
    from: number,
    to: number,
  ): Promise<WindowStats> {
    await this.created();
    const start = `${prefix(alias, version)}${pad(from, 15)}`;
    const end = `${prefix(alias, version)}${pad(to, 15)}`;
    const rows = this.table.listEntities<{ requests: number; errors: number; histogram: string }>({
      queryOptions: { filter: odata`PartitionKey eq ${model} and RowKey ge ${start} and RowKey lt ${end}` },
    });
    const counts = [];
    for await (const row of rows) counts.push({ ...row, histogram: JSON.parse(row.histogram) as Histogram });
    return sumWindow(counts);
  }
}
