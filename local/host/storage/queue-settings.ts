// host.json `extensions.queues`, as the queue processor uses it.
import type { HostContext } from '../extension.js';
import { parseTimeSpan } from '../time-span.js';
import type { MessageEncoding } from './message-encoding.js';

export interface QueueSettings {
  maxDequeueCount: number;
  retryDelaySeconds: number;
  batchSize: number;
  maxPollingMs: number;
  encoding: MessageEncoding;
}

/** Locally the longest idle poll is 2 s (Azure: 1 min), so a dropped message is picked up at once. */
const localMaxPollingMs = 2_000;

export function queueSettings(host: HostContext): QueueSettings {
  const q = host.settings.hostJson.extensions.queues;
  return {
    maxDequeueCount: q.maxDequeueCount,
    retryDelaySeconds: q.visibilityTimeout ? parseTimeSpan(q.visibilityTimeout) / 1000 : 0,
    batchSize: Math.min(q.batchSize, 32),
    maxPollingMs: q.maxPollingInterval ? parseTimeSpan(q.maxPollingInterval) : localMaxPollingMs,
    encoding: q.messageEncoding === 'none' ? 'none' : 'base64',
  };
}
