// HTTP streaming (`app.setup({ enableHttpStream: true })`) as Azure's host does it: the library
// runs its own HTTP server (the HttpUri capability it answers) and the host forwards each request
// for an HTTP function there, tagged with the invocation id, while it invokes the function. The
// library reads the request body from that connection as it arrives and writes its response on
// it, which the host passes to the client as it comes: neither body is held whole in memory.
import { randomUUID } from 'node:crypto';
import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import type { Invoke, RegisteredFunction } from '../extension.js';
import { bodyIdle, bodyTooLarge } from './request-guards.js';
import {
  httpTriggerMetadata,
  toRpcHttpRequest,
  type HttpRequestParts,
  type PlainResponse,
} from './rpc-http.js';

/** Headers of one hop, which a proxy does not pass on (RFC 9110, 7.6.1). */
const hopByHop = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'host',
]);

/**
 * The library writes the response before the invocation ends; once it has ended this long
 * without one arriving over loopback, the function returned no response at all.
 */
const responseGraceMs = 2_000;

export interface HttpStreamProxy {
  /**
   * Answers 413 once the body passes `limit` bytes, and 408 once it sends nothing for
   * `idleTimeoutMs`, unless the function has answered already.
   */
  forward(
    fn: RegisteredFunction,
    request: IncomingMessage,
    parts: HttpRequestParts,
    limit: number,
    idleTimeoutMs: number,
  ): Promise<PlainResponse>;
  close(): void;
}

export function createHttpStreamProxy(uri: string, invoke: Invoke): HttpStreamProxy {
  const target = new URL(uri);
  const agent = new Agent({ keepAlive: true });
  return {
    async forward(fn, request, parts, limit, idleTimeoutMs) {
      const invocationId = randomUUID();
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(parts.headers))
        if (!hopByHop.has(name)) headers[name] = value;
      const proxied = httpRequest({
        agent,
        hostname: target.hostname,
        port: target.port,
        method: parts.method,
        path: parts.url.pathname + parts.url.search,
        headers: {
          ...headers,
          'x-ms-invocation-id': invocationId,
          'x-forwarded-host': parts.url.host,
          'x-forwarded-proto': parts.url.protocol.slice(0, -1),
        },
      });
      const answered = new Promise<IncomingMessage>((resolve, reject) => {
        proxied.once('response', resolve);
        proxied.once('error', reject);
      });
      // Piped by hand, not with pipeline(), so that a body over its limit is drained while the
      // client is answered 413 rather than having its connection reset; a body that stalls ends
      // as it does when the host reads it whole.
      const bodyFailed = new Promise<never>((_, reject) => {
        let size = 0;
        let timer: NodeJS.Timeout | undefined;
        const fail = (error: Error) => {
          clearTimeout(timer);
          request.unpipe(proxied);
          proxied.destroy();
          reject(error);
        };
        const idle = () => {
          clearTimeout(timer);
          timer = setTimeout(() => {
            fail(bodyIdle(idleTimeoutMs));
            request.destroy();
          }, idleTimeoutMs);
        };
        request.on('data', (chunk: Buffer) => {
          idle();
          size += chunk.length;
          if (size <= limit) return;
          request.resume();
          fail(bodyTooLarge(limit));
        });
        request.once('end', () => clearTimeout(timer));
        request.once('close', () => clearTimeout(timer));
        if (!request.complete) idle();
      });
      bodyFailed.catch(() => undefined);
      // A client that goes away mid-body ends the forwarded request too; the invocation sees it.
      request.once('close', () => {
        if (!request.complete) proxied.destroy();
      });
      request.pipe(proxied);
      const invocation = invoke(fn, {
        trigger: toRpcHttpRequest({ ...parts, body: Buffer.alloc(0) }),
        triggerMetadata: httpTriggerMetadata(parts),
        invocationId,
      });
      // The invoker logs a failed invocation; here it only decides the reply.
      invocation.catch(() => undefined);
      const response = await Promise.race([
        answered,
        bodyFailed,
        invocation.then(() =>
          Promise.race([
            answered,
            new Promise<undefined>((resolve) =>
              setTimeout(() => resolve(undefined), responseGraceMs).unref(),
            ),
          ]),
        ),
      ]).catch((error: unknown) => {
        proxied.destroy();
        throw error;
      });
      if (!response) {
        proxied.destroy();
        return { status: 204, headers: {}, body: Buffer.alloc(0) };
      }
      const replyHeaders: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(response.headers))
        if (value !== undefined && !hopByHop.has(name) && name !== 'x-ms-invocation-id')
          replyHeaders[name] = value;
      return { status: response.statusCode ?? 200, headers: replyHeaders, body: response };
    },
    close: () => agent.destroy(),
  };
}
