// The binding extensions the local host loads, like the Azure host's extension bundle.
import { serviceBusTriggerExtension } from '../servicebus/trigger-extension.js';
import { createTaskHubExtension } from '../taskhub/extension.js';
import type { HostExtension } from './extension.js';
import { storageExtension } from './storage/storage-extension.js';
import { timerExtension } from './timer/timer-extension.js';

export function defaultExtensions(): HostExtension[] {
  return [timerExtension(), storageExtension(), serviceBusTriggerExtension(), createTaskHubExtension()];
}
