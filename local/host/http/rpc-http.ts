// Converts between node:http messages and the worker's RpcHttpData, which the official
// library turns into its HttpRequest and back from its HttpResponse.
import type { IncomingMessage } from 'node:http';
import type { RpcHttpCookie, RpcHttpData, RpcInvocationResponse, RpcTypedData } from '../core-types.js';

export function flattenHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

export function toRpcHttpRequest(input: {
  method: string;
  url: URL;
  headers: Record<string, string>;
  params: Record<string, string>;
  body: Buffer;
}): RpcTypedData {
  // Query is left out on purpose: the library then reads it from the URL, keeping repeated keys.
  const http: RpcHttpData = {
    method: input.method,
    url: input.url.toString(),
    headers: input.headers,
    params: input.params,
    body: input.body.length > 0 ? { bytes: input.body } : null,
  };
  return { http };
}

export interface PlainResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/** The HTTP response a function produced: its return value, or a named http output binding. */
export function fromRpcHttpResponse(
  response: RpcInvocationResponse,
  outputName: string,
): PlainResponse | undefined {
  const data =
    outputName === '$return'
      ? response.returnValue?.http
      : response.outputData?.find((binding) => binding.name === outputName)?.data?.http;
  if (!data) return undefined;
  const headers: Record<string, string | string[]> = { ...(data.headers ?? {}) };
  const cookies = (data.cookies ?? []).map(serializeCookie);
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  return { status: Number(data.statusCode ?? 200), headers, body: typedDataBytes(data.body) };
}

function typedDataBytes(data: RpcTypedData | null | undefined): Buffer {
  if (!data) return Buffer.alloc(0);
  if (data.bytes) return Buffer.from(data.bytes);
  if (typeof data.string === 'string') return Buffer.from(data.string);
  if (typeof data.json === 'string') return Buffer.from(data.json);
  return Buffer.alloc(0);
}

function serializeCookie(cookie: RpcHttpCookie): string {
  const parts = [`${cookie.name ?? ''}=${cookie.value ?? ''}`];
  if (cookie.domain?.value) parts.push(`Domain=${cookie.domain.value}`);
  if (cookie.path?.value) parts.push(`Path=${cookie.path.value}`);
  const seconds = cookie.expires?.value?.seconds;
  if (seconds !== undefined && seconds !== null)
    parts.push(`Expires=${new Date(Number(seconds) * 1000).toUTCString()}`);
  if (cookie.maxAge?.value !== undefined && cookie.maxAge?.value !== null)
    parts.push(`Max-Age=${cookie.maxAge.value}`);
  if (cookie.secure?.value) parts.push('Secure');
  if (cookie.httpOnly?.value) parts.push('HttpOnly');
  if (cookie.sameSite && cookie.sameSite !== 'none') {
    parts.push(
      `SameSite=${cookie.sameSite === 'explicitNone' ? 'None' : cookie.sameSite[0]!.toUpperCase() + cookie.sameSite.slice(1)}`,
    );
  }
  return parts.join('; ');
}
