// The `serviceBus` output binding (output.serviceBusQueue / output.serviceBusTopic): what the
// function returns or sets becomes messages on the queue or topic, as the Azure host's
// extension sends them. An array is one message per element; a string, bytes or number is one
// message; any other value is one message of its JSON. Bodies go out as bytes (an AMQP data
// section) like the extension's, in as few batches as the 256 KB limit allows. The v4 model
// carries bodies only: message properties cannot be set through the binding.
import { ServiceBusClient, type ServiceBusMessage, type ServiceBusSender } from '@azure/service-bus';
import { z } from 'zod';
import { PlatformError } from '../../shared/errors.js';
import { parseInput } from '../../shared/validate.js';
import type { RpcTypedData } from '../host/core-types.js';
import type { Binding, HostContext } from '../host/extension.js';

const bindingSchema = z
  .object({
    queueName: z.string().min(1).optional(),
    topicName: z.string().min(1).optional(),
    connection: z.string().min(1).default('AzureWebJobsServiceBus'),
  })
  .loose()
  .refine((b) => (b.queueName === undefined) !== (b.topicName === undefined), {
    message: 'set either queueName or topicName',
  });

/** The bodies of the messages an output value stands for. Pure. */
export function outputBodies(data: RpcTypedData): Buffer[] {
  if (data.json !== undefined && data.json !== null) {
    const value: unknown = JSON.parse(data.json);
    return (Array.isArray(value) ? value : [value]).map((item) =>
      Buffer.from(typeof item === 'string' ? item : JSON.stringify(item), 'utf8'),
    );
  }
  if (data.string !== undefined && data.string !== null) return [Buffer.from(data.string, 'utf8')];
  if (data.bytes) return [Buffer.from(data.bytes)];
  if (data.int !== undefined && data.int !== null) return [Buffer.from(String(data.int), 'utf8')];
  if (data.double !== undefined && data.double !== null) return [Buffer.from(String(data.double), 'utf8')];
  return [];
}

export interface ServiceBusOutput {
  write(binding: Binding, data: RpcTypedData, host: HostContext): Promise<void>;
  close(): Promise<void>;
}

/** Senders are kept per connection and entity for the host's lifetime, as the extension keeps its clients. */
export function serviceBusOutput(): ServiceBusOutput {
  const clients = new Map<string, ServiceBusClient>();
  const senders = new Map<string, ServiceBusSender>();

  const senderFor = (connectionString: string, entity: string, usedBy: string): ServiceBusSender => {
    const key = `${connectionString}\n${entity}`;
    let sender = senders.get(key);
    if (!sender) {
      let client = clients.get(connectionString);
      if (!client) {
        try {
          client = new ServiceBusClient(connectionString);
        } catch (error) {
          throw new PlatformError(
            'INVALID_CONFIG',
            `The connection of the ${usedBy} is not a Service Bus connection string: ${(error as Error).message}`,
          );
        }
        clients.set(connectionString, client);
      }
      sender = client.createSender(entity);
      senders.set(key, sender);
    }
    return sender;
  };

  return {
    async write(binding, data, host) {
      const usedBy = `Service Bus output '${binding.name}'`;
      const options = parseInput(bindingSchema, binding, usedBy, 'INVALID_CONFIG');
      const connectionString = host.settings.require(options.connection, usedBy);
      const sender = senderFor(connectionString, (options.queueName ?? options.topicName)!, usedBy);
      await sendAll(
        sender,
        outputBodies(data).map((body) => ({ body })),
      );
    },
    async close() {
      await Promise.allSettled([...senders.values()].map((s) => s.close()));
      await Promise.allSettled([...clients.values()].map((c) => c.close()));
      senders.clear();
      clients.clear();
    },
  };
}

async function sendAll(sender: ServiceBusSender, messages: ServiceBusMessage[]): Promise<void> {
  let batch = await sender.createMessageBatch();
  for (const message of messages) {
    if (batch.tryAddMessage(message)) continue;
    if (batch.count > 0) {
      await sender.sendMessages(batch);
      batch = await sender.createMessageBatch();
      if (batch.tryAddMessage(message)) continue;
    }
    throw new PlatformError(
      'PAYLOAD_TOO_LARGE',
      `A Service Bus message of ${(message.body as Buffer).length} bytes exceeds the ${batch.maxSizeInBytes}-byte limit of '${sender.entityPath}'.`,
      { entity: sender.entityPath },
    );
  }
  if (batch.count > 0) await sender.sendMessages(batch);
}
