// Cosmos DB bindings for the local host, with the Azure extension's names and semantics:
// `cosmosDBTrigger` (the change feed, see change-feed-trigger.ts), `cosmosDB` input (one
// document by id and partition key, or the results of `sqlQuery`, or every document) and
// `cosmosDB` output (a document or an array of them, upserted).
import type { Container } from '@azure/cosmos';
import { z } from 'zod';
import { PlatformError } from '../../shared/errors.js';
import { parseInput } from '../../shared/validate.js';
import { invocationBindingData, resolveBindingExpressions } from '../host/binding-expressions.js';
import type { RpcTypedData } from '../host/core-types.js';
import type { Binding, HostContext, HostExtension, InvocationRecord } from '../host/extension.js';
import { changeFeedListener } from './change-feed-trigger.js';
import { storageStatus } from '../../shared/storage-status.js';
import { cosmosClientFor } from './cosmos-clients.js';
import { parameterizedQuery } from './sql-parameters.js';

const containerSchema = z
  .object({
    connection: z.string().min(1),
    databaseName: z.string().min(1),
    containerName: z.string().min(1),
  })
  .loose();

const inputSchema = containerSchema.extend({
  id: z.string().optional(),
  partitionKey: z.string().optional(),
  sqlQuery: z.string().optional(),
});

const outputSchema = containerSchema.extend({
  createIfNotExists: z.boolean().default(false),
  /** With createIfNotExists: the partition key path of the container created. */
  partitionKey: z.string().default('/id'),
  containerThroughput: z.number().int().positive().optional(),
});

export function cosmosExtension(): HostExtension {
  return {
    name: 'cosmosdb',
    triggers: { cosmosDBTrigger: changeFeedListener },
    inputs: { cosmosDB: readCosmosInput },
    outputs: { cosmosDB: writeCosmosOutput },
  };
}

async function readCosmosInput(
  binding: Binding,
  invocation: InvocationRecord,
  host: HostContext,
): Promise<RpcTypedData | undefined> {
  const usedBy = `Cosmos DB input '${binding.name}' of '${invocation.fn.name}'`;
  const options = parseInput(inputSchema, binding, usedBy, 'INVALID_CONFIG');
  const data = invocationBindingData(invocation);
  const resolve = (template: string | undefined) =>
    template === undefined ? undefined : resolveBindingExpressions(template, data, usedBy);
  const container = containerOf(host, options, usedBy);
  const partitionKey = resolve(options.partitionKey);
  try {
    if (options.id !== undefined) {
      const { resource } = await container.item(resolve(options.id)!, partitionKey).read();
      return resource === undefined ? undefined : { json: JSON.stringify(resource) };
    }
    const query = options.sqlQuery ? parameterizedQuery(options.sqlQuery, data, usedBy) : 'SELECT * FROM c';
    const { resources } = await container.items
      .query(query, partitionKey === undefined ? {} : { partitionKey })
      .fetchAll();
    return { json: JSON.stringify(resources) };
  } catch (error) {
    throw missingContainer(error, options, usedBy);
  }
}

async function writeCosmosOutput(
  binding: Binding,
  data: RpcTypedData,
  invocation: InvocationRecord,
  host: HostContext,
): Promise<void> {
  const usedBy = `Cosmos DB output '${binding.name}' of '${invocation.fn.name}'`;
  const options = parseInput(outputSchema, binding, usedBy, 'INVALID_CONFIG');
  const value: unknown = JSON.parse(data.json ?? data.string ?? 'null');
  const documents = (Array.isArray(value) ? value : [value]).filter((doc) => doc !== null);
  const invalid = documents.find((doc) => typeof doc !== 'object' || Array.isArray(doc));
  if (invalid !== undefined) {
    throw new Error(`${usedBy}: a document must be a JSON object.`);
  }
  let container = containerOf(host, options, usedBy);
  if (options.createIfNotExists) {
    const client = cosmosClientFor(host.settings, options.connection, usedBy);
    const { database } = await client.databases.createIfNotExists({ id: options.databaseName });
    ({ container } = await database.containers.createIfNotExists({
      id: options.containerName,
      partitionKey: { paths: [options.partitionKey] },
      ...(options.containerThroughput ? { throughput: options.containerThroughput } : {}),
    }));
  }
  try {
    for (const document of documents) await container.items.upsert(document as Record<string, unknown>);
  } catch (error) {
    throw missingContainer(error, options, usedBy);
  }
}

export function containerOf(
  host: HostContext,
  options: z.infer<typeof containerSchema>,
  usedBy: string,
): Container {
  return cosmosClientFor(host.settings, options.connection, usedBy)
    .database(options.databaseName)
    .container(options.containerName);
}

function missingContainer(error: unknown, options: z.infer<typeof containerSchema>, usedBy: string): unknown {
  if (storageStatus(error) !== 404) return error;
  return new PlatformError(
    'INVALID_CONFIG',
    `${usedBy}: container '${options.containerName}' in database '${options.databaseName}' does not exist.`,
    { database: options.databaseName, container: options.containerName },
  );
}
