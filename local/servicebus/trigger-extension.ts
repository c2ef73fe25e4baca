// `serviceBusTrigger` for the local host (app.serviceBusQueue / app.serviceBusTopic), with
// the Azure host's processing rules: up to maxConcurrentCalls invocations at a time (host.json
// extensions.serviceBus), the message completed after a successful invocation unless
// autoComplete is off, abandoned after a failed one, so MaxDeliveryCount failures end in the
// dead-letter queue. It receives with the official client, like the host's extension does.
import {
  ServiceBusClient,
  type ServiceBusReceivedMessage,
  type ServiceBusReceiver,
} from '@azure/service-bus';
import { z } from 'zod';
import { PlatformError } from '../../shared/errors.js';
import { parseInput } from '../../shared/validate.js';
import type { HostContext, HostExtension, RegisteredFunction, TriggerListener } from '../host/extension.js';
import { parseTimeSpan } from '../host/time-span.js';
import { triggerInput, triggerMetadata } from './trigger-message.js';

const hostSettingsSchema = z
  .object({
    maxConcurrentCalls: z.number().int().positive().default(16),
    autoCompleteMessages: z.boolean().default(true),
    maxAutoLockRenewalDuration: z.string().default('00:05:00'),
  })
  .loose();

const bindingSchema = z
  .object({
    queueName: z.string().min(1).optional(),
    topicName: z.string().min(1).optional(),
    subscriptionName: z.string().min(1).optional(),
    connection: z.string().min(1).default('AzureWebJobsServiceBus'),
    autoComplete: z.boolean().optional(),
    isSessionsEnabled: z
      .literal(false, { message: 'sessions are not supported by the local Service Bus emulator' })
      .optional(),
    cardinality: z.literal('one', { message: "only cardinality 'one' is supported locally" }).optional(),
    dataType: z.string().nullish(),
  })
  .loose()
  .refine(
    (b) => (b.queueName !== undefined) !== (b.topicName !== undefined && b.subscriptionName !== undefined),
    {
      message: 'set either queueName, or topicName and subscriptionName',
    },
  );

export function serviceBusTriggerExtension(): HostExtension {
  return { name: 'servicebus', triggers: { serviceBusTrigger: serviceBusListener } };
}

function serviceBusListener(fn: RegisteredFunction, host: HostContext): TriggerListener {
  const usedBy = `Service Bus trigger of '${fn.name}'`;
  const binding = parseInput(bindingSchema, fn.trigger, usedBy, 'INVALID_CONFIG');
  const hostSettings = parseInput(
    hostSettingsSchema,
    (host.settings.hostJson.extensions as Record<string, unknown>).serviceBus ?? {},
    'host.json extensions.serviceBus',
    'INVALID_CONFIG',
  );
  const autoComplete = binding.autoComplete ?? hostSettings.autoCompleteMessages;
  const log = host.log.child({ functionName: fn.name });
  let client: ServiceBusClient | undefined;
  let receiver: ServiceBusReceiver | undefined;
  let subscription: { close(): Promise<void> } | undefined;

  const process = async (message: ServiceBusReceivedMessage): Promise<void> => {
    try {
      await host.invoke(fn, {
        trigger: triggerInput(message.body, binding.dataType),
        triggerMetadata: triggerMetadata(message),
      });
    } catch (error) {
      log.warn(
        `Message ${String(message.messageId)} failed (delivery ${(message.deliveryCount ?? 0) + 1}); abandoning it: ${(error as Error).message}`,
      );
      await receiver!.abandonMessage(message);
      return;
    }
    if (autoComplete) await receiver!.completeMessage(message);
  };

  return {
    async start() {
      const connectionString = host.settings.require(binding.connection, usedBy);
      try {
        client = new ServiceBusClient(connectionString);
      } catch (error) {
        throw new PlatformError(
          'INVALID_CONFIG',
          `Setting '${binding.connection}' is not a Service Bus connection string (${usedBy}): ${(error as Error).message}`,
        );
      }
      const options = {
        skipParsingBodyAsJson: true,
        maxAutoLockRenewalDurationInMs: parseTimeSpan(hostSettings.maxAutoLockRenewalDuration),
      };
      receiver = binding.queueName
        ? client.createReceiver(binding.queueName, options)
        : client.createReceiver(binding.topicName!, binding.subscriptionName!, options);
      subscription = receiver.subscribe(
        {
          processMessage: process,
          processError: async ({ error, errorSource }) => {
            log.warn(`Service Bus ${errorSource} error: ${error.message}`);
          },
        },
        { autoCompleteMessages: false, maxConcurrentCalls: hostSettings.maxConcurrentCalls },
      );
    },
    async stop() {
      await subscription?.close();
      await receiver?.close();
      await client?.close();
    },
  };
}
