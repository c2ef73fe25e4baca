// Storage bindings: queue and blob triggers, blob input, and blob and queue outputs, behaving
// as the Azure host's storage extension does in what a user can observe.
import type { DequeuedMessageItem } from '@azure/storage-queue';
import {
  decodeTriggerMetadata,
  jsonPropertiesMetadata,
  resolveBindingExpressions,
} from '../binding-expressions.js';
import type { RpcTypedData } from '../core-types.js';
import type {
  Binding,
  HostContext,
  HostExtension,
  InvocationRecord,
  RegisteredFunction,
  TriggerListener,
} from '../extension.js';
import { blobTriggerListener } from './blob-trigger.js';
import { decodeMessage, encodeMessage, messageAsTypedData, outputMessages } from './message-encoding.js';
import { startQueueProcessor } from './queue-processor.js';
import { queueSettings } from './queue-settings.js';
import { storageClients } from './storage-clients.js';
import { storageStatus } from '../../../shared/storage-status.js';

export function storageExtension(): HostExtension {
  return {
    name: 'storage',
    triggers: { queueTrigger: queueTriggerListener, blobTrigger: blobTriggerListener },
    inputs: { blob: readBlobInput },
    outputs: { blob: writeBlobOutput, queue: writeQueueOutput },
  };
}

function queueTriggerListener(fn: RegisteredFunction, host: HostContext): TriggerListener {
  const usedBy = `queue trigger of '${fn.name}'`;
  const name = String(fn.trigger.queueName ?? '');
  const { queue } = storageClients(host.settings, fn.trigger.connection, usedBy);
  const settings = queueSettings(host);
  let processor: { stop(): Promise<void> } | undefined;
  return {
    async start() {
      processor = startQueueProcessor({
        ...settings,
        queue: queue.getQueueClient(name),
        poison: queue.getQueueClient(`${name}-poison`),
        log: host.log.child({ functionName: fn.name }),
        handle: async (message) => {
          const body = decodeMessage(message.messageText, settings.encoding);
          await host.invoke(fn, {
            trigger: messageAsTypedData(body),
            triggerMetadata: queueMetadata(message, body),
            retryContext: {
              retryCount: message.dequeueCount - 1,
              maxRetryCount: settings.maxDequeueCount - 1,
            },
          });
        },
      });
    },
    async stop() {
      await processor?.stop();
    },
  };
}

function queueMetadata(message: DequeuedMessageItem, body: string): Record<string, RpcTypedData> {
  // JSON messages expose their top-level properties for binding expressions, like the host's.
  return {
    ...jsonPropertiesMetadata(body),
    QueueTrigger: { string: body },
    Id: { string: message.messageId },
    DequeueCount: { int: message.dequeueCount },
    PopReceipt: { string: message.popReceipt },
    InsertionTime: { string: message.insertedOn.toISOString() },
    ExpirationTime: { string: message.expiresOn.toISOString() },
    NextVisibleTime: { string: message.nextVisibleOn.toISOString() },
  };
}

function bindingPath(binding: Binding, invocation: InvocationRecord): { container: string; blob: string } {
  const usedBy = `binding '${binding.name}' of '${invocation.fn.name}'`;
  const path = resolveBindingExpressions(
    String(binding.path ?? ''),
    decodeTriggerMetadata(invocation.triggerMetadata),
    usedBy,
  );
  const slash = path.indexOf('/');
  return { container: path.slice(0, slash), blob: path.slice(slash + 1) };
}

async function readBlobInput(
  binding: Binding,
  invocation: InvocationRecord,
  host: HostContext,
): Promise<RpcTypedData | undefined> {
  const { container, blob } = bindingPath(binding, invocation);
  const client = storageClients(
    host.settings,
    binding.connection,
    `blob input of '${invocation.fn.name}'`,
  ).blob;
  try {
    const bytes = await client.getContainerClient(container).getBlobClient(blob).downloadToBuffer();
    return binding.dataType === 'string' ? { string: bytes.toString('utf8') } : { bytes };
  } catch (error) {
    if (storageStatus(error) === 404) return undefined;
    throw error;
  }
}

async function writeBlobOutput(
  binding: Binding,
  data: RpcTypedData,
  invocation: InvocationRecord,
  host: HostContext,
): Promise<void> {
  const { container, blob } = bindingPath(binding, invocation);
  const client = storageClients(
    host.settings,
    binding.connection,
    `blob output of '${invocation.fn.name}'`,
  ).blob;
  const containerClient = client.getContainerClient(container);
  await containerClient.createIfNotExists();
  const body = data.bytes ? Buffer.from(data.bytes) : Buffer.from(data.string ?? data.json ?? '');
  await containerClient.getBlockBlobClient(blob).upload(body, body.length);
}

async function writeQueueOutput(
  binding: Binding,
  data: RpcTypedData,
  invocation: InvocationRecord,
  host: HostContext,
): Promise<void> {
  const usedBy = `queue output of '${invocation.fn.name}'`;
  const name = resolveBindingExpressions(
    String(binding.queueName ?? ''),
    decodeTriggerMetadata(invocation.triggerMetadata),
    usedBy,
  );
  const queue = storageClients(host.settings, binding.connection, usedBy).queue.getQueueClient(name);
  await queue.createIfNotExists();
  const { encoding } = queueSettings(host);
  for (const body of outputMessages(data)) await queue.sendMessage(encodeMessage(body, encoding));
}
