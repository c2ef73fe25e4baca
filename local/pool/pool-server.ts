// The local pool as a small HTTP service, so the app reaches it the way it reaches Azure Batch:
// over the network, through the TrainingBackend port (shared/training/pool-backend.ts is the
// client). It runs apart from the Functions host, so a host crash leaves training running, as
// a Batch pool would. Loopback only; the task contract is shared/training/backend.ts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorResponse, PlatformError } from '../../shared/errors.js';
import type { TrainingBackend } from '../../shared/training/backend.js';

export interface PoolServer {
  readonly url: string;
  close(): Promise<void>;
}

const maxBody = 1024 * 1024;

async function readJson(request: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBody)
      throw new PlatformError('PAYLOAD_TOO_LARGE', `Task specs are limited to ${maxBody} bytes.`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new PlatformError('INVALID_INPUT', 'The request body is not valid JSON.');
  }
}

async function route(pool: TrainingBackend, request: IncomingMessage): Promise<[number, unknown]> {
  const url = new URL(request.url ?? '/', 'http://pool');
  const [, collection, rawId, action] = url.pathname.split('/');
  const id = decodeURIComponent(rawId ?? '');
  const method = request.method ?? 'GET';
  if (collection === 'tasks' && id) {
    if (action === undefined && method === 'PUT') {
      const spec = (await readJson(request)) as Record<string, unknown>;
      return [200, await pool.submit({ ...spec, id } as Parameters<TrainingBackend['submit']>[0])];
    }
    if (action === undefined && method === 'GET') return [200, await pool.get(id)];
    if (action === 'logs' && method === 'GET') return [200, await pool.logs(id)];
    if (action === 'terminate' && method === 'POST') {
      await pool.terminate(id);
      return [200, await pool.get(id)];
    }
  }
  throw new PlatformError('NOT_FOUND', `No pool route ${method} ${url.pathname}.`, { path: url.pathname });
}

export async function startPoolServer(pool: TrainingBackend, port = 0): Promise<PoolServer> {
  const send = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const server: Server = createServer((request, response) => {
    route(pool, request).then(
      ([status, body]) => send(response, status, body),
      (error: unknown) => {
        const { status, body } = errorResponse(error, (failure) =>
          console.error('pool request failed', failure),
        );
        send(response, status, body);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
