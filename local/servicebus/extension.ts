// The Service Bus binding extension of the local host: the `serviceBusTrigger` trigger and the
// `serviceBus` output binding, against the local emulator or a real namespace alike.
import type { HostExtension } from '../host/extension.js';
import { serviceBusOutput } from './output-binding.js';
import { serviceBusListener } from './trigger-extension.js';

export function serviceBusExtension(): HostExtension {
  const output = serviceBusOutput();
  return {
    name: 'servicebus',
    triggers: { serviceBusTrigger: serviceBusListener },
    outputs: { serviceBus: (binding, data, _invocation, host) => output.write(binding, data, host) },
    stop: () => output.close(),
  };
}
