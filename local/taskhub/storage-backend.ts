// The task hub in Azure Storage (Azurite locally), readable with any Storage tool:
//
//   table `{hub}Instances`, one partition per instance (PartitionKey = instance id), rows:
//     `instance`                          status, name, input, output, custom status, times
//     `history-{executionId}-{n}`         the events one episode appended (JSON array)
//     `message-{id}`                      a message waiting for the next episode
//     `outbox-{n}`                        messages an episode owes other instances
//   container `{hub}-large-payloads`      any JSON value over 30,000 characters, by reference
//
// Keeping an instance in one partition is what makes an episode atomic: its history rows,
// status, consumed messages and outbox commit in one entity-group transaction, guarded by
// the instance row's ETag. Large payloads are written to blobs under deterministic names
// before the transaction, so a retried episode overwrites rather than leaks.

import {
  TableClient,
  TableTransaction,
  type TableEntity,
  type TableEntityResult,
  type TableTransactionResponse,
} from '@azure/data-tables';
import { BlobServiceClient } from '@azure/storage-blob';
import { PlatformError, type ErrorCode } from '../../shared/errors.js';
import {
  alreadyRunning,
  type EpisodeCommit,
  type OutboxBatch,
  type TaskHubBackend,
  type WorkItem,
} from './backend.js';
import type { HistoryEvent } from './history.js';
import {
  isTerminal,
  runtimeStatuses,
  type InstancePage,
  type InstanceQuery,
  type InstanceRecord,
  type Message,
  type OutboxEntry,
} from './instance.js';
import { largePayloads } from './large-payloads.js';
import { escapeOData, idOfKey, keyOf } from './table-keys.js';
import { storageError, storageStatus } from '../../shared/storage-status.js';

export interface StorageBackendOptions {
  connectionString: string;
  hubName: string;
}

const instanceRow = 'instance';
const terminalStatuses = runtimeStatuses.filter(isTerminal);

type Row = Record<string, unknown> & {
  partitionKey: string;
  rowKey: string;
  etag: string;
  timestamp?: string;
};

const rowOf = (entity: TableEntityResult<Record<string, unknown>>): Row => ({
  ...entity,
  partitionKey: entity.partitionKey ?? '',
  rowKey: entity.rowKey ?? '',
  etag: entity.etag,
});

