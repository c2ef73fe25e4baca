// The loopback HTTP endpoint DurableClient calls (`rpcBaseUrl`), like the Azure extension's
// local RPC listener: not exposed beyond 127.0.0.1, so it carries no key.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { errorResponse, PlatformError } from '../../shared/errors.js';
import type { ApiRequest, ApiResponse } from './durable-http-api.js';

export const rpcBasePath = '/durabletask/';

export interface RpcServer {
  readonly baseUrl: string;
  close(): Promise<void>;
}

export async function startRpcServer(
  handle: (request: ApiRequest) => Promise<ApiResponse>,
): Promise<RpcServer> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const response: ApiResponse = url.pathname.startsWith(rpcBasePath)
        ? await handle({
            method: req.method ?? 'GET',
            segments: segmentsOf(url.pathname.slice(rpcBasePath.length)),
            query: url.searchParams,
            headers: headersOf(req),
            body: await readBody(req),
          })
        : errorResponse(
            new PlatformError('NOT_FOUND', `No Durable Task RPC operation at ${url.pathname}.`, {
              path: url.pathname,
            }),
          );
      const body = response.body === undefined ? '' : JSON.stringify(response.body);
      res.writeHead(response.status, {
        ...(body ? { 'content-type': 'application/json; charset=utf-8' } : {}),
        ...response.headers,
      });
      res.end(body);
    })().catch((error: unknown) => {
      // Only reading the request can fail here (the API answers its own errors): a client gone.
      if (res.headersSent) return res.destroy();
      const { status, body } = errorResponse(error);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    });
  });
  server.keepAliveTimeout = 5_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}${rpcBasePath}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function segmentsOf(path: string): string[] {
  return path
    .split('/')
    .filter((s, i, all) => s !== '' || i < all.length - 1)
    .map((s) => decodeURIComponent(s));
}

function headersOf(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers))
    if (typeof value === 'string') headers[name] = value;
  return headers;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
