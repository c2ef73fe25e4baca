// Queue message bodies as the Functions storage extension reads and writes them: base64 by
// default (host.json extensions.queues.messageEncoding), plain text when set to "none".
import type { RpcTypedData } from '../core-types.js';

export type MessageEncoding = 'base64' | 'none';

export function decodeMessage(text: string, encoding: MessageEncoding): string {
  if (encoding === 'none') return text;
  const decoded = Buffer.from(text, 'base64');
  // Text that is not base64 is passed through rather than mangled, so hand-sent messages work.
  return decoded.toString('base64').replace(/=+$/, '') === text.replace(/=+$/, '')
    ? decoded.toString('utf8')
    : text;
}

export function encodeMessage(body: string, encoding: MessageEncoding): string {
  return encoding === 'none' ? body : Buffer.from(body, 'utf8').toString('base64');
}

/** A queue message as trigger input: JSON stays JSON, anything else is a string. */
export function messageAsTypedData(body: string): RpcTypedData {
  try {
    JSON.parse(body);
    return { json: body };
  } catch {
    return { string: body };
  }
}

/** What a function wrote to a queue output binding, as message bodies (an array is many messages). */
export function outputMessages(data: RpcTypedData): string[] {
  if (typeof data.json === 'string') {
    const value: unknown = JSON.parse(data.json);
    return Array.isArray(value)
      ? value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)))
      : [data.json];
  }
  if (typeof data.string === 'string') return [data.string];
  if (data.bytes) return [Buffer.from(data.bytes).toString('utf8')];
  if (data.collectionString?.string) return data.collectionString.string;
  if (data.int !== undefined && data.int !== null) return [String(data.int)];
  if (data.double !== undefined && data.double !== null) return [String(data.double)];
  return [];
}
