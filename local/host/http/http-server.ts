// The host's HTTP front door: routing, keys, body limit, then either an HTTP-triggered function
// (through the app's programming model) or a host route of an extension. Every error a client
// sees is a PlatformError body rendered by `errorResponse`: a check here throws one, a failing
// function keeps its code (a timed-out one is 504), and anything else is logged with its stack
// and answered 500 without it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { errorResponse, isPlatformError, PlatformError } from '../../../shared/errors.js';
import type { HostRoute, Invoke } from '../extension.js';
import type { HostLogger } from '../logger.js';
import { isAuthorized, presentedKey, type Keys } from './auth.js';
import { findRoute, type RouteEntry } from './router.js';
import { flattenHeaders, fromRpcHttpResponse, toRpcHttpRequest, type PlainResponse } from './rpc-http.js';

export interface HttpFrontDoorOptions {
  routes: () => readonly RouteEntry[];
  keys: Keys;
  invoke: Invoke;
  log: HostLogger;
  maxBodyBytes: number;
}

export function createHttpFrontDoor(options: HttpFrontDoorOptions): Server {
  const server = createServer((request, response) => {
    handle(request, options).then(
      (reply) => send(response, reply),
      (error: unknown) => send(response, errorReply(error, options.log)),
    );
  });
  server.keepAliveTimeout = 65_000;
  return server;
}

async function handle(request: IncomingMessage, options: HttpFrontDoorOptions): Promise<PlainResponse> {
  const method = (request.method ?? 'GET').toUpperCase();
  const url = new URL(request.url ?? '/', `http://${request.headers.host ?? '127.0.0.1'}`);
  const match = findRoute(options.routes(), method, url.pathname);
  if (match.kind === 'not-found') {
    request.resume();
    throw new PlatformError('NOT_FOUND', `No function or route matches ${method} ${url.pathname}.`, {
      path: url.pathname,
    });
  }
  if (match.kind === 'method-not-allowed') {
    request.resume();
    const failure = new PlatformError(
      'METHOD_NOT_ALLOWED',
      `${method} is not allowed on ${url.pathname}; allowed: ${match.allowed.join(', ')}.`,
      { allowed: match.allowed },
    );
    const reply = json(failure.status, failure.toBody());
    reply.headers.allow = match.allowed.join(', ');
    return reply;
  }
  const headers = flattenHeaders(request);
  if (!isAuthorized(match.entry.auth, presentedKey(headers, url), options.keys)) {
    request.resume();
    throw new PlatformError(
      'UNAUTHORIZED',
      `A valid ${match.entry.auth === 'function' ? 'function' : match.entry.auth} key is required: send it in the x-functions-key header or the code query parameter.`,
    );
  }
  const body = await readBody(request, options.maxBodyBytes);
  const target = match.entry.target;
  if (target.kind === 'host')
    return fromHostRoute(target.route, { method, url, headers, body, params: match.params });

  const fn = target.fn;
  const trigger = toRpcHttpRequest({ method, url, headers, params: match.params, body });
  let response;
  try {
    response = await options.invoke(fn, { trigger });
  } catch (error) {
    // The invoker logged the failure with its stack; the client learns its code, never the stack.
    if (isPlatformError(error)) throw error;
    throw new PlatformError(
      'INTERNAL',
      `Function '${fn.name}' failed; see the host log.`,
      {},
      { cause: error },
    );
  }
  const outputName = fn.outputs.find((b) => b.type.toLowerCase() === 'http')?.name ?? '$return';
  return fromRpcHttpResponse(response, outputName) ?? { status: 204, headers: {}, body: Buffer.alloc(0) };
}

async function fromHostRoute(
  route: HostRoute,
  request: Parameters<HostRoute['handle']>[0],
): Promise<PlainResponse> {
  const reply = await route.handle(request);
  if (reply.body === undefined)
    return { status: reply.status, headers: reply.headers ?? {}, body: Buffer.alloc(0) };
  if (typeof reply.body === 'string' || Buffer.isBuffer(reply.body)) {
    return { status: reply.status, headers: reply.headers ?? {}, body: Buffer.from(reply.body) };
  }
  const plain = json(reply.status, reply.body);
  return { ...plain, headers: { ...plain.headers, ...reply.headers } };
}

async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared === 0 && request.headers['transfer-encoding'] === undefined) return noBody;
  const tooLarge = () =>
    new PlatformError('PAYLOAD_TOO_LARGE', `The request body exceeds the limit of ${limit} bytes.`, {
      limit,
    });
  if (declared > limit) {
    request.resume();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      request.resume();
      throw tooLarge();
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const noBody = Buffer.alloc(0);

/** The reply to any failure of a request; host failures that are not PlatformErrors are logged with their stack. */
export function errorReply(error: unknown, log: HostLogger): PlainResponse {
  const { status, body } = errorResponse(error, (failure) => {
    if (!isPlatformError(failure))
      log.error(`Request failed: ${(failure as Error)?.stack ?? String(failure)}`);
  });
  return json(status, body);
}

function json(status: number, body: unknown): PlainResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: Buffer.from(JSON.stringify(body)),
  };
}

function send(response: ServerResponse, reply: PlainResponse): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  response.writeHead(reply.status, { ...reply.headers, 'content-length': String(reply.body.length) });
  response.end(reply.body);
}
