// Parses a JSON request body within limits and refuses one nested too deep before anything else
// walks it: a body nested thousands deep is small on the wire but overflows the stack of every
// recursive consumer after it (validation, serialisation, the Cosmos DB SDK).
import { PlatformError } from './errors.js';

export interface JsonLimits {
  readonly maxBytes: number;
  readonly maxDepth: number;
}

export const defaultJsonLimits: JsonLimits = { maxBytes: 1024 * 1024, maxDepth: 32 };

export function parseJsonBody(text: string, limits: JsonLimits = defaultJsonLimits): unknown {
  if (Buffer.byteLength(text) > limits.maxBytes) {
    throw new PlatformError('PAYLOAD_TOO_LARGE', `Request body is larger than ${limits.maxBytes} bytes.`, {
      field: '(body)',
      limit: limits.maxBytes,
    });
  }
  let value: unknown;
  try {
    // V8's parser is iterative: any nesting parses, and the walk below refuses what is too deep.
    value = JSON.parse(text);
  } catch {
    if (/^\s*$/.test(text))
      throw new PlatformError('INVALID_INPUT', 'Request body is empty; send a JSON object.', {
        field: '(body)',
      });
    throw new PlatformError('INVALID_INPUT', 'Request body is not valid JSON.', { field: '(body)' });
  }
  const tooDeep = pathBeyondDepth(value, limits.maxDepth);
  if (tooDeep !== undefined) {
    throw new PlatformError(
      'INVALID_INPUT',
      `Request body is nested deeper than ${limits.maxDepth} levels at ${tooDeep}.`,
      { field: tooDeep, limit: limits.maxDepth },
    );
  }
  return value;
}

interface Frame {
  readonly value: object;
  readonly depth: number;
  readonly key: string;
  readonly parent?: Frame;
}

/**
 * The path (`a.b.0.c`) of the first container (in document order) nested deeper than
 * `maxDepth`, found without recursion; undefined when the value stays within.
 */
function pathBeyondDepth(root: unknown, maxDepth: number): string | undefined {
  if (!isContainer(root)) return undefined;
  const stack: Frame[] = [{ value: root, depth: 1, key: '' }];
  for (let frame = stack.pop(); frame; frame = stack.pop()) {
    if (frame.depth > maxDepth) return pathOf(frame);
    const { value, depth } = frame;
    // Containers only (a row of numbers adds none), pushed last to first so the first is walked first.
    let children: Frame[] | undefined;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i -= 1) {
        const child: unknown = value[i];
        if (isContainer(child)) stack.push({ value: child, depth: depth + 1, key: String(i), parent: frame });
      }
      continue;
    }
    for (const key in value) {
      const child = (value as Record<string, unknown>)[key];
      if (isContainer(child)) (children ??= []).push({ value: child, depth: depth + 1, key, parent: frame });
    }
    for (let i = (children?.length ?? 0) - 1; i >= 0; i -= 1) stack.push(children![i]!);
  }
  return undefined;
}

const isContainer = (value: unknown): value is object => typeof value === 'object' && value !== null;

/** The keys and indices from the root down to a container. */
function pathOf(frame: Frame): string {
  const keys: string[] = [];
  for (let at: Frame | undefined = frame; at?.parent; at = at.parent) keys.unshift(at.key);
  return keys.join('.') || '(root)';
}
