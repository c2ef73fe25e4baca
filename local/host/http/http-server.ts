// The host's HTTP front door: routing, keys, body limit, then either an HTTP-triggered function
// (through the app's programming model) or a host route of an extension. Every error a client
// sees is a PlatformError body rendered by `errorResponse`: a check here throws one, a failing
// function keeps its code (a timed-out one is 504), and anything else is logged with its stack
// and answered 500 without it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { errorResponse, isPlatformError, PlatformError } from '../../../shared/errors.js';
import type { HostRoute, Invoke, RegisteredFunction } from '../extension.js';
import { httpOutput } from '../function-index.js';
import type { HostLogger } from '../logger.js';
import { isAuthorized, presentedKey, type Keys } from './auth.js';
import {
  bodyLimit,
  bodyIdle,
  bodyTooLarge,
  corsAllows,
  hasDotSegment,
  isLoopbackHost,
  originAllowed,
} from './request-guards.js';
import { findRoute, type RouteEntry } from './router.js';
import type { HttpStreamProxy } from './http-stream.js';
import {
  flattenHeaders,
  fromRpcHttpResponse,
  httpTriggerMetadata,
  toRpcHttpRequest,
  type PlainResponse,
} from './rpc-http.js';

export interface HttpFrontDoorOptions {
  routes: () => readonly RouteEntry[];
  keys: Keys;
  invoke: Invoke;
  log: HostLogger;
  maxBodyBytes: number;
  /** Origins that may call from a browser (`Host.CORS` in local settings); `*` for any. */
  cors: readonly string[];
  /** A request body that sends nothing for this long is answered 408 and its connection closed. */
  bodyIdleTimeoutMs: number;
  /** Set when the app streams HTTP (`enableHttpStream`): functions' requests go through it. */
  stream?: HttpStreamProxy;
}

export function createHttpFrontDoor(options: HttpFrontDoorOptions): Server {
  const server = createServer((request, response) => {
    handle(request, options).then(
      (reply) => send(response, reply, options.log),
      (error: unknown) => {
        // A client that went away is no failure of the host's, and there is no one to answer.
        if (request.destroyed && !request.complete) {
          options.log.debug(`The client closed ${request.method} ${request.url} before it was answered.`);
          return;
        }
        // A body left unread is drained (read and dropped), never buffered: closing the
        // connection instead would reset it before a client still sending had read the answer.
        send(response, errorReply(error, options.log), options.log);
      },
    );
  });
  server.keepAliveTimeout = 65_000;
  // The whole request, body included (Node's default is 300 s); bodies also time out when idle.
  server.requestTimeout = 120_000;
  return server;
}

async function handle(request: IncomingMessage, options: HttpFrontDoorOptions): Promise<PlainResponse> {
  const method = (request.method ?? 'GET').toUpperCase();
  const host = request.headers.host;
  if (!isLoopbackHost(host)) {
    request.resume();
    throw new PlatformError(
      'INVALID_INPUT',
      'The Host header must name this machine (localhost, 127.0.0.1 or [::1]); the local host serves loopback only.',
      { field: 'host' },
    );
  }
  const target = request.url ?? '/';
  if (hasDotSegment(target)) {
    request.resume();
    throw new PlatformError(
      'INVALID_INPUT',
      'The request path may not hold . or .. segments or backslashes.',
      {
        field: 'path',
      },
    );
  }
  const url = new URL(target, `http://${host ?? '127.0.0.1'}`);
  const origin = request.headers.origin;
  const cors = origin !== undefined && corsAllows(origin, options.cors) ? corsHeaders(origin) : noCors;
  if (method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined) {
    request.resume();
    if (cors === noCors) {
      throw new PlatformError('FORBIDDEN', `CORS does not list the origin '${origin ?? ''}'.`, {
        field: 'origin',
      });
    }
    return { status: 204, headers: cors, body: noBody };
  }
  const reply = await route(request, method, url, options);
  if (cors !== noCors) Object.assign(reply.headers, cors);
  return reply;
}

const noCors: Readonly<Record<string, string>> = {};

function corsHeaders(origin: string): Record<string, string> {
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': 'GET, HEAD, POST, PUT, PATCH, DELETE',
    'access-control-allow-headers': 'content-type, x-functions-key, if-match, if-none-match',
    'access-control-expose-headers': 'etag, location, x-model-version, x-model-alias',
    vary: 'Origin',
  };
}

