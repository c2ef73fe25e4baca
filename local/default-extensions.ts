// The binding extensions the local host loads, like the Azure host's extension bundle. It sits
// at local/'s top with the CLI: the host itself (local/host/) knows no extension by name.
import { serviceBusExtension } from './servicebus/extension.js';
import { createTaskHubExtension } from './taskhub/extension.js';
import type { HostExtension } from './host/extension.js';
import { storageExtension } from './host/storage/storage-extension.js';
import { timerExtension } from './host/timer/timer-extension.js';

export function defaultExtensions(): HostExtension[] {
  return [timerExtension(), storageExtension(), serviceBusExtension(), createTaskHubExtension()];
}
