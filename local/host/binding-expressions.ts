// Binding expressions in paths and names: `{name}` from the trigger's data, plus the host's
// built-ins `{rand-guid}` and `{DateTime}`. A name the trigger does not provide is a clear error.
import { randomUUID } from 'node:crypto';
import { PlatformError } from '../../shared/errors.js';
import type { RpcTypedData } from './core-types.js';

export function resolveBindingExpressions(
  template: string,
  data: Record<string, unknown>,
  usedBy: string,
): string {
  const lower = new Map(Object.entries(data).map(([k, v]) => [k.toLowerCase(), v]));
  return template.replace(/\{([^{}]+)\}/g, (_, expression: string) => {
    if (expression.toLowerCase() === 'rand-guid') return randomUUID();
    if (expression.toLowerCase() === 'datetime') return new Date().toISOString();
    const [head, ...path] = expression.split('.');
    let value: unknown = lower.get((head ?? '').toLowerCase());
    for (const key of path)
      value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    if (value === undefined || value === null) {
      throw new PlatformError(
        'INVALID_INPUT',
        `${usedBy}: the binding expression {${expression}} has no value in the trigger data.`,
        {
          expression,
        },
      );
    }
    return String(value);
  });
}

/** Trigger metadata as plain values, for binding expressions. */
export function decodeTriggerMetadata(metadata: Record<string, RpcTypedData>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value.json === 'string') out[key] = JSON.parse(value.json);
    else if (typeof value.string === 'string') out[key] = value.string;
    else if (value.int !== undefined && value.int !== null) out[key] = value.int;
    else if (value.double !== undefined && value.double !== null) out[key] = value.double;
  }
  return out;
}

/**
 * A JSON object's top-level properties as trigger metadata, as the Azure host exposes them for
 * binding expressions (queue messages, activity inputs); anything else exposes nothing.
 */
export function jsonPropertiesMetadata(text: string): Record<string, RpcTypedData> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return {};
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [
      key,
      typeof v === 'string' ? { string: v } : { json: JSON.stringify(v) },
    ]),
  );
}