async function route(
  request: IncomingMessage,
  method: string,
  url: URL,
  options: HttpFrontDoorOptions,
): Promise<PlainResponse> {
  const match = findRoute(options.routes(), method, url.pathname);
  if (match.kind === 'not-found') {
    // As Azure's host answers a path no function serves: 404 with no body.
    request.resume();
    return { status: 404, headers: {}, body: noBody };
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
  if (!originAllowed(method, request.headers.origin, request.headers.host, options.cors)) {
    request.resume();
    throw new PlatformError(
      'FORBIDDEN',
      `Cross-origin ${method} from ${request.headers.origin} is refused; list the origin in Host.CORS of local.settings.json to allow it.`,
      { field: 'origin' },
    );
  }
  const headers = flattenHeaders(request);
  if (!isAuthorized(match.entry.auth, presentedKey(headers, url), options.keys)) {
    request.resume();
    throw new PlatformError(
      'UNAUTHORIZED',
      `A valid ${match.entry.auth === 'function' ? 'function' : match.entry.auth} key is required: send it in the x-functions-key header or the code query parameter.`,
    );
  }
  const target = match.entry.target;
  const limit = bodyLimit(method, match.entry.maxBodyBytes, options.maxBodyBytes);
  const parts = { method, url, headers, params: match.params };
  const stream = options.stream;
  if (target.kind === 'function' && stream) {
    if (Number(request.headers['content-length'] ?? 0) > limit) {
      request.resume();
      throw bodyTooLarge(limit);
    }
    return functionFailure(
      target.fn,
      stream.forward(target.fn, request, parts, limit, options.bodyIdleTimeoutMs),
    );
  }
  const body = await readBody(request, limit, options.bodyIdleTimeoutMs);
  if (target.kind === 'host') return fromHostRoute(target.route, { ...parts, body });

  const fn = target.fn;
  const response = await functionFailure(
    fn,
    options.invoke(fn, {
      trigger: toRpcHttpRequest({ ...parts, body }),
      triggerMetadata: httpTriggerMetadata(parts),
    }),
  );
  const outputName = fn.outputs.find((b) => b.type === httpOutput)?.name ?? '$return';
  return fromRpcHttpResponse(response, outputName) ?? { status: 204, headers: {}, body: noBody };
}

/** The invoker logged a failure with its stack; the client learns its code, never the stack. */
async function functionFailure<T>(fn: RegisteredFunction, running: Promise<T>): Promise<T> {
  try {
    return await running;
  } catch (error) {
    if (isPlatformError(error)) throw error;
    throw new PlatformError(
      'INTERNAL',
      `Function '${fn.name}' failed; see the host log.`,
      {},
      { cause: error },
    );
  }
}

async function fromHostRoute(
  route: HostRoute,
  request: Parameters<HostRoute['handle']>[0],
): Promise<PlainResponse> {
  const reply = await route.handle(request);
  // Copied: the front door adds to a reply's headers, and a route may answer with shared ones.
  const headers = { ...reply.headers };
  if (reply.body === undefined) return { status: reply.status, headers, body: Buffer.alloc(0) };
  if (typeof reply.body === 'string' || Buffer.isBuffer(reply.body)) {
    return { status: reply.status, headers, body: Buffer.from(reply.body) };
  }
  const plain = json(reply.status, reply.body);
  return { ...plain, headers: { ...plain.headers, ...reply.headers } };
}

/** The body, read with 'data' events: an async iterator per request costs more than the read itself. */
function readBody(request: IncomingMessage, limit: number, idleTimeoutMs: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared === 0 && request.headers['transfer-encoding'] === undefined) return Promise.resolve(noBody);
  if (declared > limit) {
    request.resume();
    return Promise.reject(bodyTooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let timer: NodeJS.Timeout | undefined;
    const idle = () => {
      clearTimeout(timer);
      timer = setTimeout(() => request.destroy(bodyIdle(idleTimeoutMs)), idleTimeoutMs);
    };
    const settle = (settled: () => void) => {
      clearTimeout(timer);
      request.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      settled();
    };
    const onData = (chunk: Buffer) => {
      idle();
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else
        settle(() => {
          request.resume();
          reject(bodyTooLarge(limit));
        });
    };
    const onEnd = () => settle(() => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    const onError = (error: Error) => settle(() => reject(error));
    const onClose = () =>
      settle(() => reject(new Error('The client closed the request before its body ended.')));
    request.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
    idle();
  });
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

function send(response: ServerResponse, reply: PlainResponse, log: HostLogger): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  if (Buffer.isBuffer(reply.body)) {
    reply.headers['content-length'] = String(reply.body.length);
    response.writeHead(reply.status, reply.headers);
    response.end(reply.body);
    return;
  }
  response.writeHead(reply.status, reply.headers);
  // Ends early only when the client goes away or the app drops its stream: nothing to answer.
  pipeline(reply.body, response).catch((error: unknown) =>
    log.debug(`A streamed response ended early: ${(error as Error).message}`),
  );
}
