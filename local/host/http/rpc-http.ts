// Converts between node:http messages and the worker's RpcHttpData, which the official
// library turns into its HttpRequest and back from its HttpResponse.
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type {
  RpcHttpCookie,
  RpcHttpData,
  RpcInvocationResponse,
  RpcNullableString,
  RpcTypedData,
} from '../core-types.js';

export function flattenHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  const given = request.headers;
  for (const name in given) {
    const value = given[name];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

export interface HttpRequestParts {
  method: string;
  url: URL;
  headers: Record<string, string>;
  params: Record<string, string>;
}

/**
 * The request as Azure's host sends it to the Node.js worker, which declares
 * UseNullableValueDictionaryForHttp: query, headers and params as nullable maps, a repeated
 * query key as one comma-joined value (ASP.NET's StringValues), and the body as bytes.
 */
export function toRpcHttpRequest(input: HttpRequestParts & { body: Buffer }): RpcTypedData {
  const http: RpcHttpData = {
    method: input.method,
    url: input.url.toString(),
    nullableHeaders: nullable(input.headers),
    nullableParams: nullable(input.params),
    nullableQuery: nullable(queryMap(input.url)),
    body: input.body.length > 0 ? { bytes: input.body } : null,
  };
  return { http };
}

/** The trigger metadata of an HTTP invocation: route params by name, plus Query and Headers as JSON. */
export function httpTriggerMetadata(input: HttpRequestParts): Record<string, RpcTypedData> {
  const metadata: Record<string, RpcTypedData> = {};
  for (const [name, value] of Object.entries(input.params)) metadata[name] = { string: value };
  metadata.Query = { json: JSON.stringify(queryMap(input.url)) };
  metadata.Headers = { json: JSON.stringify(input.headers) };
  return metadata;
}

function queryMap(url: URL): Record<string, string> {
  const query: Record<string, string> = {};
  if (url.search === '') return query;
  for (const key of new Set(url.searchParams.keys())) query[key] = url.searchParams.getAll(key).join(',');
  return query;
}

function nullable(map: Record<string, string>): Record<string, RpcNullableString> {
  const values: Record<string, RpcNullableString> = {};
  for (const key in map) values[key] = { value: map[key]! };
  return values;
}

export interface PlainResponse {
  status: number;
  headers: Record<string, string | string[]>;
  /** A stream when the function's response streams (see http-stream.ts). */
  body: Buffer | Readable;
}

/** The HTTP response a function produced: its return value, or a named http output binding. */
export function fromRpcHttpResponse(
  response: RpcInvocationResponse,
  outputName: string,
): (PlainResponse & { body: Buffer }) | undefined {
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
  // The library hands over the response's own bytes: viewed, not copied.
  if (data.bytes) return Buffer.from(data.bytes.buffer, data.bytes.byteOffset, data.bytes.byteLength);
  if (typeof data.string === 'string') return Buffer.from(data.string);
  if (typeof data.json === 'string') return Buffer.from(data.json);
  return Buffer.alloc(0);
}

/**
 * As Azure's host writes it (ASP.NET Core's Set-Cookie): the value escaped, then expires,
 * max-age, domain, path (`/` unless set), secure, samesite, httponly, in lower case.
 */
function serializeCookie(cookie: RpcHttpCookie): string {
  const parts = [`${cookie.name ?? ''}=${escapeDataString(cookie.value ?? '')}`];
  const seconds = cookie.expires?.value?.seconds;
  if (seconds !== undefined && seconds !== null)
    parts.push(`expires=${new Date(Number(seconds) * 1000).toUTCString()}`);
  if (cookie.maxAge?.value !== undefined && cookie.maxAge?.value !== null)
    parts.push(`max-age=${cookie.maxAge.value}`);
  if (cookie.domain?.value) parts.push(`domain=${cookie.domain.value}`);
  parts.push(`path=${cookie.path?.value || '/'}`);
  if (cookie.secure?.value) parts.push('secure');
  if (cookie.sameSite && cookie.sameSite !== 'none')
    parts.push(`samesite=${cookie.sameSite === 'explicitNone' ? 'none' : cookie.sameSite}`);
  if (cookie.httpOnly?.value) parts.push('httponly');
  return parts.join('; ');
}

/** .NET's Uri.EscapeDataString: everything but RFC 3986 unreserved characters is escaped. */
function escapeDataString(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
