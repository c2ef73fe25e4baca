// Turns the app's registrations into the host's view of its functions: the trigger, inputs
// and outputs of each, with `%Setting%` expressions resolved and binding types spelt one way
// (Azure matches them case-insensitively; the host compares them exactly from here on). A
// setting that a binding of a function to run needs and that is missing fails the host at
// start, naming the function and the setting.
import { PlatformError } from '../../shared/errors.js';
import type { Registration } from './core-api.js';
import type { Binding, RegisteredFunction } from './extension.js';
import type { HostSettings } from './settings.js';

const structural = new Set(['name', 'type', 'direction']);

/** The HTTP trigger and output types, which the host itself serves. */
export const httpTrigger = 'httpTrigger';
export const httpOutput = 'http';

export const isHttpTrigger = (fn: RegisteredFunction) => fn.trigger.type === httpTrigger;

/** The binding types the host can run, as it spells them: its extensions' and HTTP's. */
export interface BindingSupport {
  readonly triggers: readonly string[];
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

/** A function the host leaves out, and why; start-up lists these and goes on without them. */
export interface SkippedFunction {
  readonly name: string;
  readonly reason: string;
  /** Disabled by a setting on purpose, as opposed to needing what the host lacks. */
  readonly disabled: boolean;
}

export interface FunctionIndex {
  readonly functions: RegisteredFunction[];
  readonly skipped: SkippedFunction[];
}

const noSupport: BindingSupport = { triggers: [], inputs: [], outputs: [] };

/**
 * Functions disabled with `AzureWebJobs.<name>.Disabled`, and functions whose trigger or
 * binding types no extension supports, are left out before their `%Setting%`s are resolved, so
 * neither can stop start-up; a registration's type that matches a supported one ignoring case
 * takes its spelling.
 */
export function indexFunctions(
  registrations: Iterable<Registration>,
  settings: HostSettings,
  support: BindingSupport = noSupport,
): FunctionIndex {
  const supported = {
    in: new Set([httpTrigger, ...support.triggers, ...support.inputs]),
    out: new Set([httpOutput, ...support.outputs]),
  };
  const spelling = new Map([...supported.in, ...supported.out].map((type) => [type.toLowerCase(), type]));
  const typeOf = (type: string) => spelling.get(type.toLowerCase()) ?? type;
  const functions: RegisteredFunction[] = [];
  const skipped: SkippedFunction[] = [];
  for (const { metadata } of registrations) {
    const usedBy = `function '${metadata.name}'`;
    if (isDisabled(settings.get(`AzureWebJobs.${metadata.name}.Disabled`))) {
      skipped.push({
        name: metadata.name,
        reason: `disabled by AzureWebJobs.${metadata.name}.Disabled`,
        disabled: true,
      });
      continue;
    }
    const declared = Object.entries(metadata.bindings).map(([name, info]) => ({
      name,
      info: { ...info, type: typeOf(String(info.type)) },
      direction: info.direction === 'out' || info.direction === 'inout' ? ('out' as const) : ('in' as const),
    }));
    const missing = declared.filter((b) => !supported[b.direction].has(b.info.type));
    if (missing.length > 0) {
      const kinds = missing.map(
        (b) =>
          `${/trigger$/i.test(b.info.type) ? 'trigger' : b.direction === 'in' ? 'input' : 'output'} '${b.info.type}'`,
      );
      skipped.push({
        name: metadata.name,
        reason: `the local host does not support its ${kinds.join(', ')}`,
        disabled: false,
      });
      continue;
    }
    const bindings = declared.map((b) => resolveBinding(b.name, b.info, settings, usedBy));
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
  return { functions, skipped };
}

/** As the Azure host reads the setting: `true` or `1`. */
const isDisabled = (value: string | undefined) => value !== undefined && /^(true|1)$/i.test(value.trim());

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
