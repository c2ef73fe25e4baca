// Turns the app's registrations into the host's view of its functions: the trigger, inputs
// and outputs of each, with `%Setting%` expressions resolved and binding types spelt one way
// (Azure matches them case-insensitively; the host compares them exactly from here on). A
// setting that a binding needs and that is missing fails the host at start, naming the
// function and the setting.
import { PlatformError } from '../../shared/errors.js';
import type { Registration } from './core-api.js';
import type { Binding, RegisteredFunction } from './extension.js';
import type { HostSettings } from './settings.js';

const structural = new Set(['name', 'type', 'direction']);

/** The HTTP trigger and output types, which the host itself serves. */
export const httpTrigger = 'httpTrigger';
export const httpOutput = 'http';

export const isHttpTrigger = (fn: RegisteredFunction) => fn.trigger.type === httpTrigger;

/**
 * @param bindingTypes the types the host knows, as it spells them (its extensions' and HTTP's);
 *   a registration's type that matches one ignoring case takes that spelling.
 */
export function indexFunctions(
  registrations: Iterable<Registration>,
  settings: HostSettings,
  bindingTypes: readonly string[] = [],
): RegisteredFunction[] {
  const spelling = new Map(
    [httpTrigger, httpOutput, ...bindingTypes].map((type) => [type.toLowerCase(), type]),
  );
  const typeOf = (type: string) => spelling.get(type.toLowerCase()) ?? type;
  const functions: RegisteredFunction[] = [];
  for (const { metadata } of registrations) {
    const usedBy = `function '${metadata.name}'`;
    const bindings = Object.entries(metadata.bindings).map(([name, info]) =>
      resolveBinding(name, { ...info, type: typeOf(String(info.type)) }, settings, usedBy),
    );
    const triggers = bindings.filter((b) => b.direction === 'in' && /trigger$/i.test(b.type));
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
