// `serviceBusTrigger` for the local host (app.serviceBusQueue / app.serviceBusTopic), with
// the Azure host's processing rules: up to maxConcurrentCalls invocations at a time (host.json
// extensions.serviceBus), the message completed after a successful invocation unless
// autoComplete is off, abandoned after a failed one, so MaxDeliveryCount failures end in the
// dead-letter queue. With cardinality 'many' a function gets batches of up to
// maxMessageBatchSize messages, one batch at a time, settled together. It receives with the
// official client, like the host's extension does.
import {
  ServiceBusClient,
  type ServiceBusReceivedMessage,
  type ServiceBusReceiver,
} from '@azure/service-bus';
import { z } from 'zod';
import { sleep } from '../../shared/clock.js';
import { PlatformError } from '../../shared/errors.js';
import { withTimeout } from '../../shared/with-timeout.js';
import { parseInput } from '../../shared/validate.js';
import type { HostContext, RegisteredFunction, TriggerListener } from '../host/extension.js';
import { parseTimeSpan } from '../host/time-span.js';
import { batchTriggerInput, batchTriggerMetadata, triggerInput, triggerMetadata } from './trigger-message.js';

const hostSettingsSchema = z
  .object({
    maxConcurrentCalls: z.number().int().positive().default(16),
    maxMessageBatchSize: z.number().int().positive().default(1000),
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
    cardinality: z.enum(['one', 'many']).default('one'),
    dataType: z.string().nullish(),
  })
  .loose()
  .refine(
    (b) => (b.queueName !== undefined) !== (b.topicName !== undefined && b.subscriptionName !== undefined),
    {
      message: 'set either queueName, or topicName and subscriptionName',
    },
  );

/** Waits after a failed receive, so a broken connection is not retried in a tight loop. */
const receiveRetryMs = 1000;
// The SDK's close waits for the broker's answer, which a broker that is gone (an emulator given
// up on) never sends: without a bound the host would never stop. On the real clock, so a host
// whose clock tests move by hand still stops.
const closeTimeoutMs = 5000;

export function serviceBusListener(fn: RegisteredFunction, host: HostContext): TriggerListener {
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
  const stopping = new AbortController();
  let pumping: Promise<void> = Promise.resolve();

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

  const processBatch = async (messages: ServiceBusReceivedMessage[]): Promise<void> => {
    try {
      await host.invoke(fn, {
        trigger: batchTriggerInput(
          messages.map((m) => m.body),
          binding.dataType,
        ),
        triggerMetadata: batchTriggerMetadata(messages),
      });
    } catch (error) {
      log.warn(`A batch of ${messages.length} messages failed; abandoning them: ${(error as Error).message}`);
      await Promise.all(messages.map((m) => receiver!.abandonMessage(m)));
      return;
    }
    if (autoComplete) await Promise.all(messages.map((m) => receiver!.completeMessage(m)));
  };

  const pumpBatches = async (): Promise<void> => {
    const { signal } = stopping;
    while (!signal.aborted) {
      try {
        const messages = await receiver!.receiveMessages(hostSettings.maxMessageBatchSize, {
          maxWaitTimeInMs: 60_000,
          abortSignal: signal,
        });
        if (messages.length > 0) await processBatch(messages);
      } catch (error) {
        if (signal.aborted) return;
        log.warn(`Service Bus batch receive or settlement failed: ${(error as Error).message}`);
        await sleep(host.clock, receiveRetryMs, signal).catch(() => undefined);
      }
    }
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
      if (binding.cardinality === 'many') {
        pumping = pumpBatches();
        return;
      }
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
      stopping.abort();
      await pumping;
      const close = async () => {
        await subscription?.close();
        await receiver?.close();
        await client?.close();
      };
      await withTimeout(
        close(),
        closeTimeoutMs,
        () => new Error(`not closed within ${closeTimeoutMs} ms`),
      ).catch((error: Error) =>
        log.warn(`Service Bus trigger stopped without closing its connection: ${error.message}`),
      );
    },
  };
}
