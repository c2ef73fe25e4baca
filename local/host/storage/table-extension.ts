// Table bindings for the local host, with the Azure Tables extension's semantics. Input: one
// entity by partitionKey and rowKey (null when absent), or an array by partitionKey, filter
// and take. Output: an entity or an array; PartitionKey and RowKey default to the binding's;
// an entity without an ETag is inserted (a duplicate fails), `ETag: "*"` upserts it, another
// ETag replaces it only if unchanged; writes go in transactions per partition of at most 100,
// and the table is created when missing. Entities read come back with PartitionKey, RowKey
// and their properties, without Timestamp and ETag, as the extension gives them to Node.js.
import type { TableClient, TableEntity, TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import { storageStatus } from '../../../shared/storage-status.js';
import { parseInput } from '../../../shared/validate.js';
import { invocationBindingData, resolveBindingExpressions } from '../binding-expressions.js';
import type { RpcTypedData } from '../core-types.js';
import type { Binding, HostContext, HostExtension, InvocationRecord } from '../extension.js';
import { tableClientFor } from './table-clients.js';

const bindingSchema = z
  .object({
    tableName: z.string().min(1),
    connection: z.string().optional(),
    partitionKey: z.string().optional(),
    rowKey: z.string().optional(),
    take: z.coerce.number().int().nonnegative().optional(),
    filter: z.string().optional(),
  })
  .loose();

const inputSchema = bindingSchema
  .refine((b) => b.rowKey === undefined || b.partitionKey !== undefined, {
    message: 'rowKey needs partitionKey',
    path: ['partitionKey'],
  })
  .refine((b) => b.rowKey === undefined || (b.take === undefined && b.filter === undefined), {
    message: "rowKey can't be used with take or filter",
    path: ['rowKey'],
  });

const maxBatchSize = 100;

export function tableExtension(): HostExtension {
  return { name: 'tables', inputs: { table: readTableInput }, outputs: { table: writeTableOutput } };
}

function resolved(binding: Binding, invocation: InvocationRecord, schema: z.ZodType, usedBy: string) {
  const options = parseInput(schema, binding, usedBy, 'INVALID_CONFIG') as z.infer<typeof bindingSchema>;
  const data = invocationBindingData(invocation);
  const resolve = (template: string | undefined) =>
    template === undefined ? undefined : resolveBindingExpressions(template, data, usedBy);
  return {
    ...options,
    tableName: resolve(options.tableName)!,
    partitionKey: resolve(options.partitionKey),
    rowKey: resolve(options.rowKey),
    // Values in an OData filter are quoted literals: a quote in a value is doubled, as the Azure
    // extension's filter formatter does, so a value cannot change the filter.
    filter: options.filter?.replace(/\{([^{}]+)\}/g, (expression: string) =>
      resolve(expression)!.replace(/'/g, "''"),
    ),
  };
}

async function readTableInput(
  binding: Binding,
  invocation: InvocationRecord,
  host: HostContext,
): Promise<RpcTypedData | undefined> {
  const usedBy = `table input '${binding.name}' of '${invocation.fn.name}'`;
  const options = resolved(binding, invocation, inputSchema, usedBy);
  const table = tableClientFor(host.settings, options.connection, options.tableName, usedBy);
  try {
    if (options.rowKey !== undefined) {
      const entity = await table.getEntity(options.partitionKey!, options.rowKey);
      return { json: JSON.stringify(asBindingEntity(entity)) };
    }
    const filters = [
      options.partitionKey === undefined
        ? undefined
        : `PartitionKey eq '${options.partitionKey.replace(/'/g, "''")}'`,
      options.filter && `(${options.filter})`,
    ].filter(Boolean);
    const take = options.take || undefined;
    const entities: Record<string, unknown>[] = [];
    const pages = table
      .listEntities({ queryOptions: filters.length ? { filter: filters.join(' and ') } : {} })
      .byPage({ maxPageSize: take });
    for await (const page of pages) {
      for (const entity of page) {
        if (take !== undefined && entities.length >= take) break;
        entities.push(asBindingEntity(entity));
      }
      if (take !== undefined && entities.length >= take) break;
    }
    return { json: JSON.stringify(entities) };
  } catch (error) {
    // A missing entity is null; a missing table reads as empty, as in Azure.
    if (storageStatus(error) === 404) return options.rowKey !== undefined ? undefined : { json: '[]' };
    throw error;
  }
}

async function writeTableOutput(
  binding: Binding,
  data: RpcTypedData,
  invocation: InvocationRecord,
  host: HostContext,
): Promise<void> {
  const usedBy = `table output '${binding.name}' of '${invocation.fn.name}'`;
  const options = resolved(binding, invocation, bindingSchema, usedBy);
  const value: unknown = JSON.parse(data.json ?? data.string ?? 'null');
  const actions = (Array.isArray(value) ? value : [value])
    .filter((entity) => entity !== null)
    .map((entity) => entityAction(entity, options, usedBy));
  const table = tableClientFor(host.settings, options.connection, options.tableName, usedBy);
  const byPartition = new Map<string, EntityAction[]>();
  for (const action of actions) {
    const key = action[1].partitionKey;
    byPartition.set(key, [...(byPartition.get(key) ?? []), action]);
  }
  for (const partition of byPartition.values()) {
    for (let start = 0; start < partition.length; start += maxBatchSize) {
      await submit(table, partition.slice(start, start + maxBatchSize), usedBy);
    }
  }
}

async function submit(table: TableClient, actions: TransactionAction[], usedBy: string): Promise<void> {
  try {
    await table.submitTransaction(actions);
  } catch (error) {
    if (storageStatus(error) === 404) {
      await table.createTable();
      return submit(table, actions, usedBy);
    }
    // The function's output failed, not the caller's request: the invocation fails (a 500 for
    // HTTP), as in Azure, with the reason in the host log.
    throw new Error(`${usedBy}: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
}

type EntityAction = TransactionAction & [unknown, TableEntity, ...unknown[]];

function entityAction(
  value: unknown,
  options: { partitionKey?: string; rowKey?: string },
  usedBy: string,
): EntityAction {
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`${usedBy}: an entity must be a JSON object.`);
  }
  const properties: Record<string, unknown> = {};
  let partitionKey = options.partitionKey;
  let rowKey = options.rowKey;
  let etag: string | undefined;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const lower = key.toLowerCase();
    if (lower === 'partitionkey') partitionKey = String(v);
    else if (lower === 'rowkey') rowKey = String(v);
    else if (lower === 'etag') etag = String(v);
    else properties[key] = v !== null && typeof v === 'object' ? JSON.stringify(v) : v;
  }
  for (const [name, key] of [
    ['PartitionKey', partitionKey],
    ['RowKey', rowKey],
  ] as const) {
    if (key === undefined || hasForbiddenKeyCharacter(key)) {
      throw new Error(
        `${usedBy}: ${key === undefined ? `${name} is missing (set it on the entity or the binding)` : `${name} '${key}' contains a character not allowed in table keys (/ \\ # ? or a control character)`}.`,
      );
    }
  }
  const entity: TableEntity = { ...properties, partitionKey: partitionKey!, rowKey: rowKey! };
  if (etag === undefined) return ['create', entity];
  if (etag === '*') return ['upsert', entity, 'Replace'];
  return ['update', entity, 'Replace', { etag }];
}

function hasForbiddenKeyCharacter(key: string): boolean {
  return [...key].some((c) => '/\\#?'.includes(c) || c.charCodeAt(0) < 0x20 || (c >= '\x7f' && c <= '\x9f'));
}

function asBindingEntity(entity: Record<string, unknown>): Record<string, unknown> {
  const { partitionKey, rowKey, etag: _etag, timestamp: _timestamp, ...properties } = entity;
  const kept = Object.entries(properties).filter(([key]) => !key.startsWith('odata.'));
  return { PartitionKey: partitionKey, RowKey: rowKey, ...Object.fromEntries(kept) };
}
