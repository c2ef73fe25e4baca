// Polls a storage queue and hands each message to a handler, with the Azure host's rules: a
// message that fails goes back to the queue, and after maxDequeueCount attempts it moves to the
// poison queue. Used for queue triggers and, through an internal queue, for blob triggers.
import type { DequeuedMessageItem, QueueClient } from '@azure/storage-queue';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HostLogger } from '../logger.js';

export interface QueueProcessorOptions {
  queue: QueueClient;
  poison: QueueClient;
  maxDequeueCount: number;
  /** Seconds a failed message stays invisible before its next attempt. */
  retryDelaySeconds: number;
  batchSize: number;
  maxPollingMs: number;
  log: HostLogger;
  handle(message: DequeuedMessageItem): Promise<void>;
}

/** How long a message stays invisible while its handler runs. */
const leaseSeconds = 300;
const minPollingMs = 100;

export interface QueueProcessor {
  /** Polls at once: the caller just sent a message (an idle queue is otherwise polled ever more slowly). */
  wake(): void;
  stop(): Promise<void>;
}

export function startQueueProcessor(options: QueueProcessorOptions): QueueProcessor {
  const abort = new AbortController();
  let nap: AbortController | undefined;
  let woken = false;
  const settle = async (message: DequeuedMessageItem) => {
    if (message.dequeueCount > options.maxDequeueCount)
      return poison(message, 'it was dequeued more often than allowed');
    try {
      await options.handle(message);
      await options.queue.deleteMessage(message.messageId, message.popReceipt);
    } catch (error) {
      const why = (error as Error)?.message ?? String(error);
      if (message.dequeueCount >= options.maxDequeueCount) return poison(message, why);
      options.log.warn(
        `Message ${message.messageId} failed (attempt ${message.dequeueCount} of ${options.maxDequeueCount}): ${why}`,
      );
      await options.queue.updateMessage(
        message.messageId,
        message.popReceipt,
        undefined,
        options.retryDelaySeconds,
      );
    }
  };
  const poison = async (message: DequeuedMessageItem, why: string) => {
    await options.poison.createIfNotExists();
    await options.poison.sendMessage(message.messageText);
    await options.queue.deleteMessage(message.messageId, message.popReceipt);
    options.log.error(
      `Message ${message.messageId} moved to poison queue '${options.poison.name}' after ${message.dequeueCount} attempts: ${why}`,
    );
  };
  const loop = async () => {
    await options.queue.createIfNotExists();
    let idle = minPollingMs;
    while (!abort.signal.aborted) {
      try {
        const { receivedMessageItems } = await options.queue.receiveMessages({
          numberOfMessages: options.batchSize,
          visibilityTimeout: leaseSeconds,
          abortSignal: abort.signal,
        });
        if (receivedMessageItems.length > 0) {
          idle = minPollingMs;
          await Promise.all(
            receivedMessageItems.map((m) =>
              settle(m).catch((e: unknown) => options.log.error(`Queue bookkeeping failed: ${String(e)}`)),
            ),
          );
          continue;
        }
      } catch (error) {
        if (abort.signal.aborted) break;
        options.log.warn(`Polling queue '${options.queue.name}' failed: ${(error as Error).message}`);
      }
      if (!woken) {
        nap = new AbortController();
        const signal = AbortSignal.any([abort.signal, nap.signal]);
        await sleep(idle, undefined, { signal }).catch(() => undefined);
      }
      idle = woken ? minPollingMs : Math.min(idle * 2, options.maxPollingMs);
      woken = false;
    }
  };
  const running = loop();
  return {
    wake() {
      woken = true;
      nap?.abort();
    },
    async stop() {
      abort.abort();
      await running;
    },
  };
}
