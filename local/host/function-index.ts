// Turns the app's registrations into the host's view of its functions: the trigger, inputs
// and outputs of each, with `%Setting%` expressions resolved. A setting that a binding needs
// and that is missing fails the host at start, naming the function and the setting.
import { PlatformError } from '../../shared/errors.js';
import type { Registration } from './core-api.js';
import type { Binding, RegisteredFunction } from './extension.js';
import type { HostSettings } from './settings.js';

const structural = new Set(['name', 'type', 'direction']);

export function indexFunctions(
  registrations: Iterable<Registration>,
  settings: HostSettings,
): RegisteredFunction[] {
  const functions: RegisteredFunction[] = [];
  for (const { metadata } of registrations) {
    const usedBy = `function '${metadata.name}'`;
    const bindings = Object.entries(metadata.bindings).map(([name, info]) =>
      resolveBinding(name, info, settings, usedBy),
    );
    const triggers = bindings.filter((b) => b.direction === 'in' && b.type.toLowerCase().endsWith('trigger'));
    const trigger = triggers[0];
    if (!trigger || triggers.length > 1) {
      throw new PlatformError(
        'INVALID_CONFIG',
        `${usedBy} must have exactly one trigger; it has ${triggers.length}.`,
        {
          function: metadata.name,
        },
      );
    }
    functions.push({
      name: metadata.name,
      id: metadata.functionId ?? metadata.name,
      trigger,
      inputs: bindings.filter((b) => b !== trigger && b.direction === 'in'),
      outputs: bindings.filter((b) => b.direction === 'out' || b.direction === 'inout'),
    });
  }
  return functions;
}

function resolveBinding(
  name: string,
  info: Record<string, unknown>,
  settings: HostSettings,
  usedBy: string,
): Binding {
  const resolved: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(info)) {
    resolved[key] =
      typeof value === 'string' && !structural.has(key) ? settings.resolve(value, usedBy) : value;
  }
  return {
    ...resolved,
    name,
    type: String(info.type),
    direction: (info.direction ?? 'in') as Binding['direction'],
  };
}