export function createStorageBackend(options: StorageBackendOptions): TaskHubBackend {
  const table = TableClient.fromConnectionString(options.connectionString, `${options.hubName}Instances`, {
    allowInsecureConnection: true,
  });
  const container = BlobServiceClient.fromConnectionString(options.connectionString).getContainerClient(
    `${options.hubName.toLowerCase()}-large-payloads`,
  );
  const payloads = largePayloads(container);

  const readPartition = async (instanceId: string): Promise<Row[]> => {
    const rows: Row[] = [];
    const filter = `PartitionKey eq '${escapeOData(keyOf(instanceId))}'`;
    for await (const row of table.listEntities<Record<string, unknown>>({ queryOptions: { filter } }))
      rows.push(rowOf(row));
    return rows;
  };

  const readInstanceRow = async (instanceId: string): Promise<Row | undefined> => {
    try {
      return rowOf(await table.getEntity<Record<string, unknown>>(keyOf(instanceId), instanceRow));
    } catch (error) {
      if (storageStatus(error) === 404) return undefined;
      throw storageError(error, 'Task hub storage');
    }
  };

  const deleteRows = async (instanceId: string, rowKeys: readonly string[]): Promise<void> => {
    for (let i = 0; i < rowKeys.length; i += 100) {
      const transaction = new TableTransaction();
      for (const rowKey of rowKeys.slice(i, i + 100)) transaction.deleteEntity(keyOf(instanceId), rowKey);
      await submit(table, transaction);
    }
  };

  const messageEntity = async (instanceId: string, message: Message): Promise<TableEntity> => {
    const rowKey = `message-${keyOf(message.id)}`;
    return {
      partitionKey: keyOf(instanceId),
      rowKey,
      ...(await payloads.pack(instanceId, rowKey, { Message: JSON.stringify(message) })),
    };
  };

  const instanceEntity = async (instance: InstanceRecord): Promise<TableEntity> => ({
    partitionKey: keyOf(instance.instanceId),
    rowKey: instanceRow,
    InstanceId: instance.instanceId,
    Name: instance.name,
    ExecutionId: instance.executionId,
    RuntimeStatus: instance.status,
    CreatedTime: instance.createdAt,
    LastUpdatedTime: instance.lastUpdatedAt,
    ...(instance.parent ? { Parent: JSON.stringify(instance.parent) } : {}),
    ...(instance.failure ? { FailureDetails: JSON.stringify(instance.failure) } : {}),
    ...(await payloads.pack(instance.instanceId, `${instanceRow}-${instance.executionId}`, {
      Input: instance.input,
      Output: instance.output,
      CustomStatus: instance.customStatus,
    })),
  });

  const toInstance = async (row: Row): Promise<InstanceRecord> => {
    const values = await payloads.unpack(row, ['Input', 'Output', 'CustomStatus']);
    return {
      instanceId: String(row.InstanceId),
      name: String(row.Name),
      executionId: String(row.ExecutionId),
      status: row.RuntimeStatus as InstanceRecord['status'],
      input: values.Input ?? null,
      output: values.Output ?? null,
      customStatus: values.CustomStatus ?? null,
      createdAt: String(row.CreatedTime),
      lastUpdatedAt: String(row.LastUpdatedTime),
      ...(typeof row.Parent === 'string'
        ? { parent: JSON.parse(row.Parent) as InstanceRecord['parent'] }
        : {}),
      ...(typeof row.FailureDetails === 'string'
        ? { failure: JSON.parse(row.FailureDetails) as InstanceRecord['failure'] }
        : {}),
    };
  };

  const historyPrefix = (executionId: string) => `history-${executionId}-`;

  const readHistory = async (rows: Row[], executionId: string): Promise<HistoryEvent[]> => {
    const prefix = historyPrefix(executionId);
    const mine = rows
      .filter((r) => r.rowKey.startsWith(prefix))
      .sort((a, b) => (a.rowKey < b.rowKey ? -1 : 1));
    const chunks = await Promise.all(
      mine.map(async (r) => (await payloads.unpack(r, ['Events'])).Events ?? '[]'),
    );
    return chunks.flatMap((text) => JSON.parse(text) as HistoryEvent[]);
  };

  const purgePartition = async (instanceId: string, rows: Row[]): Promise<void> => {
    await deleteRows(
      instanceId,
      rows.map((r) => r.rowKey),
    );
    await payloads.removeAll(instanceId);
  };

  return {
    async initialize() {
      try {
        await Promise.all([table.createTable(), container.createIfNotExists()]);
      } catch (error) {
        throw storageError(error, 'Task hub storage');
      }
    },

    async createInstance(instance, start) {
      const rows = await readPartition(instance.instanceId);
      const existing = rows.find((r) => r.rowKey === instanceRow);
      if (existing && !isTerminal(existing.RuntimeStatus as InstanceRecord['status'])) {
        throw alreadyRunning(instance.instanceId, String(existing.RuntimeStatus));
      }
      if (rows.length) await purgePartition(instance.instanceId, rows);
      const transaction = new TableTransaction();
      transaction.createEntity(await instanceEntity(instance));
      transaction.createEntity(await messageEntity(instance.instanceId, start));
      try {
        await submit(table, transaction);
      } catch (error) {
        if (error instanceof PlatformError && error.code === 'CONFLICT')
          throw alreadyRunning(instance.instanceId, 'Pending');
        throw error;
      }
    },

    async getInstance(instanceId) {
      const row = await readInstanceRow(instanceId);
      return row && toInstance(row);
    },

    async queryInstances(query: InstanceQuery): Promise<InstancePage> {
      const clauses = [`RowKey eq '${instanceRow}'`];
      if (query.statuses?.length)
        clauses.push(`(${query.statuses.map((s) => `RuntimeStatus eq '${escapeOData(s)}'`).join(' or ')})`);
      if (query.createdFrom) clauses.push(`CreatedTime ge '${escapeOData(query.createdFrom)}'`);
      if (query.createdTo) clauses.push(`CreatedTime le '${escapeOData(query.createdTo)}'`);
      if (query.instanceIdPrefix) {
        clauses.push(
          `InstanceId ge '${escapeOData(query.instanceIdPrefix)}' and InstanceId lt '${escapeOData(query.instanceIdPrefix)}\uffff'`,
        );
      }
      const pages = table
        .listEntities<Record<string, unknown>>({ queryOptions: { filter: clauses.join(' and ') } })
        .byPage({
          maxPageSize: query.pageSize ?? 100,
          ...(query.continuationToken ? { continuationToken: query.continuationToken } : {}),
        });
      const next = await pages.next();
      if (next.done) return { instances: [] };
      const page = next.value;
      const instances = await Promise.all(page.map((row) => toInstance(rowOf(row))));
      return { instances, ...(page.continuationToken ? { continuationToken: page.continuationToken } : {}) };
    },

    async getHistory(instanceId) {
      const rows = await readPartition(instanceId);
      const instance = rows.find((r) => r.rowKey === instanceRow);
      return instance ? readHistory(rows, String(instance.ExecutionId)) : [];
    },

    async sendMessage(instanceId, message) {
      if (!(await readInstanceRow(instanceId))) {
        throw new PlatformError('NOT_FOUND', `No instance with ID '${instanceId}' found.`, { instanceId });
      }
      try {
        await table.createEntity(await messageEntity(instanceId, message));
      } catch (error) {
        if (storageStatus(error) !== 409) throw storageError(error, 'Task hub storage');
      }
    },

    async loadWorkItem(instanceId): Promise<WorkItem | undefined> {
      const rows = await readPartition(instanceId);
      const row = rows.find((r) => r.rowKey === instanceRow);
      if (!row) return undefined;
      const instance = await toInstance(row);
      const messageRows = rows
        .filter((r) => r.rowKey.startsWith('message-'))
        .sort((a, b) => timestampOf(a) - timestampOf(b));
      const messages = await Promise.all(
        messageRows.map(
          async (r) => JSON.parse((await payloads.unpack(r, ['Message'])).Message ?? 'null') as Message,
        ),
      );
      return { instance, history: await readHistory(rows, instance.executionId), messages, etag: row.etag };
    },

    async commit(workItem, commit: EpisodeCommit) {
      const instanceId = workItem.instance.instanceId;
      // A history row is named by the position of its first event, so names sort and never collide.
      const sameExecution = commit.instance.executionId === workItem.instance.executionId;
      const position = String(sameExecution ? workItem.history.length : 0).padStart(8, '0');
      const transaction = new TableTransaction();
      transaction.updateEntity(await instanceEntity(commit.instance), 'Replace', { etag: workItem.etag });
      if (commit.newEvents.length) {
        const rowKey = `${historyPrefix(commit.instance.executionId)}${position}`;
        const columns = await payloads.pack(instanceId, rowKey, { Events: JSON.stringify(commit.newEvents) });
        transaction.createEntity({
          partitionKey: keyOf(instanceId),
          rowKey,
          EventCount: commit.newEvents.length,
          ...columns,
        });
      }
      for (const id of commit.consumedMessageIds)
        transaction.deleteEntity(keyOf(instanceId), `message-${keyOf(id)}`);
      if (commit.outbox.length) {
        const rowKey = `outbox-${commit.instance.lastUpdatedAt}-${workItem.instance.executionId}-${position}`;
        const columns = await payloads.pack(instanceId, rowKey, { Entries: JSON.stringify(commit.outbox) });
        transaction.createEntity({ partitionKey: keyOf(instanceId), rowKey, ...columns });
      }
      let etag: string | undefined;
      try {
        etag = (await submit(table, transaction))?.getResponseForEntity(instanceRow)?.etag;
      } catch (error) {
        // The instance row's ETag no longer matches, or a row the episode creates or deletes
        // was written or removed by another worker meanwhile.
        if (error instanceof PlatformError && lostCommitRace.has(error.code)) {
          throw new PlatformError(
            'PRECONDITION_FAILED',
            `Instance '${instanceId}' changed during the episode.`,
            { instanceId },
          );
        }
        throw error;
      }
      return etag ?? (await readInstanceRow(instanceId))?.etag ?? '';
    },

    async readOutbox(instanceId): Promise<OutboxBatch[]> {
      const filter = `PartitionKey eq '${escapeOData(keyOf(instanceId))}' and RowKey ge 'outbox-' and RowKey lt 'outbox.'`;
      const batches: OutboxBatch[] = [];
      for await (const row of table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
        const entries = JSON.parse(
          (await payloads.unpack(rowOf(row), ['Entries'])).Entries ?? '[]',
        ) as OutboxEntry[];
        batches.push({ id: row.rowKey ?? '', entries });
      }
      return batches;
    },

    async deleteOutbox(instanceId, batchIds) {
      await deleteRows(instanceId, batchIds);
    },

    async purge(instanceId) {
      const rows = await readPartition(instanceId);
      if (!rows.length) return false;
      await purgePartition(instanceId, rows);
      return rows.some((r) => r.rowKey === instanceRow);
    },

    async unfinishedInstanceIds() {
      const ids = new Set<string>();
      const running = `RowKey eq '${instanceRow}' and ${terminalStatuses.map((s) => `RuntimeStatus ne '${s}'`).join(' and ')}`;
      for await (const row of table.listEntities<Record<string, unknown>>({
        queryOptions: { filter: running, select: ['InstanceId'] },
      })) {
        ids.add(String(row.InstanceId));
      }
      const owing = `RowKey ge 'outbox-' and RowKey lt 'outbox.'`;
      for await (const row of table.listEntities<Record<string, unknown>>({
        queryOptions: { filter: owing, select: ['PartitionKey'] },
      })) {
        ids.add(idOfKey(String(row.partitionKey)));
      }
      return [...ids];
    },
  };
}

function timestampOf(row: Row): number {
  return row.timestamp ? Date.parse(row.timestamp) : 0;
}

const lostCommitRace = new Set<ErrorCode>(['PRECONDITION_FAILED', 'CONFLICT', 'NOT_FOUND']);

async function submit(
  table: TableClient,
  transaction: TableTransaction,
): Promise<TableTransactionResponse | undefined> {
  if (transaction.actions.length === 0) return undefined;
  try {
    return await table.submitTransaction(transaction.actions);
  } catch (error) {
    throw storageError(error, 'Task hub storage');
  }
}
