// Parses a JSON request body within limits, before anything walks the parsed value: a body
// nested thousands deep is small on the wire but overflows the stack of every recursive
// consumer after it (validation, serialisation, the Cosmos DB SDK).
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
  if (text.trim() === '')
    throw new PlatformError('INVALID_INPUT', 'Request body is empty; send a JSON object.', {
      field: '(body)',
    });
  const tooDeep = pathBeyondDepth(text, limits.maxDepth);
  if (tooDeep !== undefined) {
    throw new PlatformError(
      'INVALID_INPUT',
      `Request body is nested deeper than ${limits.maxDepth} levels at ${tooDeep}.`,
      { field: tooDeep, limit: limits.maxDepth },
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new PlatformError('INVALID_INPUT', 'Request body is not valid JSON.', { field: '(body)' });
  }
}

interface Frame {
  readonly array: boolean;
  key: string;
  index: number;
}

/**
 * The path (`a.b.0.c`) of the first value nested deeper than `maxDepth`, found by one scan of
 * the text that tracks keys and indices without parsing; undefined when the text stays within.
 * Malformed text is left for JSON.parse to refuse.
 */
function pathBeyondDepth(text: string, maxDepth: number): string | undefined {
  const frames: Frame[] = [];
  let lastString = '';
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (c === '"') {
      const end = stringEnd(text, i);
      lastString = text.slice(i + 1, Math.min(end, i + 65));
      i = end;
    } else if (c === '{' || c === '[') {
      if (frames.length === maxDepth) return pathOf(frames);
      frames.push({ array: c === '[', key: '', index: 0 });
    } else if (c === '}' || c === ']') {
      frames.pop();
    } else if (c === ':') {
      const top = frames.at(-1);
      if (top) top.key = lastString;
    } else if (c === ',') {
      const top = frames.at(-1);
      if (top?.array) top.index += 1;
    }
  }
  return undefined;
}

function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i += 1) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === '"') return i;
  }
  return text.length;
}

/** Each open container's current key or index: the way from the root down to the value being opened. */
function pathOf(frames: readonly Frame[]): string {
  return frames.map((frame) => (frame.array ? String(frame.index) : frame.key)).join('.') || '(root)';
}
